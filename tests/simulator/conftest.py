"""Fixtures for the simulator tests: the shared recordings and plain HTTP access."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.testing.clock import ManualClock

SHARED_EDGAR = Path(__file__).resolve().parents[2] / ".." / "shared" / "edgar"
SIM_START = 1_768_235_000.0  # Mon 12 Jan 2026 11:23:20 ET
USER_AGENT = {"User-Agent": "Edgarmon Tests tests@example.com"}


@pytest.fixture
def shared_edgar() -> Path:
    if not SHARED_EDGAR.is_dir():
        pytest.skip(f"the shared EDGAR recordings are absent ({SHARED_EDGAR})")
    return SHARED_EDGAR.resolve()


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
