"""The poller's memory at start-up, rebuilt from the discovered topic, never a disk.

What the poller has published is exactly what is committed on
``edgar.filings.discovered.v1``. At start-up, *after* the transactional producer
has started (which fences a previous instance and aborts its open transaction, so
nothing is left pending), the topic is replayed ``read_committed`` from
``seen_lookback_days`` ago. That gives:

- the accessions already published (:class:`~edgarmon.poller.domain.seen.SeenAccessions`);
- when the poller was last up: the latest ``discovered_at``, which decides the daily
  indexes to reconcile;
- the *horizon*: filings accepted before it may have been published before the
  memory begins, so a source showing them for the first time after start-up does
  not publish them on sight (see :mod:`edgarmon.poller.workers.company_watch`). On a first
  start (nothing in the lookback) it is ``first_start_backfill_minutes`` ago.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from edgarmon.core.adapters.kafka import replay_topic
from edgarmon.core.domain.messages import FilingDiscovered
from edgarmon.poller.domain.seen import SeenAccessions, rebuild_seen
from edgarmon.poller.settings import PollerSettings

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class StartupMemory:
    seen: SeenAccessions
    last_alive: datetime | None
    """The latest ``discovered_at`` in the replayed window; None on a first start."""
    horizon: datetime
    events: int

    @property
    def first_start(self) -> bool:
        return self.last_alive is None


def memory_from_events(
    events: Iterable[tuple[datetime, str]],
    *,
    now: datetime,
    capacity: int,
    lookback: timedelta,
    first_start_backfill: timedelta,
) -> StartupMemory:
    """The memory made of ``(discovered_at, accession)`` pairs read from the topic, in
    any order (partitions interleave): the oldest are forgotten first when full."""
    ordered = sorted(events)
    seen = rebuild_seen((accession for _, accession in ordered), capacity=capacity)
    last_alive = ordered[-1][0] if ordered else None
    horizon = now - (lookback if last_alive is not None else first_start_backfill)
    return StartupMemory(seen=seen, last_alive=last_alive, horizon=horizon, events=len(ordered))


async def rebuild_memory(settings: PollerSettings, *, now: datetime) -> StartupMemory:
    """Replay the discovered topic (read_committed) into a :class:`StartupMemory`."""
    lookback = timedelta(days=settings.seen_lookback_days)
    events: list[tuple[datetime, str]] = []
    async for message in replay_topic(
        settings, settings.topic_discovered, FilingDiscovered, since=now - lookback
    ):
        events.append((message.discovered_at, message.filing.accession_number))
    memory = memory_from_events(
        events,
        now=now,
        capacity=settings.seen_capacity,
        lookback=lookback,
        first_start_backfill=timedelta(minutes=settings.first_start_backfill_minutes),
    )
    log.info(
        "memory rebuilt from the discovered topic",
        topic=settings.topic_discovered,
        events=memory.events,
        remembered=len(memory.seen),
        last_alive=memory.last_alive.isoformat() if memory.last_alive else None,
        horizon=memory.horizon.isoformat(),
    )
    return memory
