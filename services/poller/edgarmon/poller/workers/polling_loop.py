"""The loop every source runs, and the latest-filings feed's poll.

Each source loop: wait out any fair-access block (every source pauses, none sends a
request), poll once, publish what is new, tick the liveness probe, and wait for the
next round. A poll that fails with an EDGAR error (unavailable, a feed that does not
parse, a block) is logged once, counted in ``edgarmon_poll_errors_total{source}``,
and the next round starts afresh: nothing is added to the memory until published.
Kafka errors are not caught here (see :mod:`edgarmon.poller.adapters.publishing`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

import structlog

from edgarmon.core.adapters.bounded_work import Parsing
from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.adapters.health import Health
from edgarmon.core.domain.errors import (
    EdgarError,
    EdgarUnavailable,
    FairAccessBlocked,
    ShutdownInProgress,
)
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.adapters.metrics import PollerMetrics
from edgarmon.poller.adapters.publishing import FilingPublisher
from edgarmon.poller.adapters.skipped_entry_log import SkippedEntryLog
from edgarmon.poller.adapters.sources import poll_latest
from edgarmon.poller.workers.pacing import Pacer

log = structlog.get_logger(__name__)

DEEP_FAILURES_BEFORE_STOPPING: Final = 2
"""Failed latest-feed polls in a row after which a failure past the first page ends
the walk (see :func:`~edgarmon.poller.adapters.sources.poll_latest`) instead of the poll."""


@dataclass(frozen=True)
class PollContext:
    """What every source loop shares, built once in ``serve``."""

    client: EdgarClient
    parsing: Parsing
    """Where EDGAR's feeds and indexes are parsed: bounded worker processes."""
    publisher: FilingPublisher
    metrics: PollerMetrics
    pacer: Pacer
    health: Health
    wall_clock: Callable[[], float]


class SourceWatch(Protocol):
    """One source, polled by :func:`run_polls`."""

    @property
    def source(self) -> DiscoverySource: ...

    @property
    def retry_seconds(self) -> float:
        """How long to wait after a failed poll."""
        ...

    async def poll_once(self) -> float:
        """Poll if due (counting ``edgarmon_polls_total``) and publish. Returns how long
        to wait before the next round, from the moment the poll started (client clock)."""
        ...


async def run_polls(watch: SourceWatch, context: PollContext) -> None:
    """Run ``watch`` until shutdown (see the module docstring)."""
    source = watch.source.value
    while not await context.pacer.wait_out_block(context.client):
        started = context.pacer.now()
        try:
            wait = await watch.poll_once()
        except ShutdownInProgress:  # a parse in flight ended by the drain: nothing lost
            return
        except FairAccessBlocked:
            # the client has logged the block once; every source now waits it out
            context.metrics.poll_errors.labels(source=source).inc()
            continue
        except EdgarError as exc:
            context.metrics.poll_errors.labels(source=source).inc()
            log.error(  # noqa: TRY400 -- an expected EDGAR failure: one clear line
                "poll failed; the next poll starts afresh",
                source=source,
                error_type=type(exc).__name__,
                error=str(exc),
            )
            wait = watch.retry_seconds
        context.health.tick()
        if await context.pacer.pause(started + wait - context.pacer.now()):
            return


class LatestFeedWatch:
    """Polls the latest-filings feed from the top, paging until a known accession."""

    def __init__(
        self,
        context: PollContext,
        *,
        interval_seconds: float,
        page_size: int,
        depth: int,
        horizon: datetime,
        on_first_poll: Callable[[], None],
    ) -> None:
        self._context = context
        self._interval = interval_seconds
        self._page_size = page_size
        self._depth = depth
        self._horizon = horizon
        self._on_first_poll: Callable[[], None] | None = on_first_poll
        self._failures = 0
        self._skipped = SkippedEntryLog(context.metrics.entries_skipped)

    @property
    def source(self) -> DiscoverySource:
        return DiscoverySource.LATEST_FEED

    @property
    def retry_seconds(self) -> float:
        return self._interval

    async def poll_once(self) -> float:
        try:
            await self._poll()
            self._failures = 0
        except EdgarUnavailable:
            self._failures += 1
            raise
        finally:
            if self._on_first_poll is not None:
                self._on_first_poll()
                self._on_first_poll = None
        return self._interval

    async def _poll(self) -> None:
        context = self._context
        poll = await poll_latest(
            context.client,
            context.publisher.seen,
            page_size=self._page_size,
            depth=self._depth,
            horizon=self._horizon,
            stop_on_deep_failure=self._failures >= DEEP_FAILURES_BEFORE_STOPPING,
            parsing=context.parsing,
        )
        source = self.source
        context.metrics.polls.labels(source=source.value).inc()
        self._skipped.report(poll.skipped)
        if poll.depth_exhausted:
            context.metrics.depth_exhausted.inc()
            log.warning(
                "the latest feed was read to EDGAR's depth without meeting a known filing; "
                "the daily index will fill any gap tonight",
                pages_read=poll.pages_read,
            )
        await context.publisher.publish_new(poll.filings, source)
