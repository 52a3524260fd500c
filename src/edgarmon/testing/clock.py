"""The one fake clock of the tree, for tests, benchmarks and the simulator.

:class:`ManualClock` is simulated time that moves only when told to, or when
something sleeps on it: pass ``clock.clock`` (or the clock itself, it is callable)
where an adapter takes a :data:`~edgarmon.core.domain.clock.Clock`, and
``clock.sleep`` where it takes a :data:`~edgarmon.core.domain.clock.Sleep`;
``sleeps`` records every wait asked for.
"""

from __future__ import annotations


class ManualClock:
    def __init__(self, start: float = 1000.0, *, min_sleep: float = 0.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._min_sleep = min_sleep

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
        """Move time on by ``seconds`` (at least ``min_sleep``) at once, without yielding
        to the event loop: code that sleeps on it runs straight through."""
        self.sleeps.append(seconds)
        self.now += max(seconds, self._min_sleep)
