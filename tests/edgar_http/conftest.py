"""Fixtures for the EDGAR client tests: a simulated EDGAR on a free local port, and
injected time for the client (its budget and its fair-access block)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from edgarmon.core.settings import EdgarClientSettings
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.testing import local_edgar
from edgarmon.testing.clock import ManualClock

USER_AGENT = local_edgar.TEST_USER_AGENT
SIM_START = local_edgar.SIM_START


@pytest.fixture
def fake_time() -> ManualClock:
    return ManualClock()


@pytest.fixture
def guard_clock() -> ManualClock:
    """The simulator's fair-access clock, so its block ends when the test says so."""
    return ManualClock(0.0)


@pytest.fixture
async def simulator(
    shared_edgar: Path, guard_clock: ManualClock
) -> AsyncIterator[RunningSimulator]:
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=50, max_rate=1000.0)
    sim = build_simulated_edgar(
        options, clock=ManualClock(SIM_START), fair_access_clock=guard_clock
    )
    async with running_simulator(sim) as running:
        yield running


def client_settings(base_url: str, **overrides: object) -> EdgarClientSettings:
    """The kit's client settings, at 5 requests per second unless overridden."""
    return local_edgar.client_settings(base_url, **{"edgar_requests_per_second": 5.0, **overrides})
