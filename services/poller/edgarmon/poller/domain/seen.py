"""The poller's memory of the accessions it has published, bounded.

It lives only in the process. At start-up it is rebuilt from the discovered topic
(:func:`rebuild_seen`, fed with the accession numbers read from Kafka, oldest
first), so a pod can move and nothing is kept on a local disk. When full, the
oldest accession is forgotten: the latest-filings feed only reaches ~5,100 entries
back and a company feed a few months, so a capacity well above what those sources
can show again is enough.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator


class SeenAccessions:
    """A set of accession numbers that forgets the oldest beyond ``capacity``."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._order: OrderedDict[str, None] = OrderedDict()

    @property
    def capacity(self) -> int:
        return self._capacity

    def __contains__(self, accession: object) -> bool:
        return accession in self._order

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def add(self, accession: str) -> bool:
        """Remember ``accession``; True when it was not known before."""
        if accession in self._order:
            self._order.move_to_end(accession)
            return False
        self._order[accession] = None
        if len(self._order) > self._capacity:
            self._order.popitem(last=False)
        return True

    def add_all(self, accessions: Iterable[str]) -> int:
        """Remember every accession; returns how many were new."""
        return sum(1 for accession in accessions if self.add(accession))


def rebuild_seen(accessions: Iterable[str], *, capacity: int) -> SeenAccessions:
    """A memory filled from ``accessions`` in the order given (oldest first, as read
    from the topic), so the newest are the ones kept when there are too many."""
    seen = SeenAccessions(capacity)
    seen.add_all(accessions)
    return seen
