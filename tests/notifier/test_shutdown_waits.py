"""Sender waits tick liveness through a long outage and end at once on shutdown."""

from __future__ import annotations

import asyncio

import pytest

from edgarmon.core.adapters.health import Health
from edgarmon.core.domain.errors import TransientDeliveryError
from edgarmon.core.lifecycle import Shutdown
from edgarmon.notifier.adapters.shutdown_waits import ShutdownAwareSleep
from edgarmon.testing.clock import ManualClock


async def test_a_long_wait_keeps_liveness_fresh_throughout() -> None:
    time = ManualClock()
    health = Health(stale_after_seconds=120.0, clock=time.clock)
    live_at_each_slice: list[bool] = []
    advance = time.sleep  # the manual clock moves only when waited on

    async def probed_wait(seconds: float) -> None:
        live_at_each_slice.append(health.live())
        await advance(seconds)
        live_at_each_slice.append(health.live())

    waits = ShutdownAwareSleep(shutdown=Shutdown(), health=health, sleep=probed_wait)
    for backoff in (60.0, 120.0, 240.0):  # an outage's retry waits, 420 s in all
        await waits(backoff)

    assert sum(time.sleeps) == 420.0
    assert max(time.sleeps) == 30.0
    assert all(live_at_each_slice)
    assert health.live()


async def test_no_wait_once_shutdown_is_requested() -> None:
    time = ManualClock()
    shutdown = Shutdown()
    shutdown.request("SIGTERM")
    waits = ShutdownAwareSleep(shutdown=shutdown, health=Health(), sleep=time.sleep)

    with pytest.raises(TransientDeliveryError, match="shutting down"):
        await waits(5.0)
    assert await waits.wait(5.0) is False
    assert time.sleeps == []


async def test_a_wait_in_progress_ends_when_shutdown_is_requested() -> None:
    shutdown = Shutdown()
    entered = asyncio.Event()

    async def endless_wait(_seconds: float) -> None:
        entered.set()
        await asyncio.Event().wait()

    waits = ShutdownAwareSleep(shutdown=shutdown, health=Health(), sleep=endless_wait)
    waiting = asyncio.create_task(waits(10.0))
    async with asyncio.timeout(5):
        await entered.wait()
        shutdown.request("SIGTERM")
        with pytest.raises(TransientDeliveryError):
            await waiting


async def test_a_wait_that_runs_its_course_returns_true() -> None:
    time = ManualClock()
    waits = ShutdownAwareSleep(shutdown=Shutdown(), health=Health(), sleep=time.sleep)
    assert await waits.wait(45.0) is True
    assert time.sleeps == [30.0, 15.0]
