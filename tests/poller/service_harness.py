"""Running the poller service in the test process against the simulator and the real
broker, and reading what it published.

Waiting is event-driven: a condition on the simulator is re-checked on each request
it answers (the poller polls every few milliseconds), and Kafka is tailed with
blocking fetches (``edgarmon.testing.kafka_io.wait_for_records``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from aiohttp import web
from prometheus_client import CollectorRegistry

from edgarmon.core.adapters.health import Health
from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import FilingDiscovered
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.poller.adapters.sources import NO_MATCHING_COMPANY
from edgarmon.poller.service import serve
from edgarmon.poller.settings import PollerSettings
from edgarmon.poller.workers.pacing import PollerTiming
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.simulator.simulated_edgar import RequestRecord, SimulatedEdgar
from edgarmon.testing import local_http
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import create_topics, read_to_end
from edgarmon.testing.local_edgar import TEST_USER_AGENT

USER_AGENT = TEST_USER_AGENT
SERVICE_START = 1_748_875_200.0  # Mon 2 Jun 2025 10:40 ET; before the broker's real clock
"""Simulated time stays behind real time: the memory is replayed from Kafka record
timestamps (real time) since ``now - lookback`` on the service's (simulated) clock."""


def poller_settings(
    bootstrap: str, base_url: str, unique: str, **overrides: object
) -> PollerSettings:
    values: dict[str, object] = {
        "kafka_bootstrap_servers": bootstrap,
        "kafka_create_topics": False,
        "kafka_client_id": f"poller-test-{unique}",
        "topic_discovered": f"discovered-{unique}",
        "topic_classified": f"classified-{unique}",
        "topic_alerts_sent": f"alerts-{unique}",
        "topic_deadletter": f"deadletter-{unique}",
        "poller_transactional_id": f"poller-{unique}",
        "edgar_user_agent": USER_AGENT,
        "edgar_base_url": base_url,
        "edgar_data_url": base_url,
        "edgar_requests_per_second": 10.0,
        "latest_feed_interval_seconds": 0.02,
        "company_feed_interval_seconds": 0.05,
        "daily_index_retry_seconds": 0.05,
        "health_port": 0,
    }
    values.update(overrides)
    return PollerSettings.model_validate(values)


@asynccontextmanager
async def simulator(
    data_dir: Path,
    clock: ManualClock,
    *,
    guard_clock: Callable[[], float] | None = None,
    **options: object,
) -> AsyncIterator[RunningSimulator]:
    """The simulator on a free port; its fair-access limit is lifted unless a test sets
    it. ``guard_clock`` times fair access and the request log (default: frozen)."""
    values: dict[str, object] = {"max_rate": 1_000_000.0}
    values.update(options)
    sim_options = replace(SimulatorOptions(data_dir=data_dir), **values)  # type: ignore[arg-type]
    sim = build_simulated_edgar(
        sim_options, clock=clock, fair_access_clock=guard_clock or ManualClock(0.0)
    )
    async with running_simulator(sim) as running:
        yield running


@dataclass
class RunningPoller:
    runtime: ServiceRuntime
    task: asyncio.Task[None]

    def metric(self, name: str, **labels: str) -> float:
        return self.runtime.registry.get_sample_value(name, labels or None) or 0.0


@asynccontextmanager
async def running_poller(
    settings: PollerSettings,
    clock: Callable[[], float],
    *,
    timing: PollerTiming | None = None,
    create_topic: bool = True,
) -> AsyncIterator[RunningPoller]:
    """The service in this process; on exit it is asked to stop and must stop cleanly."""
    if create_topic:
        await create_topics(
            settings.kafka_bootstrap_servers, [settings.topic_discovered], partitions=3
        )
    runtime = ServiceRuntime(
        name="poller",
        registry=CollectorRegistry(),
        health=Health(),
        shutdown=Shutdown(),
        clock=clock,
    )
    task = asyncio.create_task(serve(settings, runtime, timing=timing))
    poller = RunningPoller(runtime, task)
    try:
        yield poller
    finally:
        runtime.shutdown.request("test over")
        await asyncio.wait_for(task, timeout=30)


