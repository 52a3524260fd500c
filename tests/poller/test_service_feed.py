"""The poller service against the simulated EDGAR and the real broker: bursts,
filings with several companies, and feeds that fail to parse or are cut off."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import wait_for_records

from .service_harness import (
    SERVICE_START,
    is_latest_feed,
    poller_settings,
    published,
    running_poller,
    simulator,
    until,
)

pytestmark = pytest.mark.kafka


async def test_a_burst_of_350_filings_between_two_polls_is_published_whole_and_once(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    clock = ManualClock(SERVICE_START)
    async with simulator(shared_edgar, clock, rate=1.0, backlog=20, loop=True) as running:
        settings = poller_settings(kafka_bootstrap, running.base_url, unique)
        async with running_poller(settings, clock) as poller:
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 20)
            polls_before = poller.metric("edgarmon_polls_total", source="latest_feed")
            clock.advance(350.0)  # 350 filings arrive at once: several pages of the feed
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 370)
            await until(
                running.sim,
                lambda: (
                    poller.metric("edgarmon_polls_total", source="latest_feed") > polls_before + 2
                ),
                task=poller.task,
            )
            published_total = poller.metric(
                "edgarmon_filings_published_total", source="latest_feed"
            )
            visible = set(running.sim.visibility())
        events = await published(kafka_bootstrap, settings.topic_discovered)
    accessions = [event.filing.accession_number for event in events]
    assert len(accessions) == len(set(accessions)) == 370, "no duplicates"
    assert set(accessions) == visible, "none lost"
    assert published_total == 370
    assert {event.source for event in events} == {DiscoverySource.LATEST_FEED}
    assert all(not event.filing.accepted_at_estimated for event in events)


async def test_one_event_per_accession_carries_every_company_and_role(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    clock = ManualClock(SERVICE_START)
    async with simulator(shared_edgar, clock, rate=1.0, backlog=150, loop=False) as running:
        settings = poller_settings(kafka_bootstrap, running.base_url, unique)
        async with running_poller(settings, clock):
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 150)
        expected = {
            filing.accession: {(c.cik, c.role) for c in filing.companies}
            for filing in running.sim.visible()
            if not filing.historic
        }
    events = await published(kafka_bootstrap, settings.topic_discovered)
    got = {
        event.filing.accession_number: {(c.cik, c.role) for c in event.filing.companies}
        for event in events
    }
    assert len(events) == len(got) == 150
    assert got == expected
    several = [accession for accession, companies in got.items() if len(companies) > 1]
    assert len(several) >= 10, "the recordings hold filings with several companies"
    roles = Counter(role for companies in got.values() for _, role in companies)
    assert {"Reporting", "Issuer"} <= set(roles)
    # a Form 4 names the reporting owner and the issuer: both CIKs, one event
    form4 = next(e.filing for e in events if e.filing.form_type == "4" and len(e.filing.ciks) > 1)
    assert {c.role for c in form4.companies} >= {"Reporting", "Issuer"}


async def test_malformed_and_truncated_feeds_are_logged_clearly_and_the_next_poll_goes_on(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    clock = ManualClock(SERVICE_START)
    async with simulator(shared_edgar, clock, rate=1.0, backlog=20, loop=True) as running:
        running.sim.faults.inject("malformed", path_prefix="/cgi-bin/")
        running.sim.faults.inject("truncate", path_prefix="/cgi-bin/")
        settings = poller_settings(kafka_bootstrap, running.base_url, unique)
        with capture_logs() as logs:
            async with running_poller(settings, clock) as poller:
                await wait_for_records(kafka_bootstrap, settings.topic_discovered, 20)
                errors = poller.metric("edgarmon_poll_errors_total", source="latest_feed")
                clock.advance(30.0)
                await wait_for_records(kafka_bootstrap, settings.topic_discovered, 50)
        statuses = [r.status for r in running.sim.requests if is_latest_feed(r)]
    failures = [e for e in logs if e["event"] == "poll failed; the next poll starts afresh"]
    assert errors == 2
    assert [f["error_type"] for f in failures] == ["FeedParseError", "EdgarUnavailable"]
    assert "not well-formed" in failures[0]["error"]
    assert "truncated" in failures[1]["error"]
    assert all(f["source"] == "latest_feed" and f["log_level"] == "error" for f in failures)
    assert statuses[:3] == [200, 200, 200]  # both faults were served as 200s, then a good poll
    events = await published(kafka_bootstrap, settings.topic_discovered)
    assert len({e.filing.accession_number for e in events}) == len(events) == 50
