"""Commit watermarks per partition, held back by records that wait for their keys."""

from __future__ import annotations

from edgarmon.core.domain.commit_marks import CommitMarks

P0 = ("classified", 0)
P1 = ("classified", 1)


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