async def until_request(
    sim: SimulatedEdgar,
    predicate: Callable[[RequestRecord], bool],
    *,
    within: float = 20.0,
    task: asyncio.Task[None] | None = None,
) -> RequestRecord:
    """The first request (past or future) the simulator answers for which ``predicate``
    holds. Fails early if ``task`` (the poller) ends first."""
    for record in sim.requests:
        if predicate(record):
            return record
    loop = asyncio.get_running_loop()
    found: asyncio.Future[RequestRecord] = loop.create_future()

    def check(record: RequestRecord) -> None:
        if not found.done() and predicate(record):
            found.set_result(record)

    sim.on_request.append(check)
    try:
        waiters: set[asyncio.Future[object]] = {found}  # type: ignore[arg-type]
        if task is not None:
            waiters.add(task)  # type: ignore[arg-type]
        done, _ = await asyncio.wait(waiters, timeout=within, return_when="FIRST_COMPLETED")
        if found in done:
            return found.result()
        if task is not None and task.done():
            task.result()
            raise AssertionError("the poller stopped before the awaited request")
        raise AssertionError(f"no matching request within {within} s")
    finally:
        sim.on_request.remove(check)


async def until(
    sim: SimulatedEdgar,
    condition: Callable[[], bool],
    *,
    within: float = 20.0,
    task: asyncio.Task[None] | None = None,
) -> None:
    """Wait until ``condition`` holds, re-checked as the simulator answers requests."""
    await until_request(sim, lambda _: condition(), within=within, task=task)


async def published(bootstrap: str, topic: str) -> list[FilingDiscovered]:
    """Every committed event on ``topic``, decoded."""
    return [
        codec.decode(record.value, record.headers, FilingDiscovered)
        for record in await read_to_end(bootstrap, topic)
    ]


def is_latest_feed(record: RequestRecord) -> bool:
    return "action=getcurrent" in record.query


def is_company_feed(record: RequestRecord) -> bool:
    return "action=getcompany" in record.query


@dataclass
class LocalEdgar:
    """Serves ``latest`` for getcurrent and ``company`` for getcompany (both may be
    swapped mid-test), no letters for a company's feed by form (``type=CORRESP``), 404
    for anything else, and counts what it served."""

    latest: bytes
    company: bytes
    served: list[str] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def browse_edgar(self, request: web.Request) -> web.Response:
        action = request.query.get("action", "")
        form = request.query.get("type", "")
        self.served.append(f"{action}:{form}" if form else action)
        self._changed.set()
        if action == "getcompany" and form:  # a company's letters: it has none here
            return web.Response(body=NO_MATCHING_COMPANY, content_type="text/html")
        bodies = {"getcurrent": self.latest, "getcompany": self.company}
        if action not in bodies:
            raise web.HTTPNotFound
        return web.Response(body=bodies[action], content_type="application/atom+xml")

    def count(self, action: str) -> int:
        return self.served.count(action)

    async def until_served(
        self, action: str, count: int, *, poller: asyncio.Task[None], within: float = 20.0
    ) -> None:
        """Wait until ``action`` was served ``count`` times; fail if the poller ends."""
        async with asyncio.timeout(within):
            while self.count(action) < count:
                self._changed.clear()
                changed = asyncio.ensure_future(self._changed.wait())
                await asyncio.wait({changed, poller}, return_when=asyncio.FIRST_COMPLETED)
                changed.cancel()
                if poller.done():
                    poller.result()
                    raise AssertionError("the poller stopped")


@asynccontextmanager
async def serving(edgar: LocalEdgar) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/cgi-bin/browse-edgar", edgar.browse_edgar)
    async with local_http.serving(app) as base_url:
        yield base_url


@dataclass
class BackfillStandIn:
    """The simulator, poller settings with a backfill topic, and both topics created."""

    running: RunningSimulator
    settings: PollerSettings
    clock: ManualClock


@asynccontextmanager
async def backfill_stand_in(
    bootstrap: str, unique: str, data_dir: Path
) -> AsyncIterator[BackfillStandIn]:
    clock = ManualClock(SERVICE_START)
    async with simulator(data_dir, clock) as running:
        settings = poller_settings(
            bootstrap, running.base_url, unique, topic_backfill=f"backfill-{unique}"
        )
        await create_topics(bootstrap, [settings.topic_backfill])
        await create_topics(bootstrap, [settings.topic_discovered], partitions=3)
        yield BackfillStandIn(running, settings, clock)
