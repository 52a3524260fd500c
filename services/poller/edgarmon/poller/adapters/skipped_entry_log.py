"""Saying each skipped feed entry once: a WARNING and a counter, with a bounded memory.

What is skipped, and why, is decided by the pure parsers
(:mod:`edgarmon.poller.domain.skipped_entries`); this is the one place that logs it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

import structlog
from prometheus_client import Counter

from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.domain.skipped_entries import SKIPPED_MEMORY, SkippedEntry, SkipReason

log = structlog.get_logger(__name__)


class SkippedEntryLog:
    """Says each skipped entry once: one WARNING and one increment of ``counter``
    (``edgarmon_poller_entries_skipped_total{source,reason}``) the first time a
    (source, entry id, reason) is reported, nothing when it is reported again while
    remembered. Remembers the ``capacity`` most recently reported keys."""

    def __init__(self, counter: Counter, *, capacity: int = SKIPPED_MEMORY) -> None:
        if capacity < 1:
            raise ValueError("a skipped-entry log must remember at least one entry")
        self._counter = counter
        self._capacity = capacity
        self._said: OrderedDict[tuple[DiscoverySource, str, SkipReason], None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._said)

    def report(self, skipped: Iterable[SkippedEntry]) -> tuple[SkippedEntry, ...]:
        """Log and count the entries of ``skipped`` not said before; return them."""
        new: list[SkippedEntry] = []
        for entry in skipped:
            key = entry.key
            if key in self._said:
                self._said.move_to_end(key)
                continue
            self._said[key] = None
            if len(self._said) > self._capacity:
                self._said.popitem(last=False)
            new.append(entry)
            self._counter.labels(source=entry.source.value, reason=entry.reason.value).inc()
            log.warning(
                "skipped an entry EDGAR served that cannot be read; the rest of the page "
                "is used, and this entry is not said again while it is served",
                source=entry.source.value,
                entry_id=entry.entry_id,
                reason=entry.reason.value,
                detail=entry.detail,
            )
        return tuple(new)
