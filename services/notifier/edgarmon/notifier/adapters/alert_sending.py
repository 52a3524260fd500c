"""The work a destination's worker does: send one alert, or one digest, and record it.

:class:`AlertSending` makes the queued work (:class:`ImmediateAlert`,
:class:`DigestMessage`) that
:class:`~edgarmon.notifier.adapters.destination_queues.DestinationQueues` runs.
Sending one alert is, in this order (which keeps the double-send window to one
call):

1. ``dispatcher.deliver(...)`` (render, send; the sender's own retries within);
2. publish its ``AlertSent`` to the ledger topic and wait for the broker: the
   ledger writer then releases the record held for it in the commit marks.

A transient failure is raised to the worker, which tries again later. A permanent
one dead-letters the record with the reason and releases it (its other deliveries
still go out). Any other exception is a bug: the record is dead-lettered with the
exception's type and the traceback logged (:func:`dead_letter_bugs`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import TopicPartition
from aiokafka.errors import KafkaError

from edgarmon.core.domain.commit_marks import CommitMarks
from edgarmon.core.domain.errors import TransientDeliveryError
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.adapters.dead_letters import UNDELIVERABLE, DeadLetters, dead_letter_bugs
from edgarmon.notifier.adapters.digest_sender import DigestSender
from edgarmon.notifier.adapters.dispatch import AlertDispatcher
from edgarmon.notifier.adapters.ledger_topic import LedgerWriter
from edgarmon.notifier.adapters.notifier_metrics import NotifierMetrics
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.digest import DigestBatch

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class AlertSending:
    dispatcher: AlertDispatcher
    writer: LedgerWriter
    dead_letters: DeadLetters
    marks: CommitMarks[TopicPartition]
    metrics: NotifierMetrics
    digests: DigestSender

    def alert(
        self, delivery: Delivery, classified: FilingClassified, record: Any
    ) -> ImmediateAlert:
        return ImmediateAlert(self, delivery, classified, record)

    def digest(self, batch: DigestBatch, failures: int = 0) -> DigestMessage:
        return DigestMessage(self.digests, batch, failures)


@dataclass(frozen=True, slots=True)
class ImmediateAlert:
    """One filing to one destination, now."""

    sending: AlertSending
    delivery: Delivery
    classified: FilingClassified
    record: Any

    @property
    def destination(self) -> Hashable:
        return (self.delivery.channel, self.delivery.destination)

    @property
    def ledger_keys(self) -> frozenset[str]:
        return frozenset({self.delivery.ledger_key})

    def without(self, ledger_keys: frozenset[str]) -> ImmediateAlert | None:
        return None if self.delivery.ledger_key in ledger_keys else self

    async def send(self) -> None:
        with structlog.contextvars.bound_contextvars(
            accession_number=self.delivery.accession_number
        ):
            await dead_letter_bugs(
                self._send(),
                expected=(TransientDeliveryError, KafkaError),
                dead_letter=self._dead_letter_bug,
            )

    async def _send(self) -> None:
        sending, delivery = self.sending, self.delivery
        channel = delivery.channel.value
        try:
            sent = await sending.dispatcher.deliver(delivery, self.classified)
        except TransientDeliveryError:
            sending.metrics.failures.labels(channel, "transient").inc()
            raise
        except UNDELIVERABLE as exc:
            sending.metrics.failures.labels(channel, "permanent").inc()
            await sending.dead_letters.delivery_failed(self.record, delivery, exc)
            sending.marks.release([delivery.ledger_key])
            return
        sending.metrics.sent.labels(channel).inc()
        log.info("alert sent", route=delivery.route, destination=delivery.destination)
        try:
            await sending.writer.write([sent])
        except KafkaError as exc:  # kept by the writer; the record is released once published
            log.warning("ledger write failed; kept to publish again", error=str(exc))

    async def _dead_letter_bug(self, exc: Exception) -> None:
        accession = self.delivery.accession_number
        await self.sending.dead_letters.record_failed(
            self.record, repr(exc), type(exc).__name__, accession
        )
        self.sending.marks.release([self.delivery.ledger_key])


@dataclass(frozen=True, slots=True)
class DigestMessage:
    """One digest, due now (or due again after a failure)."""

    digests: DigestSender
    batch: DigestBatch
    failures: int = 0

    @property
    def destination(self) -> Hashable:
        return (self.batch.channel, self.batch.destination)

    @property
    def ledger_keys(self) -> frozenset[str]:
        return frozenset(delivery.ledger_key for delivery in self.batch.deliveries)

    def without(self, ledger_keys: frozenset[str]) -> DigestMessage | None:
        rest = self.batch.without(ledger_keys)
        return None if rest is None else DigestMessage(self.digests, rest, self.failures)

    async def send(self) -> None:
        """Failures are the digest sender's: it queues the digest again, with back-off."""
        await self.digests.send(self.batch, self.failures)
