"""Reconciliation against the daily index: at start-up for the days the poller was
down, then each night once the day's index is ready (``daily_index_hour`` ET).

Each index is read whole (``master`` flavor, conditional GET) and every filing it
lists that was never published is published now, with its acceptance time marked
estimated (the index gives only the date). The index is checked against published
accessions only, so it also catches what the feeds could not show: filings pushed
past the latest feed's depth by an outage, and letters released late while down.

A ready day whose index answers 404 is tried again every ``daily_index_retry_seconds``
for a few hours (SEC's nightly run "is usually completed within a few hours"), then
taken as a day without an index (a federal holiday).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

import structlog

from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.adapters.skipped_entry_log import SkippedEntryLog
from edgarmon.poller.adapters.sources import read_daily_index
from edgarmon.poller.domain.reconciliation import index_days_due, index_ready_at
from edgarmon.poller.workers.polling_loop import PollContext

log = structlog.get_logger(__name__)

NOT_PUBLISHED_GRACE: Final = timedelta(hours=4)


class DailyIndexWatch:
    """Reads the daily indexes that are due, one per round, oldest first."""

    def __init__(
        self,
        context: PollContext,
        *,
        startup_days: Sequence[date],
        done_through: date,
        ready_hour: int,
        max_days: int,
        check_seconds: float,
        retry_seconds: float,
    ) -> None:
        self._context = context
        self._pending = list(startup_days)
        self._done_through = done_through
        self._ready_hour = ready_hour
        self._max_days = max_days
        self._check = check_seconds
        self._retry = retry_seconds
        self._skipped = SkippedEntryLog(context.metrics.entries_skipped)

    @property
    def source(self) -> DiscoverySource:
        return DiscoverySource.DAILY_INDEX

    @property
    def retry_seconds(self) -> float:
        return self._retry

    @property
    def done_through(self) -> date:
        """The latest day whose index has been reconciled (or found absent)."""
        return self._done_through

    async def poll_once(self) -> float:
        context = self._context
        now = datetime.fromtimestamp(context.wall_clock(), UTC)
        if not self._pending:
            self._pending = list(
                index_days_due(
                    now,
                    after=self._done_through,
                    ready_hour=self._ready_hour,
                    max_days=self._max_days,
                )
            )
        if not self._pending:
            return self._check
        day = self._pending[0]
        read = await read_daily_index(
            context.client, day, context.publisher.seen, parsing=context.parsing
        )
        context.metrics.polls.labels(source=self.source.value).inc()
        if read.index is None:
            if now < index_ready_at(day, ready_hour=self._ready_hour) + NOT_PUBLISHED_GRACE:
                log.info("daily index not published yet; trying again later", day=str(day))
                return self._retry
            # Not a weekend nor a federal holiday (those are never asked for): EDGAR
            # should have published it. The latest feed and the company feeds brought
            # the day's filings; the backstop for what they missed is gone.
            context.metrics.daily_index_missing.inc()
            log.warning(
                "EDGAR published no daily index for a business day; its filings are not reconciled",
                day=str(day),
            )
        else:
            self._skipped.report(read.index.skipped)
            published = await context.publisher.publish_new(read.new, self.source)
            log.info(
                "daily index reconciled",
                day=str(day),
                listed=len(read.index.filings),
                published=len(published),
                not_modified=read.not_modified,
            )
        self._pending.pop(0)
        self._done_through = max(self._done_through, day)
        return 0.0 if self._pending else self._check
