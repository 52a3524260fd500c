"""Fixtures for the poller tests: the shared recordings, a simulated EDGAR with
a fair-access client pointed at it, and every line logged."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest
import structlog
from prometheus_client import CollectorRegistry
from structlog.testing import capture_logs
from structlog.typing import EventDict

from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.settings import EdgarClientSettings
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.testing.clock import ManualClock

SHARED_EDGAR = Path(__file__).resolve().parents[2] / ".." / "shared" / "edgar"
SIM_START = 1_768_235_000.0  # Mon 12 Jan 2026 11:23 ET
BASE = "http://edgar.test"


@pytest.fixture
def logs() -> Iterator[list[EventDict]]:
    """Every line logged, whatever level an earlier test configured structlog for."""
    saved = structlog.get_config()
    structlog.reset_defaults()
    with capture_logs() as captured:
        yield captured
    structlog.configure(**saved)


@pytest.fixture
def shared_edgar() -> Path:
    if not SHARED_EDGAR.is_dir():
        pytest.skip(f"the shared EDGAR recordings are absent ({SHARED_EDGAR})")
    return SHARED_EDGAR.resolve()


@asynccontextmanager
async def simulated_edgar(
    options: SimulatorOptions, clock: ManualClock
) -> AsyncIterator[tuple[RunningSimulator, EdgarClient]]:
    """A simulator on a free port and a client that talks to it. Fair access is not
    what these tests are about: the simulator's rate limit is lifted."""
    sim = build_simulated_edgar(
        replace(options, max_rate=1_000_000.0), clock=clock, fair_access_clock=ManualClock(0.0)
    )
    free = ManualClock(0.0)
    async with running_simulator(sim) as running, aiohttp.ClientSession() as session:
        settings = EdgarClientSettings.model_validate(
            {
                "edgar_user_agent": "Edgarmon Tests tests@example.com",
                "edgar_base_url": running.base_url,
                "edgar_data_url": running.base_url,
            }
        )
        client = EdgarClient(
            settings, session, registry=CollectorRegistry(), clock=free.clock, sleep=free.sleep
        )
        yield running, client
