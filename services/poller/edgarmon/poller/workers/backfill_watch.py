"""The poller's backfill source: the days of the jobs on the backfill topic, one per
round, published through the one :class:`FilingPublisher`.

The poller is the discovered topic's one writer, so a backfill cannot publish a
filing the live sources publish too: both go through the same memory and the same
transactions. When a job is first taken up, the discovered topic is replayed from
its beginning, so that a filing published before the memory's window is still
known. Each day's filings and the job's progress are one transaction: after a
crash the day is read again, and its filings, already remembered, are not sent twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from edgarmon.core.adapters.kafka import Outgoing
from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import DecodeError
from edgarmon.core.domain.filing import Filing
from edgarmon.core.domain.messages import BackfillJob, DiscoverySource
from edgarmon.poller.adapters.sources import read_daily_index
from edgarmon.poller.domain.backfill_jobs import ACTIVE, keeps, merged, next_day, progressed
from edgarmon.poller.workers.polling_loop import PollContext

log = structlog.get_logger(__name__)

KnownAccessions = Callable[[], Awaitable[frozenset[str]]]


class BackfillWatch:
    """Reads the next day of the first active job each round."""

    def __init__(
        self,
        context: PollContext,
        *,
        jobs_reader: AIOKafkaConsumer,
        topic: str,
        known_accessions: KnownAccessions,
        check_seconds: float,
        retry_seconds: float,
    ) -> None:
        self._context = context
        self._reader = jobs_reader
        self._topic = topic
        self._known_accessions = known_accessions
        self._known: frozenset[str] | None = None
        self._jobs: dict[str, BackfillJob] = {}
        self._check = check_seconds
        self._retry = retry_seconds

    @property
    def source(self) -> DiscoverySource:
        return DiscoverySource.BACKFILL

    @property
    def retry_seconds(self) -> float:
        return self._retry

    async def poll_once(self) -> float:
        await self._read_job_records()
        job = next((job for job in self._jobs.values() if job.state in ACTIVE), None)
        day = next_day(job) if job is not None else None
        if job is None or day is None:
            return self._check
        if self._known is None:
            self._known = await self._known_accessions()
            log.info("backfill: the discovered topic replayed", known=len(self._known))
        context = self._context
        read = await read_daily_index(
            context.client, day, context.publisher.seen, parsing=context.parsing
        )
        context.metrics.polls.labels(source=self.source.value).inc()
        listed = read.index.filings if read.index is not None else ()
        kept = [filing for filing in listed if keeps(job, filing)]
        fresh = [filing for filing in kept if filing.accession_number not in self._known]
        now = datetime.fromtimestamp(context.wall_clock(), UTC)
        advanced: list[BackfillJob] = []

        def progress(published: tuple[Filing, ...]) -> list[Outgoing]:
            job_after = progressed(
                job, day, listed=len(listed), kept=len(kept), published=len(published), now=now
            )
            advanced.append(job_after)
            return [Outgoing(self._topic, job_after)]

        published = await context.publisher.publish_new(fresh, self.source, also=progress)
        (done,) = advanced
        self._jobs[job.job_id] = done
        log.info(
            "backfill day read",
            job_id=job.job_id,
            day=str(day),
            listed=len(listed),
            kept=len(kept),
            published=len(published),
            state=done.state.value,
        )
        return 0.0

    async def _read_job_records(self) -> None:
        for job in decoded_jobs(await self._reader.getmany(timeout_ms=0)):
            self._jobs[job.job_id] = merged(self._jobs.get(job.job_id), job)


def decoded_jobs(
    batches: Mapping[TopicPartition, Sequence[ConsumerRecord[Any, Any]]],
) -> Iterator[BackfillJob]:
    """The jobs in a consumer's batches, in order; an undecodable record is skipped with
    a warning (the job topic is replayed, never dead-lettered)."""
    for records in batches.values():
        for record in records:
            try:
                yield codec.decode(record.value, record.headers or (), BackfillJob)
            except DecodeError as exc:
                log.warning("backfill: skipping an undecodable job record", reason=exc.reason)
