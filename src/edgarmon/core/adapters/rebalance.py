"""The rebalance listener every consumer uses.

It finishes the batch in flight (which commits) before partitions move away,
holds new records back while the service prepares for an assignment, and
reports readiness once the group has assigned partitions. Two more things the
consumer engine relies on:

- ``generation`` counts revocations, so a batch fetched before one is known to
  be stale (its partitions were forgotten and their positions reset);
- ``caught_up`` is set only once ``on_assigned`` (a ledger catch-up) has
  finished: aiokafka may hand out records of the new assignment while its
  listener is still running.

``on_revoked`` runs under the lock when partitions are revoked: the engine
commits there and lets the service drop what it queued for them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from aiokafka import ConsumerRebalanceListener, TopicPartition

from edgarmon.core.adapters.health import Health

log = structlog.get_logger(__name__)

PartitionsHook = Callable[[set[TopicPartition]], Awaitable[None]]


class RebalanceGate(ConsumerRebalanceListener):  # type: ignore[misc]
    """Finishes the in-flight batch (which commits) before partitions move away,
    and reports readiness once the group has assigned partitions."""

    def __init__(self, health: Health, *, on_assigned: PartitionsHook | None = None) -> None:
        self.lock = asyncio.Lock()
        self.generation = 0
        self.caught_up = asyncio.Event()
        self.on_revoked: PartitionsHook | None = None
        self._health = health
        self._on_assigned = on_assigned

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.lock:
            self.generation += 1
            self.caught_up.clear()
            if self.on_revoked is not None:
                await self.on_revoked(revoked)
        log.info("partitions revoked", partitions=sorted(str(tp) for tp in revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # Held while the service prepares (e.g. catches up a ledger): records already
        # fetched for the new assignment wait for it.
        async with self.lock:
            if self._on_assigned is not None:
                await self._on_assigned(assigned)
        self._health.set_ready(True, f"assigned {len(assigned)} partitions")
        self.caught_up.set()
        log.info("partitions assigned", partitions=sorted(str(tp) for tp in assigned))
