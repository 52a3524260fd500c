"""The daily index as a backstop: a business day without one is counted and said once;
a federal holiday is never asked for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from edgarmon.core.domain import codec
from edgarmon.core.domain.filing import EASTERN
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import create_topics, produce
from tests.classifier.service_harness import discovered
from tests.poller.service_harness import (
    poller_settings,
    running_poller,
    simulator,
    until,
)


def index_requests(paths: list[str]) -> list[str]:
    return sorted(path.rsplit("/", 1)[1] for path in paths if "/daily-index/" in path)


async def test_a_business_day_without_an_index_is_counted_and_a_holiday_never_asked_for(
    kafka_bootstrap: str, unique: str, shared: Path
) -> None:
    # Tuesday after Memorial Day 2025, 10:40 ET: Friday's index is long due, and the
    # simulator has none (no filings that day); Monday, the holiday, has none either.
    start = datetime(2025, 5, 27, 10, 40, tzinfo=EASTERN).timestamp()
    clock = ManualClock(start)
    async with simulator(shared / "edgar", clock) as sim:
        settings = poller_settings(kafka_bootstrap, sim.base_url, unique)
        await create_topics(kafka_bootstrap, [settings.topic_discovered], partitions=3)
        # Last alive on Friday: the days since are reconciled at start-up.
        event = discovered(sim.base_url, "0000320193-25-000001", "8-K", 320193)
        last_alive = datetime(2025, 5, 23, 15, 0, tzinfo=EASTERN)
        record = codec.encode(event.model_copy(update={"discovered_at": last_alive}), source="/t")
        await produce(
            kafka_bootstrap, settings.topic_discovered, [(record.key, record.value, record.headers)]
        )
        async with running_poller(settings, clock, create_topic=False) as poller:
            await until(
                sim.sim,
                lambda: poller.metric("edgarmon_poller_daily_index_missing_total") >= 1,
                task=poller.task,
            )
        asked = index_requests([record.path for record in sim.sim.requests])
    assert asked == ["master.20250523.idx"]  # Friday; not Monday 26 May (Memorial Day)
    assert poller.metric("edgarmon_poller_daily_index_missing_total") == 1
