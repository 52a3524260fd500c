"""Per-company feeds for the watchlist: where CORRESP and UPLOAD letters appear.

Letters are released about 20 business days late and carry their original dates,
so no date watermark can tell a new entry from an old one: an entry is new when
its accession is not known, whatever its date. One exception, at the *first sight*
of each feed after start-up: an unknown entry accepted before the memory's horizon
(see :mod:`edgarmon.poller.memory`) may have been published before the memory
begins, so it is taken as the feed's baseline and not published. A letter released
while the poller was down with a date that old is caught by the daily index of its
release day, which is checked against published accessions only, not the baseline.

The CIKs are polled in turn, each every ``company_feed_interval_seconds``.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from datetime import datetime

import structlog

from edgarmon.core.filing import Filing
from edgarmon.core.messages import DiscoverySource
from edgarmon.poller.polling_loop import PollContext
from edgarmon.poller.sources import poll_company_feed

log = structlog.get_logger(__name__)


class KnownAccessions:
    """Accessions known to any of several containers."""

    def __init__(self, *parts: Container[str]) -> None:
        self._parts = parts

    def __contains__(self, accession: object) -> bool:
        return any(accession in part for part in self._parts)


def split_first_sight(
    filings: Sequence[Filing], *, horizon: datetime
) -> tuple[tuple[Filing, ...], tuple[Filing, ...]]:
    """At a feed's first sight: (to publish, baseline). Unknown entries accepted at or
    after ``horizon`` are new; older ones may predate the memory."""
    new = tuple(filing for filing in filings if filing.accepted_at >= horizon)
    baseline = tuple(filing for filing in filings if filing.accepted_at < horizon)
    return new, baseline


class CompanyFeedWatch:
    """Polls the watchlist's company feeds in turn."""

    def __init__(
        self,
        context: PollContext,
        *,
        ciks: Sequence[int],
        interval_seconds: float,
        count: int,
        horizon: datetime,
    ) -> None:
        if not ciks:
            raise ValueError("the company feed watch needs at least one CIK")
        self._context = context
        self._ciks = tuple(dict.fromkeys(ciks))
        self._interval = interval_seconds
        self._count = count
        self._horizon = horizon
        self._baseline: set[str] = set()
        self._sighted: set[int] = set()
        self._unknown_to_edgar: set[int] = set()
        self._turn = 0

    @property
    def source(self) -> DiscoverySource:
        return DiscoverySource.COMPANY_FEED

    @property
    def retry_seconds(self) -> float:
        return self._step

    @property
    def _step(self) -> float:
        """The wait between two CIKs, so that each is polled every interval."""
        return self._interval / len(self._ciks)

    async def poll_once(self) -> float:
        cik = self._ciks[self._turn % len(self._ciks)]
        self._turn += 1
        context = self._context
        known = KnownAccessions(context.publisher.seen, self._baseline)
        found = await poll_company_feed(context.client, cik, known, count=self._count)
        context.metrics.polls.labels(source=self.source.value).inc()
        if found is None and cik not in self._unknown_to_edgar:
            self._unknown_to_edgar.add(cik)
            log.warning(
                "EDGAR has no filings for a watched CIK (yet); check the watchlist", cik=cik
            )
        unknown = found or ()
        if cik not in self._sighted:
            unknown, baseline = split_first_sight(unknown, horizon=self._horizon)
            self._baseline.update(filing.accession_number for filing in baseline)
            self._sighted.add(cik)
            log.info(
                "company feed baseline taken",
                cik=cik,
                older_than_memory=len(baseline),
                new=len(unknown),
                horizon=self._horizon.isoformat(),
            )
        await context.publisher.publish_new(unknown, self.source)
        return self._step
