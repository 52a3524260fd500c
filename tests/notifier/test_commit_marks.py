"""Commit watermarks held back by queued digest alerts, and dropping queued alerts."""

from __future__ import annotations

from edgarmon.core.domain.messages import AlertChannel, FilingClassified
from edgarmon.notifier.domain.commit_marks import CommitMarks
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.digest import DigestBook, DigestRetries
from edgarmon.notifier.domain.routes import DigestPolicy

P0 = ("classified", 0)
P1 = ("classified", 1)
POLICY = DigestPolicy(interval_seconds=60, max_alerts=10)


def key(n: int, destination: str = "#digest") -> str:
    return f"0000000001-26-{n:06d}|noisy|{destination}"


def test_the_watermark_follows_handled_records_and_commits_only_what_moved() -> None:
    marks: CommitMarks[tuple[str, int]] = CommitMarks()
    assert marks.committable() == {}
    marks.done(P0, 0)
    marks.done(P0, 1)
    marks.done(P1, 7)
    assert marks.committable() == {P0: 2, P1: 8}
    marks.committed({P0: 2, P1: 8})
    assert marks.committable() == {}
    marks.done(P0, 2)
    assert marks.committable() == {P0: 3}


def test_a_held_record_keeps_the_commit_back_until_its_keys_are_released() -> None:
    marks: CommitMarks[tuple[str, int]] = CommitMarks()
    marks.done(P0, 0)
    marks.hold(P0, 1, "record-1", [key(1, "#digest"), key(1, "desk@example.com")])
    marks.done(P0, 2)
    marks.hold(P0, 3, "record-3", [key(3)])
    assert marks.committable() == {P0: 1}
    assert marks.held_count() == 2
    assert marks.is_pending(key(1))
    marks.committed({P0: 1})

    marks.release([key(1, "#digest")])  # one of two destinations sent
    assert marks.committable() == {}
    marks.release([key(1, "desk@example.com")])
    assert marks.committable() == {P0: 3}  # up to the next held record
    marks.release([key(3)])
    assert marks.committable() == {P0: 4}
    assert not marks.is_pending(key(3))
    assert marks.held_count() == 0


def test_one_key_can_hold_several_records_and_releases_them_all() -> None:
    marks: CommitMarks[tuple[str, int]] = CommitMarks()
    marks.hold(P0, 0, "first", [key(1)])
    marks.hold(P0, 5, "classified again", [key(1)])
    assert marks.holders(key(1)) == ("first", "classified again")
    marks.release([key(1)])
    assert marks.committable() == {P0: 6}
    assert marks.holders(key(1)) == ()


def test_holding_no_keys_is_done_and_releasing_unknown_keys_is_harmless() -> None:
    marks: CommitMarks[tuple[str, int]] = CommitMarks()
    marks.hold(P0, 0, "record", [])
    marks.release(["0000000001-26-000009|r|#x"])
    assert marks.committable() == {P0: 1}


def test_forgetting_revoked_partitions_returns_the_keys_nobody_waits_for() -> None:
    marks: CommitMarks[tuple[str, int]] = CommitMarks()
    marks.hold(P0, 0, "a", [key(1), key(2)])
    marks.hold(P1, 0, "b", [key(2), key(3)])
    orphaned = marks.forget([P0])
    assert orphaned == frozenset({key(1)})  # key(2) still holds P1's record
    assert marks.partitions() == (P1,)
    assert marks.is_pending(key(2))
    assert marks.forget([P1, ("elsewhere", 3)]) == frozenset({key(2), key(3)})
    assert marks.committable() == {}


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
