"""The time functions adapters take as parameters, so tests can drive them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
"""Seconds from an arbitrary origin, e.g. ``time.monotonic``."""

Sleep = Callable[[float], Awaitable[None]]
"""Waits the given seconds, e.g. ``asyncio.sleep``."""


class ManualClock:
    """A clock that moves only when something sleeps on it (or ``now`` is set).

    For tests and simulations, like ``structlog.testing``: pass ``clock`` and
    ``sleep`` where an adapter takes them; ``sleeps`` records every wait asked for.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
