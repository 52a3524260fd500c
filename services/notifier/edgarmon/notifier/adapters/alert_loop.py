"""The notifier's consumer loop: deliver, record in the ledger, then commit.

For each ``FilingClassified`` record, in partition order:

1. plan its deliveries and drop those the sent-ledger already has;
2. for each immediate delivery: send it, then publish its ``AlertSent`` and
   wait for the broker's acknowledgement, then go on;
3. queue its digest deliveries (:class:`DigestSender`) and *hold* the record;
4. otherwise mark it done, so the partition's commit watermark moves past it.

Due digests are sent between batches; their records are released once the
digest's ``AlertSent`` records are acknowledged. Offsets are committed after
each batch, never past an unfinished or held record (:class:`CommitMarks`).

A permanent delivery error dead-letters the record with the reason (its other
deliveries still go out). A transient one, after the sender's own retries,
rewinds the partition to the record and backs off: what was already sent is in
the ledger and is not sent again. Any other exception while handling a record is
a bug: the record is dead-lettered with the exception's type and the traceback
logged (:func:`dead_letter_bugs`), and the loop goes on.

Liveness is ticked per record and during every wait (:class:`ShutdownAwareSleep`),
so a long Slack or SMTP outage does not get the pod killed. On shutdown those
waits end at once and the record in hand stays uncommitted; open digests are
flushed only within the drain time left.

This is not :func:`edgarmon.core.adapters.consumer.consume`: that loop commits every
handled record and has no timer, while digests need a commit watermark held
back by queued alerts, a timer that sends them, and dropping them when
partitions are revoked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from edgarmon.core.adapters.consumer import ConsumerMetrics
from edgarmon.core.adapters.health import Health
from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import DecodeError, TransientDeliveryError, TransientError
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.core.domain.retry import Backoff
from edgarmon.core.lifecycle import Shutdown
from edgarmon.notifier.adapters.assignment_gate import AssignmentGate
from edgarmon.notifier.adapters.consumer_lag import report_lag
from edgarmon.notifier.adapters.dead_letters import UNDELIVERABLE, DeadLetters, dead_letter_bugs
from edgarmon.notifier.adapters.digest_sender import DigestSender
from edgarmon.notifier.adapters.dispatch import AlertDispatcher
from edgarmon.notifier.adapters.ledger_topic import LedgerWriter
from edgarmon.notifier.adapters.notifier_metrics import NotifierMetrics
from edgarmon.notifier.adapters.shutdown_waits import ShutdownAwareSleep
from edgarmon.notifier.domain.commit_marks import CommitMarks
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.digest import DigestBatch
from edgarmon.notifier.domain.sent_ledger import SentLedger

log = structlog.get_logger(__name__)

POLL_TIMEOUT_MS = 500
DRAIN_RESERVE = 0.25
"""Share of the drain time kept, after flushing digests, to publish, commit and leave."""


class _Retry(Exception):
    """The record must be handled again later."""


class AlertLoop:
    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        writer: LedgerWriter,
        ledger: SentLedger,
        plan: Callable[[FilingClassified], tuple[Delivery, ...]],
        dispatcher: AlertDispatcher,
        digests: DigestSender,
        dead_letters: DeadLetters,
        marks: CommitMarks[TopicPartition],
        gate: AssignmentGate,
        health: Health,
        shutdown: Shutdown,
        pause: ShutdownAwareSleep,
        consumer_metrics: ConsumerMetrics,
        metrics: NotifierMetrics,
        backoff: Backoff,
        batch_size: int,
        flush_digests_on_shutdown: bool,
        drain_seconds: float,
    ) -> None:
        self._consumer = consumer
        self._writer = writer
        self._ledger = ledger
        self._plan = plan
        self._dispatcher = dispatcher
        self._digests = digests
        self._dead_letters = dead_letters
        self._marks = marks
        self._gate = gate
        self._health = health
        self._shutdown = shutdown
        self._pause = pause
        self._consumer_metrics = consumer_metrics
        self._metrics = metrics
        self._backoff = backoff
        self._batch_size = batch_size
        self._flush_on_shutdown = flush_digests_on_shutdown
        self._drain_seconds = drain_seconds
        self._generation = 0
        self._failures = 0

    # --- the loop ------------------------------------------------------------------

    async def run(self) -> None:
        """Consume until shutdown; then send (or keep) open digests, and commit."""
        noticed = asyncio.ensure_future(self._shutdown_noticed())
        try:
            await self._consume()
        finally:
            if not noticed.done():
                noticed.cancel()
        await self._drain(noticed.result() if noticed.done() else self._now())
        log.info("consumer drained", reason=self._shutdown.reason)

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    async def _shutdown_noticed(self) -> float:
        await self._shutdown.wait()
        return self._now()

    async def _consume(self) -> None:
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
                    await self._digests.send_due()
                    self._update_gauges()
                    await self._commit()
                    await report_lag(self._consumer, self._consumer_metrics.lag)
            if retry:
                self._failures += 1
                delay = self._backoff.delay(self._failures)
                log.warning("transient failure, retrying later", delay_seconds=delay)
                await self._pause.wait(delay)
            else:
                self._failures = 0

    def _poll_timeout_ms(self) -> int:
        """Wait for records no longer than until the next digest is due."""
        wait = self._digests.seconds_until_due()
        if wait is None:
            return POLL_TIMEOUT_MS
        return int(min(max(wait * 1000, 0), POLL_TIMEOUT_MS))

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
                self._health.tick()
                try:
                    await self._handle(partition, record)
                except (_Retry, KafkaError, TransientError):
                    self._consumer.seek(partition, record.offset)
                    retry = True
                    break
                self._consumer_metrics.processed.labels(record.topic).inc()
        return retry

    async def _drain(self, requested_at: float) -> None:
        async with self._gate.lock:
            if self._flush_on_shutdown:
                await self._flush_digests(requested_at)
            await self._publish_unpublished()
            await self._commit()
        self._update_gauges()

    async def _flush_digests(self, requested_at: float) -> None:
        """Send open digests, within the drain time left less a reserve; what is not
        sent by then stays held (uncommitted) and goes out after the restart."""
        budget = requested_at + self._drain_seconds * (1 - DRAIN_RESERVE) - self._now()
        try:
            async with asyncio.timeout(max(budget, 0.0)):
                await self._digests.drain()
        except TimeoutError:
            log.warning(
                "digest flush cut short by the drain time; the rest go out after restart",
                budget_seconds=round(budget, 3),
            )

    # --- one record ------------------------------------------------------------------

    async def _handle(self, partition: TopicPartition, record: Any) -> None:
        with structlog.contextvars.bound_contextvars(
            topic=record.topic, partition=record.partition, offset=record.offset
        ):
            try:
                classified = codec.decode(record.value, record.headers or (), FilingClassified)
            except DecodeError as exc:
                log.warning("undecodable record dead-lettered", reason=exc.reason)
                await self._dead_letters.record_failed(record, exc.reason, "DecodeError", None)
                self._marks.done(partition, record.offset)
                return
            accession = classified.filing.accession_number
            with structlog.contextvars.bound_contextvars(accession_number=accession):

                async def dead_letter(exc: Exception) -> None:
                    await self._dead_letters.record_failed(
                        record, repr(exc), type(exc).__name__, accession
                    )
                    self._marks.done(partition, record.offset)

                await dead_letter_bugs(
                    self._handle_classified(partition, record, classified),
                    expected=(_Retry, KafkaError, TransientError),
                    dead_letter=dead_letter,
                )

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
        digest_deliveries = [delivery for delivery in unsent if delivery.digest]
        full: list[DigestBatch] = []
        for delivery in digest_deliveries:
            if batch := self._digests.queue(delivery, classified):
                full.append(batch)
        self._marks.hold(
            partition, record.offset, record, [d.ledger_key for d in digest_deliveries]
        )
        for batch in full:
            await self._digests.send(batch)
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
            await self._dead_letters.delivery_failed(record, delivery, exc)
            return
        self._metrics.sent.labels(channel).inc()
        log.info("alert sent", route=delivery.route, destination=delivery.destination)
        try:
            await self._writer.write([sent])
        except KafkaError as exc:
            log.warning("ledger write failed; kept to publish again", error=str(exc))
            raise _Retry from exc

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
        """Run under the gate lock: commit, then forget the revoked partitions and drop
        their queued digest alerts (the next owner gets the records and queues them)."""
        self._generation += 1
        await self._commit()
        dropped = self._digests.discard(self._marks.forget(revoked))
        if dropped:
            log.info("queued digest alerts dropped with their partitions", alerts=dropped)
        self._update_gauges()

    def _update_gauges(self) -> None:
        self._metrics.digest_held.set(self._digests.pending())
        self._metrics.ledger_entries.set(len(self._ledger))
