"""A feed the parser cannot finish (one element with 30,000 attributes keeps feedparser
busy for seconds; 100,000 for over a minute) costs the poller one failed poll per
budget, off the event loop: it keeps polling, publishes once the feed is readable,
and a shutdown in the middle of such a parse is not held up by it."""

from __future__ import annotations

import asyncio

import pytest

from edgarmon.simulator.simulated_edgar import ManualClock
from tests.support.kafka_io import wait_for_records

from .hostile_feeds import company_feed, latest_entry, latest_feed
from .service_harness import (
    SERVICE_START,
    LocalEdgar,
    poller_settings,
    published,
    running_poller,
    serving,
)

pytestmark = pytest.mark.kafka

ACCESSION = "0000000011-25-000001"
ACCEPTED = "2025-06-02T10:35:00-04:00"  # before SERVICE_START (10:40 ET)


def slow_feed(attributes: int = 30_000) -> bytes:
    junk = " ".join(f'a{i}="x"' for i in range(attributes))
    return latest_feed(f"<entry><junk {junk}/></entry>", latest_entry(ACCESSION, updated=ACCEPTED))


async def test_a_feed_over_the_time_budget_fails_its_poll_and_the_poller_goes_on(
    kafka_bootstrap: str, unique: str
) -> None:
    edgar = LocalEdgar(latest=slow_feed(), company=company_feed())
    async with serving(edgar) as base_url:
        settings = poller_settings(kafka_bootstrap, base_url, unique, parse_timeout_seconds=0.3)
        async with running_poller(settings, ManualClock(SERVICE_START)) as poller:
            await edgar.until_served("getcurrent", 3, poller=poller.task)
            failed = poller.metric("edgarmon_poll_errors_total", source="latest_feed")
            edgar.latest = latest_feed(latest_entry(ACCESSION, updated=ACCEPTED))
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 1)
    assert failed >= 2
    events = await published(kafka_bootstrap, settings.topic_discovered)
    assert [event.filing.accession_number for event in events] == [ACCESSION]


async def test_shutdown_is_not_held_up_by_a_parse_in_flight(
    kafka_bootstrap: str, unique: str
) -> None:
    edgar = LocalEdgar(latest=slow_feed(100_000), company=company_feed())
    async with serving(edgar) as base_url:
        settings = poller_settings(
            kafka_bootstrap,
            base_url,
            unique,
            parse_timeout_seconds=600.0,
            shutdown_timeout_seconds=5.0,
        )
        poller_context = running_poller(settings, ManualClock(SERVICE_START))
        poller = await poller_context.__aenter__()
        await edgar.until_served("getcurrent", 1, poller=poller.task)
        poller.runtime.shutdown.request("SIGTERM")
        # the parse would take over a minute; the drain ends it and the service returns
        async with asyncio.timeout(settings.shutdown_timeout_seconds):
            await poller.task
        await poller_context.__aexit__(None, None, None)
    assert edgar.count("getcurrent") == 1
