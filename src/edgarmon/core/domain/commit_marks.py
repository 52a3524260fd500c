"""Which input offsets may be committed: a watermark per partition.

Records of a partition are handled in order. A record is *done* once every
delivery it called for was sent and recorded (or dead-lettered). A record with
digest deliveries is *held*: its alerts wait in a digest batch, so its offset
must not be committed until that batch went out. The committable offset of a
partition is therefore the offset of its oldest held record, or one past the
last record handled when nothing is held. Records after a held one are handled
(their immediate alerts go out at once) but stay uncommitted; after a crash they
are redelivered and the sent-ledger suppresses what was already sent.

A held record waits for *ledger keys* (``accession|route|destination``): it is
released when each of its keys was published to the ledger topic or
dead-lettered. One key may hold several records (the same filing classified
twice); releasing it releases them all. No I/O and no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

P = TypeVar("P", bound=Hashable)
"""A partition, e.g. aiokafka's ``TopicPartition``."""


@dataclass(slots=True)
class HeldRecord:
    """A record waiting for its digest deliveries; ``record`` is the raw Kafka record,
    kept so that a failed digest can dead-letter it."""

    offset: int
    record: object
    waiting_for: set[str]


@dataclass(slots=True)
class _Partition:
    next_offset: int | None = None
    committed: int | None = None
    held: dict[int, HeldRecord] = field(default_factory=dict)

    def committable(self) -> int | None:
        if self.held:
            return min(self.held)
        return self.next_offset


class CommitMarks(Generic[P]):
    """Per-partition commit watermarks with held records."""

    def __init__(self) -> None:
        self._partitions: dict[P, _Partition] = {}
        self._holders: dict[str, set[tuple[P, int]]] = {}

    def _partition(self, partition: P) -> _Partition:
        return self._partitions.setdefault(partition, _Partition())

    def done(self, partition: P, offset: int) -> None:
        """The record at ``offset`` needs nothing more."""
        state = self._partition(partition)
        state.next_offset = max(state.next_offset or 0, offset + 1)

    def hold(self, partition: P, offset: int, record: object, keys: Collection[str]) -> None:
        """The record at ``offset`` waits until each of ``keys`` is released."""
        if not keys:
            self.done(partition, offset)
            return
        state = self._partition(partition)
        state.next_offset = max(state.next_offset or 0, offset + 1)
        state.held[offset] = HeldRecord(offset=offset, record=record, waiting_for=set(keys))
        for key in keys:
            self._holders.setdefault(key, set()).add((partition, offset))

    def is_pending(self, key: str) -> bool:
        """Whether some held record waits for ``key`` (its alert is queued, not sent)."""
        return key in self._holders

    def holders(self, key: str) -> tuple[object, ...]:
        """The raw records waiting for ``key``, oldest first."""
        places = sorted(self._holders.get(key, ()), key=lambda place: place[1])
        return tuple(
            self._partitions[partition].held[offset].record for partition, offset in places
        )

    def release(self, keys: Iterable[str]) -> None:
        """``keys`` were sent (or dead-lettered): records waiting only for them are done."""
        for key in keys:
            for partition, offset in self._holders.pop(key, ()):
                state = self._partitions.get(partition)
                held = state.held.get(offset) if state else None
                if state is None or held is None:
                    continue
                held.waiting_for.discard(key)
                if not held.waiting_for:
                    del state.held[offset]

    def committable(self) -> dict[P, int]:
        """Offsets to commit now: those that moved since the last commit."""
        offsets = {}
        for partition, state in self._partitions.items():
            offset = state.committable()
            if offset is not None and (state.committed is None or offset > state.committed):
                offsets[partition] = offset
        return offsets

    def committed(self, offsets: dict[P, int]) -> None:
        for partition, offset in offsets.items():
            self._partition(partition).committed = offset

    def forget(self, partitions: Iterable[P]) -> frozenset[str]:
        """Drop what is known of ``partitions`` (they were revoked). Returns the keys
        that no record waits for any more: their queued alerts must be dropped too, as
        the partition's next owner redelivers those records and queues them again."""
        orphaned: set[str] = set()
        for partition in partitions:
            state = self._partitions.pop(partition, None)
            if state is None:
                continue
            for held in state.held.values():
                for key in held.waiting_for:
                    places = self._holders.get(key)
                    if places is None:
                        continue
                    places.discard((partition, held.offset))
                    if not places:
                        del self._holders[key]
                        orphaned.add(key)
        return frozenset(orphaned)

    def held_count(self) -> int:
        return sum(len(state.held) for state in self._partitions.values())

    def partitions(self) -> tuple[P, ...]:
        return tuple(self._partitions)
