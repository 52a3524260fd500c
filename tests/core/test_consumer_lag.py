"""Lag is reported only for partitions still assigned, even if one goes mid-report."""

from __future__ import annotations

from aiokafka import TopicPartition
from aiokafka.errors import IllegalStateError
from prometheus_client import CollectorRegistry

from edgarmon.core.adapters.consumer_lag import report_lag
from edgarmon.core.adapters.consumer_metrics import ConsumerMetrics

FIRST = TopicPartition("classified", 0)
SECOND = TopicPartition("classified", 1)
THIRD = TopicPartition("classified", 2)


class RebalancingConsumer:
    """Behaves like ``AIOKafkaConsumer`` for an unassigned partition: an assertion in
    ``last_stable_offset``, ``IllegalStateError`` from ``position``. Asking the
    position of ``FIRST`` loses ``SECOND``; that of ``THIRD`` loses ``THIRD``."""

    def __init__(self) -> None:
        self.assigned = {FIRST, SECOND, THIRD}

    def assignment(self) -> set[TopicPartition]:
        return set(self.assigned)

    def last_stable_offset(self, partition: TopicPartition) -> int | None:
        assert partition in self.assigned, "partition not assigned"
        return 10

    async def position(self, partition: TopicPartition) -> int:
        if partition == FIRST:
            self.assigned.discard(SECOND)
        if partition == THIRD:
            self.assigned.discard(THIRD)
        if partition not in self.assigned:
            raise IllegalStateError(f"No current assignment for partition {partition}")
        return 4


async def test_partitions_revoked_during_the_report_are_skipped() -> None:
    registry = CollectorRegistry()
    metrics = ConsumerMetrics(registry)

    await report_lag(RebalancingConsumer(), metrics.lag)

    def lag(partition: int) -> float | None:
        labels = {"topic": "classified", "partition": str(partition)}
        return registry.get_sample_value("edgarmon_consumer_lag", labels)

    assert (lag(0), lag(1), lag(2)) == (6.0, None, None)
