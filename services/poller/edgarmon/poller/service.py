"""The poller service: every new EDGAR filing published to Kafka exactly once.

:func:`serve` is the one place that builds the dependencies (topics, the
transactional producer, the memory, the EDGAR client with the process's one request
budget, metrics on the runtime's registry) and runs the sources side by side in a
``TaskGroup``: the latest-filings feed (every second), the watchlist's company feeds,
the daily-index reconciliation, and the days of backfill jobs. ``edgarmon poller``
and the demo both run it.

Order matters for exactly once: the producer starts first (its ``transactional_id``
fences a previous instance and aborts the transaction it left open), then the
memory is replayed ``read_committed`` from the topic, then polling starts.
A Kafka failure stops the service with :class:`TransientError`: the outcome of the
transaction in flight is unknown, and a restart settles it as above.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import structlog
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError

from edgarmon.core.adapters.bounded_work import bounded_workers
from edgarmon.core.adapters.edgar_http import open_edgar_client
from edgarmon.core.adapters.kafka import (
    ensure_topics,
    open_producer,
    open_topic_reader,
    replay_topic,
)
from edgarmon.core.domain.errors import TransientError
from edgarmon.core.domain.filing import EASTERN
from edgarmon.core.domain.messages import FilingDiscovered
from edgarmon.core.domain.topics import public_topics
from edgarmon.core.lifecycle import ServiceRuntime
from edgarmon.poller.adapters.memory import StartupMemory, rebuild_memory
from edgarmon.poller.adapters.metrics import PollerMetrics
from edgarmon.poller.adapters.publishing import FilingPublisher
from edgarmon.poller.domain.reconciliation import days_to_reconcile, latest_ready_day
from edgarmon.poller.settings import PollerSettings
from edgarmon.poller.workers.backfill_watch import BackfillWatch
from edgarmon.poller.workers.company_watch import CompanyFeedWatch
from edgarmon.poller.workers.index_watch import DailyIndexWatch
from edgarmon.poller.workers.pacing import Pacer, PollerTiming
from edgarmon.poller.workers.polling_loop import (
    LatestFeedWatch,
    PollContext,
    SourceWatch,
    run_polls,
)

log = structlog.get_logger(__name__)


async def serve(
    settings: PollerSettings, runtime: ServiceRuntime, *, timing: PollerTiming | None = None
) -> None:
    """Run the poller until ``runtime.shutdown`` is requested. ``timing`` is the EDGAR
    client's clock and sleep (tests inject them); ``runtime.clock`` is the wall clock."""
    timing = timing or PollerTiming()
    runtime.health.set_ready(False, "rebuilding the memory from Kafka")
    log.info(
        "poller starting",
        edgar_base_url=settings.edgar_base_url,
        requests_per_second=settings.edgar_requests_per_second,
        latest_feed_interval_seconds=settings.latest_feed_interval_seconds,
        watchlist=len(settings.watchlist_ciks),
        topic=settings.topic_discovered,
    )
    kafka_failure: BaseExceptionGroup[KafkaError] | None = None
    try:
        await _serve(settings, runtime, timing)
    except* KafkaError as failure:
        kafka_failure = failure
    if kafka_failure is not None:
        errors = "; ".join(repr(error) for error in kafka_failure.exceptions)
        log.error(
            "Kafka failed: stopping, so that a restart fences this producer and rebuilds "
            "the memory from what was committed",
            error=errors,
        )
        raise TransientError(f"Kafka failed: {errors}") from kafka_failure


