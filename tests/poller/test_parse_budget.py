"""A feed the parser cannot finish within the budget (hundreds of thousands of entries,
each one skipped) costs the poller one failed poll per budget, off the event loop: it
keeps polling, publishes once the feed is readable, and a shutdown in the middle of
such a parse is not held up by it. (One element with 100,000 attributes held
feedparser for 97 s; the lxml parser reads it at once.)"""

from __future__ import annotations

import asyncio

import pytest

from edgarmon.poller.domain.atom_feeds import parse_latest_feed
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import wait_for_records

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
    """One element with ``attributes`` attributes (feedparser's worst case; also used
    by benchmarks/hostile_bench.py), then a good entry."""
    junk = " ".join(f'a{i}="x"' for i in range(attributes))
    return latest_feed(f"<entry><junk {junk}/></entry>", latest_entry(ACCESSION, updated=ACCEPTED))


def many_entries_feed(entries: int) -> bytes:
    """``entries`` empty entries (each one skipped, about 10 us apiece) before a good one:
    200,000 take the parser seconds, in about 60 MiB."""
    return latest_feed("<entry/>" * entries, latest_entry(ACCESSION, updated=ACCEPTED))


def test_one_element_with_100k_attributes_is_read_at_once() -> None:
    page = parse_latest_feed(slow_feed(100_000), base_url="http://edgar.test")
    assert [filing.accession_number for filing in page.filings()] == [ACCESSION]
    assert page.raw_entry_count == 2


async def test_a_feed_over_the_time_budget_fails_its_poll_and_the_poller_goes_on(
    kafka_bootstrap: str, unique: str
) -> None:
    edgar = LocalEdgar(latest=many_entries_feed(200_000), company=company_feed())
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
    edgar = LocalEdgar(latest=many_entries_feed(600_000), company=company_feed())
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
        # the parse would take several times the shutdown timeout; the drain ends it
        async with asyncio.timeout(settings.shutdown_timeout_seconds):
            await poller.task
        await poller_context.__aexit__(None, None, None)
    assert edgar.count("getcurrent") == 1
