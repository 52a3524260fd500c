"""Reporting how far a consumer is behind each partition's end."""

from __future__ import annotations

from typing import Protocol

from aiokafka import TopicPartition
from aiokafka.errors import KafkaError
from prometheus_client import Gauge


class PositionedConsumer(Protocol):
    """What lag reporting needs of an ``AIOKafkaConsumer``."""

    def assignment(self) -> set[TopicPartition]: ...

    def last_stable_offset(self, partition: TopicPartition) -> int | None: ...

    async def position(self, partition: TopicPartition) -> int: ...


async def report_lag(consumer: PositionedConsumer, lag: Gauge) -> None:
    """Set ``lag{topic,partition}`` for the partitions assigned now.

    Call it holding the rebalance gate's lock, so no revocation runs meanwhile.
    Each partition is still checked against the assignment right before it is
    asked about: aiokafka fails an assertion (``last_stable_offset``) or raises
    ``IllegalStateError`` (``position``) for a partition no longer assigned.
    """
    for partition in sorted(consumer.assignment()):
        if partition not in consumer.assignment():
            continue
        end = consumer.last_stable_offset(partition)
        if end is None:
            continue
        try:
            position = await consumer.position(partition)
        except KafkaError:  # IllegalStateError: unassigned while its offset was fetched
            continue
        lag.labels(partition.topic, str(partition.partition)).set(max(end - position, 0))
