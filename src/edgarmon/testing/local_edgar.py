"""One local EDGAR for tests and benchmarks: the simulator on a free port, and the
shared fair-access client pointed at it, on injected time.

The simulator (:mod:`edgarmon.simulator`) is a real HTTP server that behaves as
EDGAR is documented to behave (feeds, indexes, archives, the fair-access block);
:func:`edgar_client` builds the production :class:`EdgarClient` against any base
URL with a :class:`ManualClock`, so its request budget never waits on a real clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Final

import aiohttp
from prometheus_client import CollectorRegistry

from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.settings import EdgarClientSettings
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.testing.clock import ManualClock

TEST_USER_AGENT: Final = "Edgarmon Tests tests@example.com"
SIM_START: Final = 1_768_235_000.0
"""Mon 12 Jan 2026 11:23:20 ET: a business day, during market hours."""


def client_settings(base_url: str, **overrides: object) -> EdgarClientSettings:
    """Client settings for ``base_url`` with the tests' User-Agent, then ``overrides``."""
    values: dict[str, object] = {
        "edgar_user_agent": TEST_USER_AGENT,
        "edgar_base_url": base_url,
        "edgar_data_url": base_url,
    }
    values.update(overrides)
    return EdgarClientSettings.model_validate(values)


def edgar_client(
    settings: EdgarClientSettings, session: aiohttp.ClientSession, time: ManualClock
) -> EdgarClient:
    """The production EDGAR client, its budget and block on ``time``."""
    return EdgarClient(
        settings, session, registry=CollectorRegistry(), clock=time.clock, sleep=time.sleep
    )


@asynccontextmanager
async def simulated_edgar(
    options: SimulatorOptions, clock: ManualClock
) -> AsyncIterator[tuple[RunningSimulator, EdgarClient]]:
    """A simulator on a free port and a client that talks to it. Fair access is not
    what such tests are about: the simulator's rate limit is lifted, and the client's
    pauses take no time."""
    sim = build_simulated_edgar(
        replace(options, max_rate=1_000_000.0), clock=clock, fair_access_clock=ManualClock(0.0)
    )
    async with running_simulator(sim) as running, aiohttp.ClientSession() as session:
        client = edgar_client(client_settings(running.base_url), session, ManualClock(0.0))
        yield running, client
