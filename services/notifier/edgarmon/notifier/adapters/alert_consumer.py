"""What the notifier adds to the core consumer engine: its handler and its hooks.

The engine (:class:`edgarmon.core.adapters.consumer.ConsumerLoop`, watermark mode)
decodes each ``FilingClassified``, dead-letters what cannot be read, retries
transient failures and commits each partition's watermark. For one record,
:class:`AlertHandler`:

1. plans its deliveries and drops those the sent-ledger already has;
2. *holds* the record in the commit marks on the ledger keys of the rest;
3. hands each immediate delivery to its destination's queue, and each digest
   delivery to its digest batch, and returns at once: no delivery is awaited
   here, so one failing destination never holds back another.

The record is released (and the watermark moves past it) once each of its
alerts is in the ledger or dead-lettered. A delivery already queued for an
earlier copy of the record (a redelivery) is not queued twice.

:class:`AlertHooks` publishes ledger records a failure left behind before each
fetch, shortens the poll to the next due digest, hands due digests to their
destinations after each batch, drops what was queued for revoked partitions,
and on shutdown sends (or keeps) open digests within the drain time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError

from edgarmon.core.adapters.consumer_hooks import ConsumerHooks
from edgarmon.core.adapters.kafka import Outgoing
from edgarmon.core.domain.commit_marks import CommitMarks
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.adapters.alert_sending import AlertSending
from edgarmon.notifier.adapters.destination_queues import DestinationQueues
from edgarmon.notifier.adapters.digest_sender import DigestSender
from edgarmon.notifier.adapters.ledger_topic import LedgerWriter
from edgarmon.notifier.adapters.notifier_metrics import NotifierMetrics
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.sent_ledger import SentLedger

log = structlog.get_logger(__name__)

DRAIN_RESERVE = 0.25
"""Share of the drain time kept, after flushing digests, to publish, commit and leave."""


@dataclass(frozen=True, slots=True)
class AlertHandler:
    plan: Callable[[FilingClassified], tuple[Delivery, ...]]
    ledger: SentLedger
    marks: CommitMarks[TopicPartition]
    digests: DigestSender
    queues: DestinationQueues
    sending: AlertSending
    metrics: NotifierMetrics

    async def __call__(self, message: FilingClassified, record: Any) -> Sequence[Outgoing]:
        classified = message
        plan = self.plan(classified)
        unsent = self.ledger.unsent(plan)
        if len(plan) > len(unsent):
            self.metrics.duplicates_suppressed.inc(len(plan) - len(unsent))
            log.info("already sent, suppressed", deliveries=len(plan) - len(unsent))
        fresh = [d for d in unsent if not self.marks.is_pending(d.ledger_key)]
        partition = TopicPartition(record.topic, record.partition)
        self.marks.hold(partition, record.offset, record, [d.ledger_key for d in unsent])
        for delivery in fresh:
            if delivery.digest:
                if full := self.digests.queue(delivery, classified):
                    await self.queues.submit(self.sending.digest(full))
            else:
                await self.queues.submit(self.sending.alert(delivery, classified, record))
        return ()


@dataclass(frozen=True, slots=True)
class AlertHooks(ConsumerHooks):
    writer: LedgerWriter
    ledger: SentLedger
    digests: DigestSender
    queues: DestinationQueues
    sending: AlertSending
    metrics: NotifierMetrics
    flush_digests_on_shutdown: bool
    drain_seconds: float

    async def before_fetch(self) -> bool:
        """Publish ledger records a failure left behind; False while still failing."""
        try:
            await self.writer.flush()
        except KafkaError as exc:
            log.warning("ledger still unwritable", error=str(exc))
            return False
        return True

    def poll_timeout_ms(self, default_ms: int) -> int:
        """Wait for records no longer than until the next digest is due."""
        wait = self.digests.seconds_until_due()
        if wait is None:
            return default_ms
        return int(min(max(wait * 1000, 0), default_ms))

    async def after_batch(self) -> None:
        for batch, failures in self.digests.due():
            await self.queues.submit(self.sending.digest(batch, failures))
        self.update_gauges()

    async def on_revoked(self, orphaned: frozenset[str]) -> None:
        """Drop the queued alerts of records that moved to another consumer (it queues
        them again), after any send of them in flight has reached the ledger."""
        dropped = self.digests.discard(orphaned) + await self.queues.discard(orphaned)
        if dropped:
            log.info("queued alerts dropped with their partitions", alerts=dropped)
        self.update_gauges()

    async def drain(self, requested_at: float) -> None:
        """Send what is queued (and open digests, if so configured) within the drain time
        less a reserve; what is not sent by then stays held (uncommitted) and goes out
        after the restart."""
        loop = asyncio.get_running_loop()
        budget = requested_at + self.drain_seconds * (1 - DRAIN_RESERVE) - loop.time()
        try:
            async with asyncio.timeout(max(budget, 0.0)):
                if self.flush_digests_on_shutdown:
                    for batch, failures in self.digests.flush():
                        await self.queues.submit(self.sending.digest(batch, failures))
                await self.queues.settle()
        except TimeoutError:
            log.warning(
                "drain time is up; the alerts still queued go out after the restart",
                budget_seconds=round(budget, 3),
                queued=self.queues.pending(),
            )
        await self.queues.stop()
        await self.before_fetch()
        self.update_gauges()

    def update_gauges(self) -> None:
        self.metrics.digest_held.set(self.digests.pending())
        self.metrics.alerts_queued.set(self.queues.pending())
        self.metrics.ledger_entries.set(len(self.ledger))
