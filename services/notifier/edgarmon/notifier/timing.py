"""The time functions adapters take as parameters, so tests can drive them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
"""Seconds from an arbitrary origin, e.g. ``time.monotonic``."""

Sleep = Callable[[float], Awaitable[None]]
"""Waits the given seconds, e.g. ``asyncio.sleep``."""
