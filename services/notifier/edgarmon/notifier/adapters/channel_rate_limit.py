"""A per-channel rate limit for Slack: about one message per second per channel.

Slack allows roughly one message per second to a channel, with short bursts
tolerated. :class:`ChannelRateLimiter` spaces messages to each channel by
``interval`` seconds, letting ``burst`` through back to back (the generic cell
rate algorithm). A slot is reserved before waiting, so concurrent senders to one
channel queue up in order without a lock. The clock and the sleep are injected.
"""

from __future__ import annotations

import asyncio
import time

from edgarmon.core.domain.clock import Clock, Sleep


class ChannelRateLimiter:
    def __init__(
        self,
        *,
        interval: float = 1.0,
        burst: int = 1,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if interval < 0 or burst < 1:
            raise ValueError("interval must be >= 0 and burst >= 1")
        self._interval = interval
        self._tolerance = (burst - 1) * interval
        self._clock = clock
        self._sleep = sleep
        self._theoretical_arrival: dict[str, float] = {}

    def reserve(self, channel: str) -> float:
        """Reserve the next slot for ``channel``; return the seconds to wait for it."""
        now = self._clock()
        arrival = max(self._theoretical_arrival.get(channel, now), now)
        self._theoretical_arrival[channel] = arrival + self._interval
        return max(0.0, arrival - self._tolerance - now)

    async def acquire(self, channel: str) -> float:
        """Wait until a message may go to ``channel``; return how long that was."""
        wait = self.reserve(channel)
        if wait > 0:
            await self._sleep(wait)
        return wait
