"""Digest mode in the service: queue alerts, send digests when due, retry, drop.

:class:`DigestSender` owns the open batches (:class:`DigestBook`) and the digests
waiting to be sent again (:class:`DigestRetries`). The consumer queues a
record's digest deliveries here and *holds* the record in :class:`CommitMarks`;
due digests go to their destination's queue (:class:`DestinationQueues`), whose
worker calls :meth:`DigestSender.send`. The record is released once the digest's
``AlertSent`` records are acknowledged (the :class:`LedgerWriter` reports that),
or once it was dead-lettered.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import structlog
from aiokafka.errors import KafkaError

from edgarmon.core.domain.commit_marks import CommitMarks
from edgarmon.core.domain.errors import TransientDeliveryError
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.core.domain.retry import Backoff
from edgarmon.notifier.adapters.dead_letters import UNDELIVERABLE, DeadLetters, dead_letter_bugs
from edgarmon.notifier.adapters.dispatch import AlertDispatcher
from edgarmon.notifier.adapters.ledger_topic import LedgerWriter
from edgarmon.notifier.adapters.notifier_metrics import NotifierMetrics
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.digest import DigestBatch, DigestBook, DigestRetries
from edgarmon.notifier.domain.routes import DigestPolicy

log = structlog.get_logger(__name__)


class DigestSender:
    def __init__(
        self,
        *,
        policies: Mapping[str, DigestPolicy],
        dispatcher: AlertDispatcher,
        writer: LedgerWriter,
        marks: CommitMarks[Any],
        dead_letters: DeadLetters,
        metrics: NotifierMetrics,
        backoff: Backoff,
        clock: Callable[[], float],
    ) -> None:
        self._policies = policies
        self._dispatcher = dispatcher
        self._writer = writer
        self._marks = marks
        self._dead_letters = dead_letters
        self._metrics = metrics
        self._backoff = backoff
        self._clock = clock
        self._book = DigestBook()
        self._retries = DigestRetries()

    def queue(self, delivery: Delivery, classified: FilingClassified) -> DigestBatch | None:
        """Queue a digest delivery (the caller checked that no earlier record queued it).
        Returns a batch this filled, to send now."""
        policy = self._policies[delivery.route]
        return self._book.add(delivery, classified, policy, self._clock())

    def due(self) -> list[tuple[DigestBatch, int]]:
        """The digests to send now, with the failures each had: batches whose interval
        ended and digests due to be tried again."""
        now = self._clock()
        retries = [(waiting.batch, waiting.failures) for waiting in self._retries.due(now)]
        return retries + [(batch, 0) for batch in self._book.due(now)]

    def flush(self) -> list[tuple[DigestBatch, int]]:
        """Every open or retrying digest, to send now (on shutdown). A digest not sent
        in the drain time keeps its records held: they are redelivered after the
        restart and queued again."""
        retries = [(waiting.batch, waiting.failures) for waiting in self._retries.flush()]
        return retries + [(batch, 0) for batch in self._book.flush()]

    async def send(self, batch: DigestBatch, failures: int = 0) -> None:
        """Send one digest and record it. A transient failure queues it again with
        backoff; a permanent one, or a bug, dead-letters every record waiting for it."""
        await dead_letter_bugs(
            self._send(batch, failures),
            expected=(),
            dead_letter=lambda exc: self._dead_letter(batch, failures, exc),
        )

    async def _send(self, batch: DigestBatch, failures: int) -> None:
        channel = batch.channel.value
        try:
            sent = await self._dispatcher.deliver_digest(batch)
        except TransientDeliveryError as exc:
            self._metrics.failures.labels(channel, "transient").inc()
            self._retry(batch, failures + 1, str(exc))
            return
        except UNDELIVERABLE as exc:
            self._metrics.failures.labels(channel, "permanent").inc()
            await self._dead_letter(batch, failures, exc)
            return
        self._metrics.sent.labels(channel).inc(len(sent))
        self._metrics.digests_sent.labels(channel).inc()
        log.info("digest sent", route=batch.route, destination=batch.destination, alerts=len(sent))
        try:
            await self._writer.write(sent)
        except KafkaError as exc:  # kept by the writer; the records are released once published
            log.warning("ledger write failed; kept to publish again", error=str(exc))

    async def _dead_letter(self, batch: DigestBatch, failures: int, exc: Exception) -> None:
        """Dead-letter every record waiting for ``batch`` and release them."""
        try:
            for delivery in batch.deliveries:
                for record in self._marks.holders(delivery.ledger_key):
                    await self._dead_letters.delivery_failed(record, delivery, exc)
        except KafkaError:
            self._retry(batch, failures + 1, "dead-letter topic unwritable")
            return
        self._marks.release([delivery.ledger_key for delivery in batch.deliveries])

    def _retry(self, batch: DigestBatch, failures: int, reason: str) -> None:
        delay = self._backoff.delay(failures)
        log.warning("digest not sent, will retry", route=batch.route, delay=delay, error=reason)
        self._retries.add(batch, failures=failures, due_at=self._clock() + delay)

    def discard(self, ledger_keys: Collection[str]) -> int:
        """Drop queued alerts by ledger key; returns how many."""
        return self._book.discard(ledger_keys) + self._retries.discard(ledger_keys)

    def pending(self) -> int:
        return self._book.pending() + self._retries.pending()

    def seconds_until_due(self) -> float | None:
        """Seconds until the next digest (or retry) is due; None if none is queued."""
        due = [
            at for at in (self._book.next_due_at(), self._retries.next_due_at()) if at is not None
        ]
        return min(due) - self._clock() if due else None
