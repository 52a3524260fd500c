"""The fair-access block, end to end: the simulator answers with SEC's block page;
every source of the poller stops, no request reaches the simulator for the whole
back-off, one clear log line and the metrics say so, and polling resumes after.

Time is injected: the client's clock and sleep, and the simulator's request log,
share one fake clock that only moves when the poller waits, so eleven minutes of
back-off pass in milliseconds and requests are timed on the same line."""

from __future__ import annotations

from pathlib import Path

import pytest
from structlog.testing import capture_logs

from edgarmon.poller.workers.pacing import PollerTiming
from edgarmon.simulator.simulated_edgar import RequestRecord
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import wait_for_records

from .service_harness import (
    SERVICE_START,
    is_company_feed,
    is_latest_feed,
    poller_settings,
    published,
    running_poller,
    simulator,
    until_request,
)

pytestmark = pytest.mark.kafka
KEEN_VISION = 1889983
BLOCK_LOG = "EDGAR fair-access block: sending no requests until it is over"


async def test_the_block_page_pauses_every_source_and_no_request_is_sent_during_the_back_off(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    fake = ManualClock()
    clock = ManualClock(SERVICE_START)
    async with simulator(
        shared_edgar, clock, guard_clock=fake.clock, rate=1.0, backlog=10, loop=True
    ) as running:
        sim = running.sim
        settings = poller_settings(
            kafka_bootstrap,
            running.base_url,
            unique,
            watchlist_ciks=(KEEN_VISION,),
            latest_feed_interval_seconds=1.0,
            company_feed_interval_seconds=5.0,
        )
        timing = PollerTiming(clock=fake.clock, sleep=fake.sleep)
        with capture_logs() as logs:
            async with running_poller(settings, clock, timing=timing) as poller:
                await wait_for_records(kafka_bootstrap, settings.topic_discovered, 10)
                await until_request(sim, is_company_feed, task=poller.task)
                sim.faults.inject("block", seconds=600)  # SEC's page, and 10 minutes of 403s
                blocked = await until_request(sim, lambda r: r.status == 403, task=poller.task)
                block_ends = blocked.at + settings.edgar_block_seconds

                def resumed(source: str) -> bool:
                    check = is_latest_feed if source == "latest" else is_company_feed
                    return any(r.at >= block_ends and check(r) for r in sim.requests)

                clock.advance(5.0)  # five filings arrive during the block
                await until_request(sim, lambda _: resumed("latest"), task=poller.task)
                await until_request(sim, lambda _: resumed("company"), task=poller.task)
                await wait_for_records(kafka_bootstrap, settings.topic_discovered, 15)
                blocks = poller.metric("edgarmon_edgar_blocks_total")
                active = poller.metric("edgarmon_edgar_block_active")
                errors = sum(
                    poller.metric("edgarmon_poll_errors_total", source=source)
                    for source in ("latest_feed", "company_feed", "daily_index")
                )
        requests: list[RequestRecord] = list(sim.requests)
    during = [r for r in requests if blocked.at < r.at < block_ends]
    assert during == [], "not one request during the back-off"
    assert [r.status for r in requests].count(403) == 1
    after = [r for r in requests if r.at >= block_ends]
    assert after
    assert after[0].at - blocked.at >= 600, "at least SEC's ten minutes"
    assert all(r.status == 200 for r in after)
    assert (blocks, active) == (1.0, 0.0)
    # the poll that met the 403, and maybe the other source's, waiting for its turn then
    assert errors in {1.0, 2.0}
    block_lines = [entry for entry in logs if entry["event"] == BLOCK_LOG]
    assert len(block_lines) == 1
    assert block_lines[0]["log_level"] == "error"
    assert block_lines[0]["quiet_seconds"] == settings.edgar_block_seconds
    events = await published(kafka_bootstrap, settings.topic_discovered)
    accessions = [e.filing.accession_number for e in events]
    assert len(accessions) == len(set(accessions)) == 15, "the filings of the block, after it"