async def _serve(settings: PollerSettings, runtime: ServiceRuntime, timing: PollerTiming) -> None:
    await ensure_topics(settings, public_topics(settings))
    metrics = PollerMetrics(runtime.registry)
    async with open_producer(settings, transactional_id=settings.poller_transactional_id) as (
        producer
    ):
        now = datetime.fromtimestamp(runtime.clock(), UTC)
        memory = await rebuild_memory(settings, now=now)
        runtime.health.tick()
        if runtime.shutdown.requested:
            return
        metrics.seen.set(len(memory.seen))
        async with (
            open_topic_reader(settings, settings.topic_backfill, purpose="backfill-jobs") as (
                jobs_reader,
                job_partitions,
            ),
            open_edgar_client(
                settings, registry=runtime.registry, clock=timing.clock, sleep=timing.sleep
            ) as client,
            bounded_workers(
                settings.parse_budget,
                workers=settings.parse_workers,
                name="feed parse",
                shutdown=runtime.shutdown,
            ) as parsing,
        ):
            context = PollContext(
                client=client,
                parsing=parsing,
                publisher=FilingPublisher(
                    producer,
                    topic=settings.topic_discovered,
                    seen=memory.seen,
                    metrics=metrics,
                    clock=runtime.clock,
                    event_source=f"/edgarmon/{runtime.name}",
                ),
                metrics=metrics,
                pacer=Pacer(timing, runtime.shutdown, runtime.health),
                health=runtime.health,
                wall_clock=runtime.clock,
            )
            if jobs_reader is not None:
                await jobs_reader.seek_to_beginning(*job_partitions)
            watches = build_watches(settings, runtime, context, memory, now=now)
            if jobs_reader is not None:
                watches.append(backfill_watch(settings, context, jobs_reader))
            async with asyncio.TaskGroup() as group:
                for watch in watches:
                    group.create_task(run_polls(watch, context), name=watch.source.value)
    log.info("poller stopped", remembered=len(memory.seen))


def backfill_watch(
    settings: PollerSettings, context: PollContext, jobs_reader: AIOKafkaConsumer
) -> BackfillWatch:
    """The backfill jobs' source (``edgarmon backfill`` writes the jobs)."""

    async def known_accessions() -> frozenset[str]:
        return frozenset(
            [
                event.filing.accession_number
                async for event in replay_topic(
                    settings, settings.topic_discovered, FilingDiscovered
                )
            ]
        )

    return BackfillWatch(
        context,
        jobs_reader=jobs_reader,
        topic=settings.topic_backfill,
        known_accessions=known_accessions,
        check_seconds=min(settings.latest_feed_interval_seconds, 5.0),
        retry_seconds=settings.daily_index_retry_seconds,
    )


def build_watches(
    settings: PollerSettings,
    runtime: ServiceRuntime,
    context: PollContext,
    memory: StartupMemory,
    *,
    now: datetime,
) -> list[SourceWatch]:
    """The sources to run: the latest feed, the company feeds (with a watchlist) and
    the daily index (start-up days first, for the time the poller was down)."""

    def first_poll_done() -> None:
        runtime.health.set_ready(True, "memory rebuilt and first poll done")

    watches: list[SourceWatch] = [
        LatestFeedWatch(
            context,
            interval_seconds=settings.latest_feed_interval_seconds,
            page_size=settings.latest_feed_page_size,
            depth=settings.latest_feed_depth,
            horizon=memory.horizon,
            on_first_poll=first_poll_done,
        )
    ]
    if settings.watchlist_ciks:
        watches.append(
            CompanyFeedWatch(
                context,
                ciks=settings.watchlist_ciks,
                interval_seconds=settings.company_feed_interval_seconds,
                count=settings.company_feed_count,
                horizon=memory.horizon,
                letter_pages=settings.company_letter_feed_pages,
            )
        )
    ready_hour = settings.daily_index_hour
    startup_days: tuple[date, ...] = ()
    if memory.last_alive is not None:
        startup_days = days_to_reconcile(
            now,
            since=memory.last_alive,
            ready_hour=ready_hour,
            max_days=settings.reconciliation_max_days,
        )
        last_day = memory.last_alive.astimezone(EASTERN).date()
        if len(startup_days) >= settings.reconciliation_max_days and startup_days[0] > last_day:
            log.warning(
                "down longer than the reconciliation window: older days are not reconciled",
                last_alive=memory.last_alive.isoformat(),
                first_day=str(startup_days[0]),
            )
    log.info(
        "daily indexes to reconcile at start-up",
        days=[str(day) for day in startup_days],
        first_start=memory.first_start,
    )
    watches.append(
        DailyIndexWatch(
            context,
            startup_days=startup_days,
            done_through=latest_ready_day(now, ready_hour=ready_hour),
            ready_hour=ready_hour,
            max_days=settings.reconciliation_max_days,
            check_seconds=min(settings.latest_feed_interval_seconds, 30.0),
            retry_seconds=settings.daily_index_retry_seconds,
        )
    )
    return watches
