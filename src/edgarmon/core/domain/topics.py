"""The public topics: names, keys, partitioning, retention and compaction.

These are a public interface (see the README's "Topics" section, which this
module's values must match; a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from edgarmon.core.domain.messages import (
    AlertSent,
    BackfillJob,
    DeadLetter,
    FilingClassified,
    FilingDiscovered,
    Message,
)

DAY_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    message_type: type[Message]
    partitions: int
    key: str
    config: Mapping[str, str] = field(default_factory=dict)


class TopicNames(Protocol):
    """The configured topic names and partition count (the settings provide them)."""

    @property
    def kafka_topic_partitions(self) -> int: ...
    @property
    def topic_discovered(self) -> str: ...
    @property
    def topic_classified(self) -> str: ...
    @property
    def topic_alerts_sent(self) -> str: ...
    @property
    def topic_deadletter(self) -> str: ...
    @property
    def topic_backfill(self) -> str: ...


def public_topics(settings: TopicNames) -> tuple[TopicSpec, ...]:
    partitions = settings.kafka_topic_partitions
    return (
        TopicSpec(
            name=settings.topic_discovered,
            message_type=FilingDiscovered,
            partitions=partitions,
            key="accession number",
            config={"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
        ),
        TopicSpec(
            name=settings.topic_classified,
            message_type=FilingClassified,
            partitions=partitions,
            key="accession number",
            config={"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
        ),
        TopicSpec(
            name=settings.topic_alerts_sent,
            message_type=AlertSent,
            partitions=partitions,
            key="accession|route|destination",
            config={"cleanup.policy": "compact", "min.compaction.lag.ms": str(DAY_MS)},
        ),
        TopicSpec(
            name=settings.topic_deadletter,
            message_type=DeadLetter,
            partitions=1,
            key="accession number, or topic/partition/offset",
            config={"cleanup.policy": "delete", "retention.ms": str(90 * DAY_MS)},
        ),
        TopicSpec(
            name=settings.topic_backfill,
            message_type=BackfillJob,
            partitions=1,
            key="job id",
            config={"cleanup.policy": "compact", "min.compaction.lag.ms": str(DAY_MS)},
        ),
    )
