"""The one consumer engine every consuming service runs.

For each record it binds the log context (topic, partition, offset, then the
accession number), decodes it with the codec, and calls the service's handler,
which returns the messages to publish. It commits in one of two modes:

- **transactional** (classifier): publish and commit the offsets inside one Kafka
  transaction, so a crash yields neither a duplicate nor a gap for
  ``read_committed`` readers;
- **watermark** (notifier, and any service without a transactional id): publish
  with the idempotent producer, then commit each partition's
  :class:`~edgarmon.core.domain.commit_marks.CommitMarks` watermark. A handler
  may *hold* a record there until work it queued is done (an alert waiting for
  its destination); the watermark never passes a held record, so a crash
  redelivers it.

A record that cannot be decoded, or whose handler fails with a permanent
:class:`~edgarmon.core.domain.errors.EdgarmonError`, goes to the dead-letter topic
with the reason, and the loop goes on. A :class:`TransientError` or a Kafka
error is not committed: the partition is rewound to that record and retried
after a capped back-off (:class:`~edgarmon.core.domain.retry.Backoff`). A handler
bug is dead-lettered too, with its traceback logged, so one poison record can
never crash-loop a consumer.

What a service adds goes through :class:`ConsumerHooks`: work before each fetch
(publish what a failure left behind), a shorter poll when a timer is due, work
after each batch (send due digests), what to drop when partitions are revoked,
and a drain on shutdown. The :class:`RebalanceGate` keeps batches and
rebalances apart: a batch fetched before a revocation is dropped unhandled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError, ProducerFenced

from edgarmon.core.adapters.consumer_hooks import NO_HOOKS, ConsumerHooks, Handler
from edgarmon.core.adapters.consumer_lag import report_lag
from edgarmon.core.adapters.consumer_metrics import ConsumerMetrics
from edgarmon.core.adapters.health import Health
from edgarmon.core.adapters.kafka import (
    Outgoing,
    Publisher,
    dead_letter_for,
    ensure_topics,
    open_consumer,
    open_producer,
)
from edgarmon.core.adapters.rebalance import RebalanceGate
from edgarmon.core.domain import codec
from edgarmon.core.domain.commit_marks import CommitMarks
from edgarmon.core.domain.errors import DecodeError, EdgarmonError, TransientError
from edgarmon.core.domain.filing import normalize_accession
from edgarmon.core.domain.messages import Message
from edgarmon.core.domain.retry import Backoff
from edgarmon.core.domain.topics import public_topics
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.core.settings import ServiceSettings

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=Message)


class _Retry(Exception):
    """A record must be handled again later."""


@dataclass
class _Pending:
    """Handled records not yet published and committed: what to publish, and the
    offset to commit per partition."""

    outgoing: list[Outgoing] = field(default_factory=list)
    offsets: dict[TopicPartition, int] = field(default_factory=dict)

    def add(
        self, partition: TopicPartition, next_offset: int, outgoing: Sequence[Outgoing]
    ) -> None:
        self.outgoing.extend(outgoing)
        self.offsets[partition] = next_offset

    def take(self) -> tuple[list[Outgoing], dict[TopicPartition, int]]:
        taken = self.outgoing, self.offsets
        self.outgoing, self.offsets = [], {}
        return taken


class ConsumerLoop(Generic[M]):
    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        publisher: Publisher,
        message_type: type[M],
        handler: Handler[M],
        service: str,
        deadletter_topic: str,
        health: Health,
        shutdown: Shutdown,
        metrics: ConsumerMetrics,
        gate: RebalanceGate,
        group_id: str,
        transactional: bool = False,
        marks: CommitMarks[TopicPartition] | None = None,
        hooks: ConsumerHooks = NO_HOOKS,
        batch_size: int = 100,
        poll_timeout_ms: int = 500,
        backoff: Backoff | None = None,
        pause: Callable[[float], Awaitable[object]] | None = None,
        slow: Callable[[M], bool] | None = None,
    ) -> None:
        if transactional and marks is not None:
            raise ValueError("commit marks are for the watermark mode, not transactions")
        self._consumer = consumer
        self._publisher = publisher
        self._type = message_type
        self._handler = handler
        self._service = service
        self._dlq = deadletter_topic
        self._health = health
        self._shutdown = shutdown
        self._metrics = metrics
        self._gate = gate
        self._group_id = group_id
        self._transactional = transactional
        self._marks: CommitMarks[TopicPartition] = marks if marks is not None else CommitMarks()
        self._hooks = hooks
        self._batch_size = batch_size
        self._poll_timeout_ms = poll_timeout_ms
        self._backoff = backoff or Backoff()
        self._pause = pause or shutdown.sleep
        self._slow = slow
        self._failures = 0
        gate.on_revoked = self._revoked

    async def run(self) -> None:
        """Consume until shutdown is requested; the batch in flight is finished and
        committed, then the hooks drain."""
        noticed = asyncio.ensure_future(self._shutdown_noticed())
        try:
            await self._consume()
        finally:
            if not noticed.done():
                noticed.cancel()
        requested_at = noticed.result() if noticed.done() and not noticed.cancelled() else _now()
        async with self._gate.lock:
            await self._hooks.drain(requested_at)
            if not self._transactional:
                await self._commit_marks()
        log.info("consumer drained", reason=self._shutdown.reason)

    async def _shutdown_noticed(self) -> float:
        await self._shutdown.wait()
        return _now()

    async def _consume(self) -> None:
        while not self._shutdown.requested:
            self._health.tick()
            retry = await self._one_round()
            if retry:
                self._failures += 1
                delay = self._backoff.delay(self._failures)
                log.warning("transient failure, retrying the record", delay_seconds=delay)
                await self._pause(delay)
            else:
                self._failures = 0

    async def _one_round(self) -> bool:
        """Fetch and handle one batch; True if something must be tried again later."""
        async with self._gate.lock:
            ready = await self._hooks.before_fetch()
        if not ready:
            return True
        fetched_in = self._gate.generation
        batch = await self._consumer.getmany(
            timeout_ms=self._hooks.poll_timeout_ms(self._poll_timeout_ms),
            max_records=self._batch_size,
        )
        if batch:
            await self._gate.caught_up.wait()
        async with self._gate.lock:
            # A rebalance since the fetch made the batch stale: its partitions were
            # forgotten and their positions reset to the last commit.
            fresh = {} if fetched_in != self._gate.generation else batch
            retry = await self._process_or_rewind(fresh) if fresh else False
            await self._hooks.after_batch()
            if not self._transactional:
                await self._commit_marks()
            await report_lag(self._consumer, self._metrics.lag)
        return retry

    async def _revoked(self, revoked: set[TopicPartition]) -> None:
        """Under the gate's lock: commit what is done, forget the revoked partitions and
        let the service drop what it queued for their records (their next owner gets
        the records again from the last commit)."""
        orphaned: frozenset[str] = frozenset()
        if not self._transactional:
            await self._commit_marks()
            orphaned = self._marks.forget(revoked)
        await self._hooks.on_revoked(orphaned)

    async def _commit_marks(self) -> None:
        assigned = self._consumer.assignment()
        offsets = {tp: o for tp, o in self._marks.committable().items() if tp in assigned}
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except KafkaError as exc:
            log.warning("commit failed; the records will be redelivered", error=str(exc))
            return
        self._marks.committed(offsets)

    async def _process_or_rewind(self, batch: dict[TopicPartition, list[Any]]) -> bool:
        """Process a batch; if publishing or committing fails, rewind its partitions to
        their first records not committed yet, so those are handled again (the runs of the
        batch committed before the failure are not)."""
        flushed: dict[TopicPartition, int] = {}
        try:
            return await self._process(batch, flushed)
        except ProducerFenced:
            log.exception("another instance took over this transactional id; stopping")
            raise
        except KafkaError as exc:
            log.warning("publish or commit failed, rewinding", error=repr(exc))
            owned = self._consumer.assignment()
            for partition, records in batch.items():
                if partition in owned:
                    self._consumer.seek(partition, flushed.get(partition, records[0].offset))
            return True

    async def _process(
        self, batch: dict[TopicPartition, list[Any]], flushed: dict[TopicPartition, int]
    ) -> bool:
        """Handle a batch; returns True if some partition must be retried.

        Handlers only compute what to publish, so the slow part (fetching from EDGAR)
        runs before any transaction opens: a transaction lasts only as long as
        publishing and committing, far below the broker's transaction timeout.

        What was handled is published and committed *before* a record the ``slow``
        predicate picks (a filing that needs EDGAR), so quick records never wait for a
        slow one's fetches: a batch is cut into runs that each end with at most one slow
        record, followed by the quick ones after it."""
        pending = _Pending()
        retry = False
        for partition, records in batch.items():
            for record in records:
                self._health.tick()  # a slow batch is progress, not a stalled loop
                try:
                    outgoing = await self._handle(
                        record, before_slow=lambda: self._flush(pending, flushed)
                    )
                except _Retry:
                    self._consumer.seek(partition, record.offset)
                    retry = True
                    break
                pending.add(partition, record.offset + 1, outgoing)
                self._metrics.processed.labels(record.topic).inc()
        await self._flush(pending, flushed)
        return retry

    async def _flush(self, pending: _Pending, flushed: dict[TopicPartition, int]) -> None:
        """Publish what was handled so far; in transactional mode commit its offsets in
        the same transaction, in watermark mode mark the records done (the watermark is
        committed after the batch). ``flushed`` gets the next offset per partition."""
        if not pending.offsets:
            return
        outgoing, offsets = pending.take()
        opened_at = time.time()
        if self._transactional:
            producer = self._publisher.producer
            async with producer.transaction():
                await self._publisher.publish_all(outgoing)
                await producer.send_offsets_to_transaction(offsets, self._group_id)
        else:
            await self._publisher.publish_all(outgoing)
            for partition, next_offset in offsets.items():
                self._marks.done(partition, next_offset - 1)
        flushed.update(offsets)
        log.debug(
            "batch committed",
            events=[item.message.event_id() for item in outgoing],
            records=len(outgoing),
            opened_at=round(opened_at, 6),
            committed_at=round(time.time(), 6),
        )

    async def _handle(
        self, record: Any, *, before_slow: Callable[[], Awaitable[None]]
    ) -> Sequence[Outgoing]:
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            try:
                message = codec.decode(record.value, record.headers or (), self._type)
            except DecodeError as exc:
                log.warning("undecodable record dead-lettered", reason=exc.reason)
                return [self._dead_letter(record, exc.reason, "DecodeError")]
            if self._slow is not None and self._slow(message):
                await before_slow()
            accession = message.event_id()
            with structlog.contextvars.bound_contextvars(accession_number=accession):
                return await self._call_handler(message, record, accession)

    async def _call_handler(self, message: M, record: Any, accession: str) -> Sequence[Outgoing]:
        try:
            return await self._handler(message, record)
        except (TransientError, KafkaError) as exc:
            log.warning("transient failure", error=str(exc), error_type=type(exc).__name__)
            raise _Retry from exc
        except EdgarmonError as exc:
            log.warning("record failed permanently, dead-lettered", error=str(exc))
            return [self._dead_letter(record, str(exc), type(exc).__name__, accession)]
        except Exception as exc:
            # The one broad catch: a handler bug must not crash-loop the consumer. It is not
            # hidden: the traceback is logged at error level and the record is dead-lettered.
            log.exception("handler bug, record dead-lettered")
            return [self._dead_letter(record, repr(exc), type(exc).__name__, accession)]

    def _dead_letter(
        self, record: Any, reason: str, error_type: str, accession: str | None = None
    ) -> Outgoing:
        self._metrics.deadletters.labels(record.topic).inc()
        letter = dead_letter_for(
            record,
            reason=reason,
            error_type=error_type,
            service=self._service,
            accession_number=accession or _accession_from_headers(record),
        )
        return Outgoing(self._dlq, letter)


def _now() -> float:
    return asyncio.get_running_loop().time()


def _accession_from_headers(record: Any) -> str | None:
    ce_id = codec.header_map(record.headers or ()).get("ce_id", "")
    try:
        return normalize_accession(ce_id)
    except ValueError:
        return None


async def consume(
    settings: ServiceSettings,
    runtime: ServiceRuntime,
    *,
    topics: Sequence[str],
    group_id: str,
    message_type: type[M],
    handler: Handler[M],
    transactional_id: str | None = None,
    on_assigned: Callable[[set[TopicPartition]], Awaitable[None]] | None = None,
    batch_size: int = 100,
    slow: Callable[[M], bool] | None = None,
) -> None:
    """Assemble producer, consumer and loop for a consuming service, and run until shutdown.

    With ``transactional_id`` the loop publishes and commits in Kafka transactions;
    without it, it publishes with the idempotent producer and then commits. What was
    handled is committed before each message ``slow`` picks, so that quick messages do
    not wait for a slow one.
    """
    await ensure_topics(settings, public_topics(settings))
    metrics = ConsumerMetrics(runtime.registry)
    gate = RebalanceGate(runtime.health, on_assigned=on_assigned)
    async with (
        open_producer(settings, transactional_id=transactional_id) as producer,
        open_consumer(settings, topics=topics, group_id=group_id, listener=gate) as consumer,
    ):
        loop = ConsumerLoop(
            consumer=consumer,
            publisher=Publisher(producer, source=f"/edgarmon/{runtime.name}"),
            message_type=message_type,
            handler=handler,
            service=runtime.name,
            deadletter_topic=settings.topic_deadletter,
            health=runtime.health,
            shutdown=runtime.shutdown,
            metrics=metrics,
            gate=gate,
            group_id=group_id,
            transactional=transactional_id is not None,
            batch_size=batch_size,
            slow=slow,
        )
        await loop.run()
