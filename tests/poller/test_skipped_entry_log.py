"""The skipped-entry log: each (source, entry, reason) said once, in a bounded memory,
counted on every (source, reason) from zero; and what the parsers return or raise
about skipped entries pickles (they may run in a child process)."""

from __future__ import annotations

import pickle

import pytest
from prometheus_client import CollectorRegistry
from structlog.typing import EventDict

from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.adapters.metrics import PollerMetrics
from edgarmon.poller.adapters.skipped_entry_log import SkippedEntryLog
from edgarmon.poller.domain.atom_feeds import parse_latest_feed
from edgarmon.poller.domain.skipped_entries import SkippedEntry, SkipReason, UnreadableEntry

from .conftest import BASE
from .hostile_feeds import SKIPPED_METRIC, poisoned_latest_feed, skip_warnings


def test_every_source_and_reason_is_counted_from_zero() -> None:
    registry = CollectorRegistry()
    PollerMetrics(registry)
    for source in DiscoverySource:
        for reason in SkipReason:
            labels = {"source": source.value, "reason": reason.value}
            assert registry.get_sample_value(SKIPPED_METRIC, labels) == 0.0


def _skip(entry_id: str, reason: SkipReason = SkipReason.BAD_DATE) -> SkippedEntry:
    return SkippedEntry(DiscoverySource.LATEST_FEED, entry_id, reason, f"{entry_id} is bad")


def test_a_new_reason_for_the_same_entry_is_said_and_each_source_separately(
    logs: list[EventDict],
) -> None:
    said = SkippedEntryLog(PollerMetrics(CollectorRegistry()).entries_skipped)
    index_row = SkippedEntry(DiscoverySource.DAILY_INDEX, "a", SkipReason.BAD_DATE, "a")
    said.report([_skip("a"), _skip("a")])  # an entry on two overlapping pages of one poll
    said.report([_skip("a", SkipReason.BAD_CIK), index_row])
    assert [(w["source"], w["reason"]) for w in skip_warnings(logs)] == [
        ("latest_feed", "bad_date"),
        ("latest_feed", "bad_cik"),
        ("daily_index", "bad_date"),
    ]


def test_the_memory_is_bounded_and_keeps_what_is_still_served(logs: list[EventDict]) -> None:
    said = SkippedEntryLog(PollerMetrics(CollectorRegistry()).entries_skipped, capacity=2)
    said.report([_skip("a"), _skip("b")])
    said.report([_skip("a")])  # still served: refreshed
    said.report([_skip("c")])  # evicts b, the least recently served
    assert len(said) == 2
    assert said.report([_skip("a")]) == ()
    assert [s.entry_id for s in said.report([_skip("b")])] == ["b"], "forgotten, said again"
    assert [w["entry_id"] for w in skip_warnings(logs)] == ["a", "b", "c", "b"]
    with pytest.raises(ValueError, match="at least one"):
        SkippedEntryLog(PollerMetrics(CollectorRegistry()).entries_skipped, capacity=0)


def test_what_the_parsers_return_and_raise_crosses_a_process_boundary() -> None:
    # the parsers may run in a child process (edgarmon.core.adapters.bounded_work): all pickles
    page = parse_latest_feed(poisoned_latest_feed(updated="9999-12-31T23:59:59"), base_url=BASE)
    assert pickle.loads(pickle.dumps(page)) == page
    error = UnreadableEntry(SkipReason.BAD_CIK, "CIK '1' is not 1 to 10 digits")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.reason, str(copy)) == (UnreadableEntry, error.reason, str(error))
