"""What the classifier service tests share: the EDGAR simulator over the shared
recordings with a fair-access client on injected time, discovered events pointing at
it, settings with unique Kafka names, and the service run in-process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client import CollectorRegistry

from edgarmon.classifier.adapters.fetching import DocumentFetcher, EdgarClientFetcher
from edgarmon.classifier.service import run_classifier
from edgarmon.classifier.settings import ClassifierSettings
from edgarmon.core.adapters.bounded_work import bounded_workers
from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.adapters.health import Health
from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import FairAccessBlocked
from edgarmon.core.domain.filing import EASTERN, Company, Filing
from edgarmon.core.domain.messages import DiscoverySource, FilingClassified, FilingDiscovered
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.core.settings import EdgarClientSettings
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import RunningSimulator, running_simulator
from edgarmon.simulator.simulated_edgar import SimulatedEdgar
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import create_topics, produce
from tests.classifier.local_edgar import USER_AGENT

SIM_START = 1_768_235_000.0  # Mon 12 Jan 2026 11:23 ET

# Recorded filings the simulator serves (index.json and documents from ../shared/edgar).
ITEM_801_8K = ("0000100493-17-000064", 100493)  # Tyson 8-K: Items 7.01, 8.01, 9.01
UPLOAD_LETTERS = (  # SEC staff comment letters (PDF)
    ("0000000000-16-070496", 885725),  # Boston Scientific, 2 comments, 10 business days
    ("0000000000-18-013671", 1551152),  # AbbVie, Schedule TO-I
    ("0000000000-16-072063", 885725),
    ("0000000000-16-094201", 885725),
    ("0000000000-20-009552", 1551152),
)
OTHER_8KS = (
    ("0000100493-20-000043", 100493),
    ("0000100493-22-000006", 100493),
    ("0000939057-08-000341", 1002682),
)


@dataclass
class EdgarStandIn:
    """The simulator, and the shared client talking to it on injected time: the
    client's clock (``time``, also its budget's sleep) and the simulator's fair-access
    clock (``guard_clock``) move only when a test moves them."""

    running: RunningSimulator
    client: EdgarClient
    time: ManualClock
    guard_clock: ManualClock

    @property
    def sim(self) -> SimulatedEdgar:
        return self.running.sim

    @property
    def base_url(self) -> str:
        return self.running.base_url

    def fetcher(self) -> EdgarClientFetcher:
        return EdgarClientFetcher(self.client)

    def requests_for(self, accession: str) -> int:
        """Requests the simulator answered for the filing's folder."""
        folder = f"/{accession.replace('-', '')}/"
        return sum(1 for record in self.sim.requests if folder in record.path)


@asynccontextmanager
async def simulated_edgar(data_dir: Path) -> AsyncIterator[EdgarStandIn]:
    guard_clock = ManualClock(0.0)
    sim = build_simulated_edgar(
        SimulatorOptions(data_dir=data_dir, max_rate=1_000_000.0, backlog=0),
        clock=ManualClock(SIM_START),
        fair_access_clock=guard_clock,
    )
    time = ManualClock()
    async with running_simulator(sim) as running, aiohttp.ClientSession() as session:
        settings = EdgarClientSettings.model_validate(
            {
                "edgar_user_agent": USER_AGENT,
                "edgar_base_url": running.base_url,
                "edgar_data_url": running.base_url,
                "edgar_requests_per_second": 10.0,
            }
        )
        client = EdgarClient(
            settings, session, registry=CollectorRegistry(), clock=time.clock, sleep=time.sleep
        )
        yield EdgarStandIn(running, client, time, guard_clock)


def folder_path(accession: str, cik: int) -> str:
    return f"/Archives/edgar/data/{cik}/{accession.replace('-', '')}/"


def discovered(
    base_url: str, accession: str, form_type: str, cik: int, items: tuple[str, ...] = ()
) -> FilingDiscovered:
    filing = Filing(
        accession_number=accession,
        form_type=form_type,
        companies=(Company(cik=cik, name=f"Company {cik}", role="Filer"),),
        items=items,
        accepted_at=datetime(2026, 1, 12, 11, 0, tzinfo=EASTERN),
        filing_date=date(2026, 1, 12),
        index_url=f"{base_url}{folder_path(accession, cik)}{accession}-index.htm",
    )
    return FilingDiscovered(
        filing=filing,
        source=DiscoverySource.LATEST_FEED,
        discovered_at=datetime(2026, 1, 12, 16, 1, tzinfo=UTC),
    )


def settings_for(
    bootstrap: str, unique: str, base_url: str, **overrides: object
) -> ClassifierSettings:
    values: dict[str, object] = {
        "kafka_bootstrap_servers": bootstrap,
        "kafka_create_topics": False,
        "topic_discovered": f"discovered-{unique}",
        "topic_classified": f"classified-{unique}",
        "topic_deadletter": f"dlq-{unique}",
        "consumer_group": f"classifier-{unique}",
        "transactional_id": f"classifier-tx-{unique}",
        "edgar_user_agent": USER_AGENT,
        "edgar_base_url": base_url,
        "edgar_data_url": base_url,
        "fetch_retry_seconds": 0.0,
        **overrides,
    }
    return ClassifierSettings.model_validate(values)


async def create_service_topics(settings: ClassifierSettings, *, partitions: int = 1) -> None:
    bootstrap = settings.kafka_bootstrap_servers
    await create_topics(bootstrap, [settings.topic_discovered], partitions=partitions)
    await create_topics(bootstrap, [settings.topic_classified], partitions=3)
    await create_topics(bootstrap, [settings.topic_deadletter])


async def produce_discovered(
    settings: ClassifierSettings, messages: Sequence[FilingDiscovered]
) -> None:
    records = [codec.encode(message, source="/edgarmon/test") for message in messages]
    await produce(
        settings.kafka_bootstrap_servers,
        settings.topic_discovered,
        [(r.key, r.value, r.headers) for r in records],
    )


def classified_events(records: Sequence[Any]) -> dict[str, FilingClassified]:
    events = [codec.decode(r.value, r.headers or (), FilingClassified) for r in records]
    by_accession = {event.filing.accession_number: event for event in events}
    assert len(by_accession) == len(events), "an accession was classified twice"
    return by_accession


@asynccontextmanager
async def running_classifier(
    settings: ClassifierSettings, fetcher: DocumentFetcher
) -> AsyncIterator[ServiceRuntime]:
    """The service in-process until the block ends; then it drains (and must stop)."""
    runtime = ServiceRuntime(
        name="classifier", registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )
    async with bounded_workers(settings.parse_budget, shutdown=runtime.shutdown) as parsing:
        task = asyncio.create_task(run_classifier(settings, runtime, fetcher, parsing))
        try:
            yield runtime
        finally:
            runtime.shutdown.request("test over")
            await asyncio.wait_for(task, timeout=30)


class BlockWatcher:
    """Passes fetches through and counts the fair-access blocks they met, so a test can
    await "the service tried again while blocked" instead of waiting on a clock."""

    def __init__(self, inner: DocumentFetcher) -> None:
        self._inner = inner
        self.blocked = 0
        self._changed = asyncio.Condition()

    async def fetch(self, url: str, *, max_bytes: int | None = None) -> bytes:
        try:
            return await self._inner.fetch(url, max_bytes=max_bytes)
        except FairAccessBlocked:
            async with self._changed:
                self.blocked += 1
                self._changed.notify_all()
            raise

    async def wait_for_blocked(self, count: int, *, within: float = 20.0) -> None:
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: self.blocked >= count), timeout=within
            )
