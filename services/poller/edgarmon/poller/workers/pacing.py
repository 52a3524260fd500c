"""Waiting, for the poller's loops: between polls, and out a fair-access block.

Time is injected. :class:`PollerTiming` holds the clock and sleep the EDGAR client
uses for its budget and its block (monotonic seconds), so that tests can drive a
block to its end without waiting ten minutes. Every wait wakes early on shutdown
and ticks the liveness probe while it lasts: a block is longer than the probe's
patience, and a paused poller is alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final

from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.adapters.health import Health
from edgarmon.core.lifecycle import Shutdown

MAX_QUIET_STEP_SECONDS: Final = 5.0


@dataclass(frozen=True)
class PollerTiming:
    """The client's clock and sleep (monotonic seconds), shared by the loops' waits."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)


class Pacer:
    """Interruptible waits on the injected timing."""

    def __init__(self, timing: PollerTiming, shutdown: Shutdown, health: Health) -> None:
        self._timing = timing
        self._shutdown = shutdown
        self._health = health

    @property
    def stopping(self) -> bool:
        return self._shutdown.requested

    def now(self) -> float:
        return self._timing.clock()

    async def pause(self, seconds: float) -> bool:
        """Wait ``seconds`` (ticking the probe); True when shutdown was requested."""
        deadline = self._timing.clock() + max(0.0, seconds)
        while not self._shutdown.requested:
            self._health.tick()
            remaining = deadline - self._timing.clock()
            if remaining <= 0:
                break
            await self._sleep_or_stop(min(remaining, MAX_QUIET_STEP_SECONDS))
        return self._shutdown.requested

    async def wait_out_block(self, client: EdgarClient) -> bool:
        """While the client's fair-access block lasts, wait (no source sends anything).
        True when shutdown was requested."""
        while (until := client.blocked_until) is not None:
            if await self.pause(until - self._timing.clock()):
                return True
        return self._shutdown.requested

    async def _sleep_or_stop(self, seconds: float) -> None:
        sleeper = asyncio.ensure_future(self._timing.sleep(seconds))
        stopper = asyncio.ensure_future(self._shutdown.wait())
        try:
            await asyncio.wait({sleeper, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, stopper):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
