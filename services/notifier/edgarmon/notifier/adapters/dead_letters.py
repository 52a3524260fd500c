"""Dead-lettering input records the notifier cannot deliver, with the reason.

:func:`dead_letter_bugs` holds the notifier's one broad ``except``: like the
shared core loop, a bug met while handling one record (or sending one digest)
dead-letters what it was working on instead of crashing the process, which would
only meet the same record again after the restart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from edgarmon.core.adapters.consumer_metrics import ConsumerMetrics
from edgarmon.core.adapters.kafka import Publisher, dead_letter_for
from edgarmon.core.domain.errors import ConfigurationError, PermanentDeliveryError
from edgarmon.notifier.adapters.dispatch import AlertRenderError
from edgarmon.notifier.domain.deliveries import Delivery

log = structlog.get_logger(__name__)

UNDELIVERABLE = (PermanentDeliveryError, ConfigurationError)
"""Delivery failures retrying cannot fix: the senders' permanent errors, a missing
setting, and a filing the renderer chokes on (``AlertRenderError``, a
``PermanentDeliveryError``). Anything else raised while sending is a bug; the
one broad catch (:func:`dead_letter_bugs`) dead-letters its record."""


async def dead_letter_bugs(
    work: Awaitable[None],
    *,
    expected: tuple[type[Exception], ...],
    dead_letter: Callable[[Exception], Awaitable[None]],
) -> None:
    """Await ``work``. An exception in ``expected`` propagates (the caller handles
    it: a retry, a Kafka error); any other one is a bug: its traceback is logged at
    error level and ``dead_letter(exc)`` puts the work aside, so the loop goes on."""
    try:
        await work
    except expected:
        raise
    except Exception as exc:
        # The notifier's one broad catch, on purpose: one poison record (or digest)
        # must not crash-loop the service. Nothing is hidden: the traceback is logged
        # and the record goes to the dead-letter topic with the exception's type.
        log.exception("bug while handling, dead-lettered", error_type=type(exc).__name__)
        await dead_letter(exc)


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
        if isinstance(exc, AlertRenderError):  # keep the traceback of what broke
            log.error("alert cannot be rendered, dead-lettered", exc_info=exc)
        else:
            log.warning("delivery failed permanently, dead-lettered", reason=str(exc))
        if isinstance(exc, PermanentDeliveryError):
            reason = exc.reason
        else:
            reason = f"{type(exc).__name__}: {exc}"
        where = f"route {delivery.route} -> {delivery.channel.value} {delivery.destination}"
        await self.record_failed(
            record, f"{reason} ({where})", type(exc).__name__, delivery.accession_number
        )
