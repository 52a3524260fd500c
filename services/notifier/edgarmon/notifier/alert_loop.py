"""The notifier's consumer loop: deliver, record in the ledger, then commit.

For each ``FilingClassified`` record, in partition order:

1. plan its deliveries and drop those the sent-ledger already has;
2. for each immediate delivery: send it, then publish its ``AlertSent`` and
   wait for the broker's acknowledgement, then go on;
3. queue its digest deliveries in the :class:`DigestBook` and *hold* the record;
4. mark it done, so the partition's commit watermark can move past it.

Open digests are sent when due (or full); their records are released once the
digest's ``AlertSent`` records are acknowledged. Offsets are committed after
each batch, never past a held record (:class:`CommitMarks`).

A permanent delivery error dead-letters the record with the reason (the other
deliveries of the record still go out). A transient one, after the sender's
own retries, rewinds the partition to the record and backs off: what was
already sent is in the ledger and is not sent again.

This is not :func:`edgarmon.core.consumer.consume`: that loop commits every
handled record and has no timer, while digests need a commit watermark held
back by queued alerts, a timer that sends them, and dropping them when
partitions are revoked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from edgarmon.core import codec
from edgarmon.core.consumer import Backoff, ConsumerMetrics, RebalanceGate
from edgarmon.core.errors import (
    ConfigurationError,
    DecodeError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from edgarmon.core.health import Health
from edgarmon.core.kafka import Publisher, dead_letter_for
from edgarmon.core.lifecycle import Shutdown
from edgarmon.core.messages import FilingClassified
from edgarmon.notifier.commit_marks import CommitMarks
from edgarmon.notifier.deliveries import Delivery
from edgarmon.notifier.digest import DigestBatch, DigestBook, DigestRetries
from edgarmon.notifier.dispatch import AlertDispatcher
from edgarmon.notifier.ledger_topic import LedgerWriter
from edgarmon.notifier.notifier_metrics import NotifierMetrics
from edgarmon.notifier.routes import DigestPolicy
from edgarmon.notifier.sent_ledger import SentLedger

log = structlog.get_logger(__name__)

POLL_TIMEOUT_MS = 500

UNDELIVERABLE = (PermanentDeliveryError, ConfigurationError, ValueError, LookupError, TypeError)
"""Failures that retrying cannot fix: dead-letter the record. Besides the senders'
permanent errors, a filing the renderer chokes on (a bug) must not stall its
partition forever; it is dead-lettered and logged with its traceback."""


class _Retry(Exception):
    """The record must be handled again later."""


class AssignmentGate(RebalanceGate):
    """The core gate (the batch in flight finishes before partitions move; ready once
    assigned), and two more things the notifier needs: a hook run under the lock when
    partitions are revoked, and :attr:`caught_up`, set only once ``on_assigned`` (the
    ledger catch-up) has finished, because aiokafka may already hand out records of
    the new assignment while its listener runs."""

    def __init__(
        self,
        health: Health,
        *,
        on_assigned: Callable[[set[TopicPartition]], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(health, on_assigned=on_assigned)
        self.on_revoked: Callable[[set[TopicPartition]], Awaitable[None]] | None = None
        self.caught_up = asyncio.Event()

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.lock:
            self.caught_up.clear()
            if self.on_revoked is not None:
                await self.on_revoked(revoked)
        log.info("partitions revoked", partitions=sorted(str(tp) for tp in revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await super().on_partitions_assigned(assigned)
        self.caught_up.set()


class AlertLoop:
    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        publisher: Publisher,
        writer: LedgerWriter,
        ledger: SentLedger,
        plan: Callable[[FilingClassified], tuple[Delivery, ...]],
        digest_policies: Mapping[str, DigestPolicy],
        dispatcher: AlertDispatcher,
        marks: CommitMarks[TopicPartition],
        gate: AssignmentGate,
        health: Health,
        shutdown: Shutdown,
        clock: Callable[[], float],
        consumer_metrics: ConsumerMetrics,
        metrics: NotifierMetrics,
        service: str,
        deadletter_topic: str,
        backoff: Backoff,
        batch_size: int,
        flush_digests_on_shutdown: bool,
    ) -> None:
        self._consumer = consumer
        self._publisher = publisher
        self._writer = writer
        self._ledger = ledger
        self._plan = plan
        self._policies = digest_policies
        self._dispatcher = dispatcher
        self._marks = marks
        self._gate = gate
        self._health = health
        self._shutdown = shutdown
        self._clock = clock
        self._consumer_metrics = consumer_metrics
        self._metrics = metrics
        self._service = service
        self._dlq = deadletter_topic
        self._backoff = backoff
        self._batch_size = batch_size
        self._flush_on_shutdown = flush_digests_on_shutdown
        self._book = DigestBook()
        self._retries = DigestRetries()
        self._generation = 0
        self._failures = 0

    # --- the loop ------------------------------------------------------------------

    async def run(self) -> None:
        """Consume until shutdown; then send or keep open digests, and commit."""
        while not self._shutdown.requested:
            self._health.tick()
            retry = not await self._publish_unpublished()
            if not retry:
                batch = await self._consumer.getmany(
                    timeout_ms=self._poll_timeout_ms(), max_records=self._batch_size
                )
                fetched_in = self._generation
                if batch:
                    await self._gate.caught_up.wait()
                async with self._gate.lock:
                    # A rebalance between the fetch and the lock made the batch stale:
                    # its partitions were forgotten and their positions reset.
                    if batch and fetched_in == self._generation:
                        retry = await self._process(batch)
                    await self._send_due_digests()
                    await self._commit()
                await self._report_lag()
            if retry:
                self._failures += 1
                delay = self._backoff.delay(self._failures)
                log.warning("transient failure, retrying later", delay_seconds=delay)
                await self._shutdown.sleep(delay)
            else:
                self._failures = 0
        await self._drain()
        log.info("consumer drained", reason=self._shutdown.reason)

    def _poll_timeout_ms(self) -> int:
        due = [
            at for at in (self._book.next_due_at(), self._retries.next_due_at()) if at is not None
        ]
        if not due:
            return POLL_TIMEOUT_MS
        wait_ms = (min(due) - self._clock()) * 1000
        return int(min(max(wait_ms, 0), POLL_TIMEOUT_MS))

    async def _publish_unpublished(self) -> bool:
        """Publish ledger records a failure left behind; False if still failing."""
        try:
            await self._writer.flush()
        except KafkaError as exc:
            log.warning("ledger still unwritable", error=str(exc))
            return False
        return True

    async def _process(self, batch: dict[TopicPartition, list[Any]]) -> bool:
        """Handle a batch; True if some partition was rewound to retry a record."""
        retry = False
        for partition, records in batch.items():
            for record in records:
                try:
                    await self._handle(partition, record)
                except (_Retry, KafkaError):
                    self._consumer.seek(partition, record.offset)
                    retry = True
                    break
                self._consumer_metrics.processed.labels(record.topic).inc()
        return retry

    async def _drain(self) -> None:
        async with self._gate.lock:
            if self._flush_on_shutdown:
                for waiting in self._retries.flush():
                    await self._send_digest(waiting.batch, waiting.failures)
                for batch in self._book.flush():
                    await self._send_digest(batch, 0)
            await self._publish_unpublished()
            await self._commit()
        self._update_gauges()

    # --- one record ------------------------------------------------------------------

    async def _handle(self, partition: TopicPartition, record: Any) -> None:
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            try:
                classified = codec.decode(record.value, record.headers or (), FilingClassified)
            except DecodeError as exc:
                log.warning("undecodable record dead-lettered", reason=exc.reason)
                await self._dead_letter(record, exc.reason, "DecodeError", None)
                self._marks.done(partition, record.offset)
                return
            accession = classified.filing.accession_number
            with structlog.contextvars.bound_contextvars(accession_number=accession):
                await self._handle_classified(partition, record, classified)

    async def _handle_classified(
        self, partition: TopicPartition, record: Any, classified: FilingClassified
    ) -> None:
        plan = self._plan(classified)
        unsent = self._ledger.unsent(plan)
        if len(plan) > len(unsent):
            self._metrics.duplicates_suppressed.inc(len(plan) - len(unsent))
            log.info("already sent, suppressed", deliveries=len(plan) - len(unsent))
        for delivery in unsent:
            if not delivery.digest:
                await self._deliver(delivery, classified, record)
        now = self._clock()
        held: list[str] = []
        full: list[DigestBatch] = []
        for delivery in (d for d in unsent if d.digest):
            if not self._marks.is_pending(delivery.ledger_key):
                policy = self._policies[delivery.route]
                if batch := self._book.add(delivery, classified, policy, now):
                    full.append(batch)
            held.append(delivery.ledger_key)
        self._marks.hold(partition, record.offset, record, held)
        for batch in full:
            await self._send_digest(batch, 0)
        self._update_gauges()

    async def _deliver(self, delivery: Delivery, classified: FilingClassified, record: Any) -> None:
        channel = delivery.channel.value
        try:
            sent = await self._dispatcher.deliver(delivery, classified)
        except TransientDeliveryError as exc:
            self._metrics.failures.labels(channel, "transient").inc()
            log.warning("delivery failed for now", destination=delivery.destination, error=str(exc))
            raise _Retry from exc
        except UNDELIVERABLE as exc:
            self._metrics.failures.labels(channel, "permanent").inc()
            await self._undeliverable(record, delivery, exc)
            return
        self._metrics.sent.labels(channel).inc()
        log.info("alert sent", route=delivery.route, destination=delivery.destination)
        try:
            await self._writer.write([sent])
        except KafkaError as exc:
            log.warning("ledger write failed; kept to publish again", error=str(exc))
            raise _Retry from exc

    async def _undeliverable(self, record: Any, delivery: Delivery, exc: Exception) -> None:
        if isinstance(exc, PermanentDeliveryError):
            log.warning("delivery failed permanently, dead-lettered", reason=exc.reason)
            reason = exc.reason
        else:
            log.exception("delivery impossible, dead-lettered")
            reason = f"{type(exc).__name__}: {exc}"
        where = f"route {delivery.route} -> {delivery.channel.value} {delivery.destination}"
        try:
            await self._dead_letter(
                record, f"{reason} ({where})", type(exc).__name__, delivery.accession_number
            )
        except KafkaError as error:
            raise _Retry from error

    async def _dead_letter(
        self, record: Any, reason: str, error_type: str, accession: str | None
    ) -> None:
        """Publish a dead letter for ``record`` and wait for the broker. Raises KafkaError."""
        letter = dead_letter_for(
            record,
            reason=reason,
            error_type=error_type,
            service=self._service,
            accession_number=accession,
        )
        await self._publisher.publish(self._dlq, letter)
        self._consumer_metrics.deadletters.labels(record.topic).inc()

    # --- digests ------------------------------------------------------------------

    async def _send_due_digests(self) -> None:
        now = self._clock()
        for waiting in self._retries.due(now):
            await self._send_digest(waiting.batch, waiting.failures)
        for batch in self._book.due(now):
            await self._send_digest(batch, 0)
        self._update_gauges()

    async def _send_digest(self, batch: DigestBatch, failures: int) -> None:
        """Send one digest; its records are released once its ledger records are
        acknowledged. A transient failure queues it again with backoff."""
        channel = batch.channel.value
        keys = [delivery.ledger_key for delivery in batch.deliveries]
        try:
            sent = await self._dispatcher.deliver_digest(batch)
        except TransientDeliveryError as exc:
            self._metrics.failures.labels(channel, "transient").inc()
            self._retry_digest(batch, failures + 1, str(exc))
            return
        except UNDELIVERABLE as exc:
            self._metrics.failures.labels(channel, "permanent").inc()
            try:
                for delivery in batch.deliveries:
                    for record in self._marks.holders(delivery.ledger_key):
                        await self._undeliverable(record, delivery, exc)
            except _Retry:
                self._retry_digest(batch, failures + 1, "dead-letter topic unwritable")
                return
            self._marks.release(keys)
            return
        self._metrics.sent.labels(channel).inc(len(sent))
        self._metrics.digests_sent.labels(channel).inc()
        log.info("digest sent", route=batch.route, destination=batch.destination, alerts=len(sent))
        try:
            await self._writer.write(sent)
        except KafkaError as exc:
            log.warning("ledger write failed; kept to publish again", error=str(exc))

    def _retry_digest(self, batch: DigestBatch, failures: int, reason: str) -> None:
        delay = self._backoff.delay(failures)
        log.warning("digest not sent, will retry", route=batch.route, delay=delay, error=reason)
        self._retries.add(batch, failures=failures, due_at=self._clock() + delay)

    # --- commits and rebalancing ------------------------------------------------------

    async def _commit(self) -> None:
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

    async def on_revoked(self, revoked: set[TopicPartition]) -> None:
        """Called under the gate lock: commit, then forget the revoked partitions and
        drop their queued digest alerts (their next owner queues them again)."""
        self._generation += 1
        await self._commit()
        orphaned = self._marks.forget(revoked)
        dropped = self._book.discard(orphaned) + self._retries.discard(orphaned)
        if dropped:
            log.info("queued digest alerts dropped with their partitions", alerts=dropped)
        self._update_gauges()

    def _update_gauges(self) -> None:
        self._metrics.digest_held.set(self._book.pending() + self._retries.pending())
        self._metrics.ledger_entries.set(len(self._ledger))

    async def _report_lag(self) -> None:
        for partition in self._consumer.assignment():
            end = self._consumer.last_stable_offset(partition)
            if end is None:
                continue
            try:
                position = await self._consumer.position(partition)
            except KafkaError:  # revoked meanwhile
                continue
            if position is not None:
                self._consumer_metrics.lag.labels(partition.topic, str(partition.partition)).set(
                    max(end - position, 0)
                )
