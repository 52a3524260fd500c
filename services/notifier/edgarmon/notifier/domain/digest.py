"""Digest mode: batching a route's alerts into one message per interval.

A batch belongs to one (route, channel, destination). It opens with its first
alert and is due ``interval`` seconds later, or at once when it holds
``max_alerts``. Time is whatever clock the caller passes in (seconds, e.g.
``time.monotonic()``), so the book is deterministic. A filing is held in a batch
once, however often it is offered (a redelivery after a restart is folded in).
A digest that could not be sent for now waits in :class:`DigestRetries`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from edgarmon.core.domain.messages import AlertChannel, FilingClassified
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.routes import DigestPolicy

BatchKey = tuple[str, AlertChannel, str]


@dataclass(frozen=True, slots=True)
class DigestBatch:
    """Alerts ready to go out as one digest message, oldest first."""

    route: str
    channel: AlertChannel
    destination: str
    opened_at: float
    deliveries: tuple[Delivery, ...]
    filings: tuple[FilingClassified, ...]

    @property
    def accession_numbers(self) -> tuple[str, ...]:
        return tuple(delivery.accession_number for delivery in self.deliveries)

    def without(self, ledger_keys: Collection[str]) -> DigestBatch | None:
        """This batch minus the deliveries with ``ledger_keys``; None if none is left."""
        kept = [
            (delivery, classified)
            for delivery, classified in zip(self.deliveries, self.filings, strict=True)
            if delivery.ledger_key not in ledger_keys
        ]
        if not kept:
            return None
        return replace(
            self,
            deliveries=tuple(delivery for delivery, _ in kept),
            filings=tuple(classified for _, classified in kept),
        )


@dataclass(slots=True)
class _OpenBatch:
    opened_at: float
    due_at: float
    max_alerts: int
    deliveries: list[Delivery] = field(default_factory=list)
    filings: list[FilingClassified] = field(default_factory=list)


class DigestBook:
    """Open digest batches. Pure state: no clock, no I/O."""

    def __init__(self) -> None:
        self._open: dict[BatchKey, _OpenBatch] = {}

    def add(
        self, delivery: Delivery, classified: FilingClassified, policy: DigestPolicy, now: float
    ) -> DigestBatch | None:
        """Hold ``delivery`` for its digest. Returns the batch if this filled it."""
        key = (delivery.route, delivery.channel, delivery.destination)
        batch = self._open.get(key)
        if batch is None:
            batch = _OpenBatch(
                opened_at=now, due_at=now + policy.interval_seconds, max_alerts=policy.max_alerts
            )
            self._open[key] = batch
        if any(held.accession_number == delivery.accession_number for held in batch.deliveries):
            return None
        batch.deliveries.append(delivery)
        batch.filings.append(classified)
        if len(batch.deliveries) >= batch.max_alerts:
            return self._close(key)
        return None

    def due(self, now: float) -> tuple[DigestBatch, ...]:
        """Close and return every batch due at ``now``, oldest first."""
        keys = sorted(
            (key for key, batch in self._open.items() if batch.due_at <= now),
            key=lambda key: self._open[key].opened_at,
        )
        return tuple(self._close(key) for key in keys)

    def flush(self) -> tuple[DigestBatch, ...]:
        """Close every batch, due or not (on shutdown)."""
        return self.due(float("inf"))

    def discard(self, ledger_keys: Collection[str]) -> int:
        """Drop held deliveries by ledger key (their records moved to another consumer,
        which will queue them again); returns how many were dropped."""
        dropped = 0
        for key in list(self._open):
            batch = self._open[key]
            kept = [
                (delivery, classified)
                for delivery, classified in zip(batch.deliveries, batch.filings, strict=True)
                if delivery.ledger_key not in ledger_keys
            ]
            dropped += len(batch.deliveries) - len(kept)
            if not kept:
                del self._open[key]
                continue
            batch.deliveries = [delivery for delivery, _ in kept]
            batch.filings = [classified for _, classified in kept]
        return dropped

    def next_due_at(self) -> float | None:
        return min((batch.due_at for batch in self._open.values()), default=None)

    def pending(self) -> int:
        """How many alerts are held."""
        return sum(len(batch.deliveries) for batch in self._open.values())

    def held_accessions(self) -> frozenset[str]:
        """Accession numbers held in open batches (their offsets must not be committed)."""
        return frozenset(
            delivery.accession_number
            for batch in self._open.values()
            for delivery in batch.deliveries
        )

    def _close(self, key: BatchKey) -> DigestBatch:
        batch = self._open.pop(key)
        route, channel, destination = key
        return DigestBatch(
            route=route,
            channel=channel,
            destination=destination,
            opened_at=batch.opened_at,
            deliveries=tuple(batch.deliveries),
            filings=tuple(batch.filings),
        )


@dataclass(frozen=True, slots=True)
class DigestRetry:
    """A digest that failed transiently, to be sent again at ``due_at``."""

    batch: DigestBatch
    failures: int
    due_at: float


class DigestRetries:
    """Closed digests waiting to be sent again. Pure state, like :class:`DigestBook`."""

    def __init__(self) -> None:
        self._waiting: list[DigestRetry] = []

    def add(self, batch: DigestBatch, *, failures: int, due_at: float) -> None:
        self._waiting.append(DigestRetry(batch=batch, failures=failures, due_at=due_at))

    def due(self, now: float) -> tuple[DigestRetry, ...]:
        """Remove and return the retries due at ``now``, earliest first."""
        ready = sorted((r for r in self._waiting if r.due_at <= now), key=lambda r: r.due_at)
        self._waiting = [r for r in self._waiting if r.due_at > now]
        return tuple(ready)

    def flush(self) -> tuple[DigestRetry, ...]:
        return self.due(float("inf"))

    def discard(self, ledger_keys: Collection[str]) -> int:
        """Drop deliveries by ledger key; returns how many were dropped."""
        kept: list[DigestRetry] = []
        dropped = 0
        for retry in self._waiting:
            batch = retry.batch.without(ledger_keys)
            dropped += len(retry.batch.deliveries) - (len(batch.deliveries) if batch else 0)
            if batch is not None:
                kept.append(replace(retry, batch=batch))
        self._waiting = kept
        return dropped

    def next_due_at(self) -> float | None:
        return min((retry.due_at for retry in self._waiting), default=None)

    def pending(self) -> int:
        return sum(len(retry.batch.deliveries) for retry in self._waiting)
