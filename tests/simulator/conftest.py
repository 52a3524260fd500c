"""Fixtures for the simulator tests: the shared recordings and plain HTTP access."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.local_edgar import SIM_START, TEST_USER_AGENT

__all__ = ["SIM_START", "USER_AGENT", "serving"]

USER_AGENT = {"User-Agent": TEST_USER_AGENT}


@asynccontextmanager
async def serving(
    options: SimulatorOptions, clock: ManualClock, guard_clock: ManualClock | None = None
) -> AsyncIterator[tuple[RunningSimulator, aiohttp.ClientSession]]:
    sim = build_simulated_edgar(
        options, clock=clock, fair_access_clock=guard_clock or ManualClock(0.0)
    )
    async with (
        running_simulator(sim) as running,
        aiohttp.ClientSession(base_url=running.base_url, headers=USER_AGENT) as http,
    ):
        yield running, http
