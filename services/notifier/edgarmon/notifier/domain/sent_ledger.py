"""The sent-ledger: what has been delivered, keyed by (accession, route, destination).

The notifier's memory lives in the compacted topic ``edgar.alerts.sent.v1``: one
:class:`AlertSent` record per delivery, keyed by :meth:`AlertSent.ledger_key`.
After a restart the notifier reads the topic into a :class:`SentLedger`
(:meth:`SentLedger.from_records`) and skips every delivery already in it. This
module is the in-memory model only; reading and writing the topic is the
service's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from edgarmon.core.domain.messages import AlertSent
from edgarmon.notifier.domain.deliveries import Delivery


def sent_record(delivery: Delivery, *, sent_at: datetime, reference: str | None) -> AlertSent:
    """The ledger record of ``delivery``, sent at ``sent_at``."""
    return AlertSent(
        accession_number=delivery.accession_number,
        route=delivery.route,
        channel=delivery.channel,
        destination=delivery.destination,
        sent_at=sent_at,
        reference=reference,
        digest=delivery.digest,
    )


class SentLedger:
    """Ledger keys and their records. No I/O."""

    def __init__(self, records: Iterable[AlertSent] = ()) -> None:
        self._records: dict[str, AlertSent] = {}
        for record in records:
            self.record(record)

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, AlertSent | None]]) -> SentLedger:
        """Rebuild from a compacted topic read in order: ``(key, record)`` pairs, where a
        ``None`` record is a tombstone that removes the key."""
        ledger = cls()
        for key, record in records:
            if record is None:
                ledger.forget(key)
            else:
                ledger.record(record)
        return ledger

    def record(self, sent: AlertSent) -> None:
        self._records[sent.kafka_key()] = sent

    def forget(self, key: str) -> None:
        self._records.pop(key, None)

    def was_sent(self, delivery: Delivery) -> bool:
        return delivery.ledger_key in self._records

    def get(self, key: str) -> AlertSent | None:
        return self._records.get(key)

    def unsent(self, deliveries: Iterable[Delivery]) -> tuple[Delivery, ...]:
        """``deliveries`` minus those already in the ledger, in order."""
        return tuple(delivery for delivery in deliveries if not self.was_sent(delivery))

    def prune(self, sent_before: datetime) -> int:
        """Forget records sent before ``sent_before`` (older than anything that can be
        redelivered); returns how many were dropped."""
        stale = [key for key, record in self._records.items() if record.sent_at < sent_before]
        for key in stale:
            del self._records[key]
        return len(stale)

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[AlertSent]:
        return iter(self._records.values())
