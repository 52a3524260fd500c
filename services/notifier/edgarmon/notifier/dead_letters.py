"""Dead-lettering input records the notifier cannot deliver, with the reason."""

from __future__ import annotations

from typing import Any

import structlog

from edgarmon.core.consumer import ConsumerMetrics
from edgarmon.core.errors import ConfigurationError, PermanentDeliveryError
from edgarmon.core.kafka import Publisher, dead_letter_for
from edgarmon.notifier.deliveries import Delivery

log = structlog.get_logger(__name__)

UNDELIVERABLE = (PermanentDeliveryError, ConfigurationError, ValueError, LookupError, TypeError)
"""Failures retrying cannot fix. Besides the senders' permanent errors, a filing the
renderer chokes on (a bug) must not stall its partition forever: it is dead-lettered
and logged with its traceback."""


class DeadLetters:
    """Publishes dead letters to ``topic`` and waits for the broker (raises ``KafkaError``)."""

    def __init__(
        self, publisher: Publisher, *, topic: str, service: str, metrics: ConsumerMetrics
    ) -> None:
        self._publisher = publisher
        self._topic = topic
        self._service = service
        self._metrics = metrics

    async def record_failed(
        self, record: Any, reason: str, error_type: str, accession: str | None
    ) -> None:
        letter = dead_letter_for(
            record,
            reason=reason,
            error_type=error_type,
            service=self._service,
            accession_number=accession,
        )
        await self._publisher.publish(self._topic, letter)
        self._metrics.deadletters.labels(record.topic).inc()

    async def delivery_failed(self, record: Any, delivery: Delivery, exc: Exception) -> None:
        """Dead-letter ``record`` because ``delivery`` failed with one of UNDELIVERABLE;
        the reason names the route and destination."""
        if isinstance(exc, PermanentDeliveryError):
            log.warning("delivery failed permanently, dead-lettered", reason=exc.reason)
            reason = exc.reason
        else:
            log.error("delivery impossible, dead-lettered", exc_info=exc)
            reason = f"{type(exc).__name__}: {exc}"
        where = f"route {delivery.route} -> {delivery.channel.value} {delivery.destination}"
        await self.record_failed(
            record, f"{reason} ({where})", type(exc).__name__, delivery.accession_number
        )
