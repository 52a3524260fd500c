"""Open digest batches and digests waiting to be sent again: queued alerts can be
dropped by ledger key when their records move to another consumer."""

from __future__ import annotations

from edgarmon.core.domain.messages import AlertChannel, FilingClassified
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.digest import DigestBook, DigestRetries
from edgarmon.notifier.domain.routes import DigestPolicy

POLICY = DigestPolicy(interval_seconds=60, max_alerts=10)


def key(n: int, destination: str = "#digest") -> str:
    return f"0000000001-26-{n:06d}|noisy|{destination}"


def delivery(n: int, destination: str = "#digest") -> Delivery:
    return Delivery(f"0000000001-26-{n:06d}", "noisy", AlertChannel.SLACK, destination, digest=True)


def test_queued_digest_alerts_can_be_discarded_by_ledger_key(eight_k: FilingClassified) -> None:
    book = DigestBook()
    for n in (1, 2):
        book.add(delivery(n), eight_k, POLICY, now=0.0)
    book.add(delivery(3, "#other"), eight_k, POLICY, now=0.0)
    assert book.discard({key(1), key(3, "#other")}) == 2
    (batch,) = book.flush()
    assert batch.accession_numbers == ("0000000001-26-000002",)
    assert len(batch.filings) == 1


def test_retries_come_due_in_order_and_can_be_discarded(eight_k: FilingClassified) -> None:
    book = DigestBook()
    for n in (1, 2):
        book.add(delivery(n), eight_k, POLICY, now=0.0)
    (batch,) = book.flush()
    retries = DigestRetries()
    retries.add(batch, failures=1, due_at=10.0)
    assert retries.next_due_at() == 10.0
    assert retries.pending() == 2
    assert retries.due(9.0) == ()
    assert retries.discard({key(1)}) == 1
    (retry,) = retries.due(10.0)
    assert retry.failures == 1
    assert retry.batch.accession_numbers == ("0000000001-26-000002",)
    assert retries.pending() == 0
    retries.add(batch, failures=2, due_at=20.0)
    assert retries.discard({key(1), key(2)}) == 2
    assert retries.flush() == ()
