"""The one fake clock of the tree, for tests, benchmarks and the simulator.

:class:`ManualClock` is simulated time that moves only when told to, or when
something sleeps on it: pass ``clock.clock`` (or the clock itself, it is callable)
where an adapter takes a :data:`~edgarmon.core.domain.clock.Clock`, and
``clock.sleep`` where it takes a :data:`~edgarmon.core.domain.clock.Sleep`;
``sleeps`` records every wait asked for. It is the one fake clock of the tree.
"""

from __future__ import annotations

RESOLUTION = 1e-6
"""The smallest step a positive sleep moves the clock by."""


class ManualClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def clock(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now

    def set(self, moment: float) -> None:
        self.now = moment

    async def sleep(self, seconds: float) -> None:
        """Move time on by ``seconds`` at once, without yielding to the event loop: code
        that sleeps on it runs straight through. A positive wait moves time by at least
        :data:`RESOLUTION`: a token bucket may ask for a pause (1e-14 s) below the float
        resolution of ``now``, which would then never move and the bucket never refill."""
        self.sleeps.append(seconds)
        if seconds > 0:
            self.now += max(seconds, RESOLUTION)
