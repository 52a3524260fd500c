"""Per-company feeds for the watchlist: where CORRESP and UPLOAD letters appear.

Letters are released about 20 business days late and carry their original dates,
so no date watermark can tell a new entry from an old one: an entry is new when
its accession is not known, whatever its date. One exception, at the *first sight*
of each feed after start-up: an unknown entry accepted before the memory's horizon
(see :mod:`edgarmon.poller.adapters.memory`) may have been published before the memory
begins, so it is taken as the feed's baseline and not published. A letter released
while the poller was down with a date that old is caught by the daily index of its
release day, which is checked against published accessions only, not the baseline.

The CIKs are polled in turn, each every ``company_feed_interval_seconds``. A letter
released late sits, by its date, behind every filing since: for a company that files
often, beyond the newest ``company_feed_count`` entries. So each turn also reads the
company's feeds of CORRESP and of UPLOAD letters alone (EDGAR's ``type=``), paging back
to a letter already known, at most ``company_letter_feed_pages`` pages each: three
requests a turn when nothing is new.

A watched CIK EDGAR has no filings for is normal: a newly registered company has its
CIK before its first filing (and the staff's letter may be that first filing). It is
said once at INFO, and once at WARNING only if it persists for
``NO_FILINGS_WARNING_AFTER`` (a day) of this process's polling, which is when a
mistyped CIK is the likelier cause; never at every poll (see :class:`FeedlessCiks`).

An entry of a feed that cannot be read is skipped and said once (see
:mod:`edgarmon.poller.domain.skipped_entries`); so is a feed whose own company cannot be read
(a ``<cik>`` of more than 10 digits), which loses all its entries. A feed of which
nothing could be read is not its first sight: the baseline is taken from the first
poll that reads something, or a fixed feed would publish the company's history.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

import structlog

from edgarmon.core.domain.filing import LETTER_FORMS, Filing
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.adapters.skipped_entry_log import SkippedEntryLog
from edgarmon.poller.adapters.sources import poll_company_feed, poll_letter_feed
from edgarmon.poller.workers.polling_loop import PollContext

log = structlog.get_logger(__name__)


NO_FILINGS_WARNING_AFTER: Final = timedelta(days=1)


class FeedlessCiks:
    """The watched CIKs EDGAR has had no filings for, and what to say about them: at the
    first such poll one INFO line; if the CIK still has none ``warn_after`` later
    (wall clock), one WARNING; nothing at the polls in between or after. A CIK that
    shows filings is forgotten, so it would be said again if it ever had none."""

    def __init__(self, *, warn_after: timedelta = NO_FILINGS_WARNING_AFTER) -> None:
        self._warn_after = warn_after.total_seconds()
        self._since: dict[int, float] = {}
        self._warned: set[int] = set()

    def no_filings(self, cik: int, now: float) -> None:
        since = self._since.get(cik)
        if since is None:
            self._since[cik] = now
            log.info(
                "EDGAR has no filings for a watched CIK yet (a new registrant?); "
                "its feed is polled on, and a first filing is published as usual",
                cik=cik,
            )
        elif now - since >= self._warn_after and cik not in self._warned:
            self._warned.add(cik)
            log.warning(
                "EDGAR still has no filings for a watched CIK; check the watchlist "
                "for a mistyped CIK",
                cik=cik,
                since=datetime.fromtimestamp(since, UTC).isoformat(),
            )

    def has_filings(self, cik: int) -> None:
        self._since.pop(cik, None)
        self._warned.discard(cik)


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
        letter_pages: int = 0,
    ) -> None:
        if not ciks:
            raise ValueError("the company feed watch needs at least one CIK")
        self._context = context
        self._ciks = tuple(dict.fromkeys(ciks))
        self._interval = interval_seconds
        self._count = count
        self._letter_pages = letter_pages
        self._horizon = horizon
        self._baseline: set[str] = set()
        self._sighted: set[int] = set()
        self._feedless = FeedlessCiks()
        self._skipped = SkippedEntryLog(context.metrics.entries_skipped)
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
        found = await poll_company_feed(
            context.client, cik, known, count=self._count, parsing=context.parsing
        )
        context.metrics.polls.labels(source=self.source.value).inc()
        if found is None:
            self._feedless.no_filings(cik, context.wall_clock())
        else:
            self._feedless.has_filings(cik)
            self._skipped.report(found.skipped)
            if found.unreadable:
                return self._step  # not a sight of the feed: no baseline from it
        unknown = found.filings if found is not None else ()
        if self._letter_pages:
            unknown = (*unknown, *await self._letters(cik, known))
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

    async def _letters(self, cik: int, known: KnownAccessions) -> tuple[Filing, ...]:
        """The company's letters not known yet, from its feeds of letters alone."""
        context = self._context
        letters: list[Filing] = []
        for form in LETTER_FORMS:
            found = await poll_letter_feed(
                context.client,
                cik,
                form,
                known,
                count=self._count,
                max_pages=self._letter_pages,
                parsing=context.parsing,
            )
            if found is not None:
                self._skipped.report(found.skipped)
                letters.extend(found.filings)
        return tuple(letters)
