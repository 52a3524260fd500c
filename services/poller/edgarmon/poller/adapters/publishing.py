"""Publishing new filings exactly once: one Kafka transaction per poll, then memory.

Every source hands its new filings to the one :class:`FilingPublisher`. Under a lock
(one producer, one transaction at a time) it drops what is already remembered (two
sources may find the same filing at once), publishes the rest to the discovered
topic in one transaction keyed by accession number, and only once the transaction
has committed adds them to the memory. A transaction that fails is aborted and its
filings stay unknown, so the next poll finds them again. A Kafka error leaves the
outcome of the commit uncertain: it is not handled here but stops the poller, whose
restart fences this producer and rebuilds the memory from what was committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import structlog
from aiokafka import AIOKafkaProducer

from edgarmon.core.adapters.kafka import Outgoing, Publisher
from edgarmon.core.domain.filing import Filing
from edgarmon.core.domain.messages import DiscoverySource, FilingDiscovered
from edgarmon.poller.adapters.metrics import PollerMetrics
from edgarmon.poller.domain.seen import SeenAccessions

log = structlog.get_logger(__name__)


def discovered_events(
    filings: Sequence[Filing], source: DiscoverySource, *, discovered_at: datetime, topic: str
) -> list[Outgoing]:
    """The messages announcing ``filings``, one per accession, in the given order."""
    return [
        Outgoing(topic, FilingDiscovered(filing=filing, source=source, discovered_at=discovered_at))
        for filing in filings
    ]


def not_yet_seen(filings: Sequence[Filing], seen: SeenAccessions) -> tuple[Filing, ...]:
    """``filings`` minus those remembered, each accession once, order kept."""
    fresh: dict[str, Filing] = {}
    for filing in filings:
        if filing.accession_number not in seen:
            fresh.setdefault(filing.accession_number, filing)
    return tuple(fresh.values())


class FilingPublisher:
    """The single writer of the discovered topic (see the module docstring)."""

    def __init__(
        self,
        producer: AIOKafkaProducer,
        *,
        topic: str,
        seen: SeenAccessions,
        metrics: PollerMetrics,
        clock: Callable[[], float],
        event_source: str,
    ) -> None:
        self._producer = producer
        self._publisher = Publisher(producer, source=event_source)
        self._topic = topic
        self._seen = seen
        self._metrics = metrics
        self._clock = clock
        self._lock = asyncio.Lock()

    @property
    def seen(self) -> SeenAccessions:
        return self._seen

    async def publish_new(
        self,
        filings: Sequence[Filing],
        source: DiscoverySource,
        *,
        also: Callable[[tuple[Filing, ...]], Sequence[Outgoing]] | None = None,
    ) -> tuple[Filing, ...]:
        """Publish the filings not yet remembered in one transaction; return them.
        ``also``, given the filings about to be published, returns records for the same
        transaction (a backfill job's progress); with it, the transaction is made even
        when no filing is new."""
        async with self._lock:
            fresh = not_yet_seen(filings, self._seen)
            if not fresh and also is None:
                return ()
            discovered_at = datetime.fromtimestamp(self._clock(), UTC)
            outgoing = discovered_events(
                fresh, source, discovered_at=discovered_at, topic=self._topic
            )
            async with self._producer.transaction():
                extra = also(fresh) if also is not None else ()
                await self._publisher.publish_all([*outgoing, *extra])
                log.info("filings sent, committing", source=source.value, count=len(fresh))
            self._seen.add_all(filing.accession_number for filing in fresh)
            published_at = datetime.fromtimestamp(self._clock(), UTC)
            self._metrics.record_published(fresh, source, published_at=published_at)
            self._metrics.seen.set(len(self._seen))
            if not fresh:
                return ()
            log.info(
                "published filings",
                source=source.value,
                count=len(fresh),
                newest=fresh[-1].accession_number,
            )
            return fresh
