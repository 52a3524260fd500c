"""The notifier's rebalance listener: the core gate, with two more things it needs.

:class:`edgarmon.core.adapters.consumer.RebalanceGate` lets the batch in flight finish
before partitions move and reports readiness once partitions are assigned. The
notifier also needs a hook, run under the gate's lock, when partitions are
revoked (to commit and drop what it queued for them), and an event set only once
``on_assigned`` (the ledger catch-up) has finished: aiokafka may already hand out
records of the new assignment while its listener is still running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from aiokafka import TopicPartition

from edgarmon.core.adapters.health import Health
from edgarmon.core.adapters.rebalance import RebalanceGate

log = structlog.get_logger(__name__)


class AssignmentGate(RebalanceGate):
    def __init__(
        self,
        health: Health,
        *,
        on_assigned: Callable[[set[TopicPartition]], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(health, on_assigned=on_assigned)
        self.on_revoked: Callable[[set[TopicPartition]], Awaitable[None]] | None = None
        self.caught_up = asyncio.Event()
        """Set once the current assignment's ``on_assigned`` work is done."""

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.lock:
            self.caught_up.clear()
            if self.on_revoked is not None:
                await self.on_revoked(revoked)
        log.info("partitions revoked", partitions=sorted(str(tp) for tp in revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        await super().on_partitions_assigned(assigned)
        self.caught_up.set()
