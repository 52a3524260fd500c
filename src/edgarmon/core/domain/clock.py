"""The one time protocol of edgarmon: what adapters take so that tests can drive time.

An adapter that waits or measures takes a :data:`Clock` and a :data:`Sleep` as
parameters, defaulting to ``time.monotonic`` and ``asyncio.sleep``; tests pass the
one fake, :class:`edgarmon.testing.clock.ManualClock`, whose ``clock`` and ``sleep``
fit both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
"""Seconds from an arbitrary origin, e.g. ``time.monotonic`` (or ``time.time``
where the value must be wall time, as the parameter's name then says)."""

Sleep = Callable[[float], Awaitable[object]]
"""Waits the given seconds, e.g. ``asyncio.sleep``."""
