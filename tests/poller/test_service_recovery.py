"""What the feeds cannot show, healed: a 30-minute outage that pushes filings past
the latest feed's depth, and CORRESP/UPLOAD letters released weeks late with their
original dates (company feeds, and the daily index of their release day)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from edgarmon.core.domain.filing import EASTERN
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.simulator.filings import FilingTemplate, SimCompany, schedule_filing
from edgarmon.simulator.simulated_edgar import RequestRecord
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import read_to_end, wait_for_records

from .service_harness import (
    is_company_feed,
    is_latest_feed,
    poller_settings,
    published,
    running_poller,
    simulator,
    until,
    until_request,
)

pytestmark = pytest.mark.kafka
MONDAY = date(2025, 6, 2)
KEEN_VISION = 1889983
MAQUIA = 1844419


def eastern(day: date, hour: int, minute: int, second: int = 0) -> float:
    return datetime.combine(day, time(hour, minute, second), tzinfo=EASTERN).timestamp()


async def test_a_30_minute_outage_is_healed_from_the_feed_and_then_the_daily_index(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    clock = ManualClock(eastern(MONDAY, 15, 55))
    async with simulator(
        shared_edgar, clock, rate=0.3, backlog=20, loop=True, feed_depth=300
    ) as running:
        sim = running.sim
        settings = poller_settings(
            kafka_bootstrap, running.base_url, unique, daily_index_hour=22, latest_feed_depth=300
        )
        async with running_poller(settings, clock):
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 20)
        before_outage = set(sim.visibility())

        clock.advance(30 * 60)  # the poller is down 30 minutes: 540 filings arrive
        total = len(sim.visibility())
        sim.arrivals = None  # and then no more, so the counts below are exact
        assert total == 20 + 540

        async with running_poller(settings, clock, create_topic=False) as poller:
            # the feed shows only its newest 300 entries: the walk reaches the depth
            await until(
                sim,
                lambda: poller.metric("edgarmon_polls_total", source="latest_feed") >= 2,
                task=poller.task,
            )
            from_feed = await read_to_end(kafka_bootstrap, settings.topic_discovered)
            assert poller.metric("edgarmon_feed_depth_exhausted_total") == 1
            assert 20 < len(from_feed) < total

            clock.set(eastern(MONDAY, 22, 0, 30))  # that night the day's index is read
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, total)
            await until(
                sim,
                lambda: poller.metric("edgarmon_polls_total", source="daily_index") >= 1,
                task=poller.task,
            )
        visible = set(sim.visibility())
    events = await published(kafka_bootstrap, settings.topic_discovered)
    accessions = [event.filing.accession_number for event in events]
    assert len(accessions) == len(set(accessions)) == total
    assert set(accessions) == visible
    by_source = {source: [e for e in events if e.source is source] for source in DiscoverySource}
    feed_count = len(by_source[DiscoverySource.LATEST_FEED])
    index_events = by_source[DiscoverySource.DAILY_INDEX]
    assert feed_count == len(from_feed)
    assert len(index_events) == total - feed_count > 0
    assert all(e.filing.accepted_at_estimated for e in index_events)
    assert all(e.filing.filing_date == MONDAY for e in index_events)
    # what the index healed is the oldest part of the outage, pushed past the depth
    newest_healed = max(sim.visibility()[e.filing.accession_number] for e in index_events)
    oldest_from_feed_after_outage = min(
        sim.visibility()[e.filing.accession_number]
        for e in by_source[DiscoverySource.LATEST_FEED]
        if e.filing.accession_number not in before_outage
    )
    assert newest_healed < oldest_from_feed_after_outage


async def test_corresp_and_upload_letters_released_late_are_published_once(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    clock = ManualClock(eastern(MONDAY, 21, 0))
    corresp = FilingTemplate(
        accession="0001213900-25-047001",
        form_type="CORRESP",
        companies=(SimCompany(KEEN_VISION, "Keen Vision Acquisition Corp."),),
        original_filing_date=date(2025, 5, 1),
    )
    upload = FilingTemplate(
        accession="0000000000-25-004321",
        form_type="UPLOAD",
        companies=(SimCompany(MAQUIA, "Maquia Capital Acquisition Corp"),),
        original_filing_date=date(2025, 5, 5),
    )
    async with simulator(shared_edgar, clock, rate=1.0, backlog=5, loop=False) as running:
        sim = running.sim
        sim.visible_count()
        sim.arrivals = None  # only the letters arrive from here on
        settings = poller_settings(
            kafka_bootstrap,
            running.base_url,
            unique,
            watchlist_ciks=(KEEN_VISION,),
            daily_index_hour=22,
        )
        async with running_poller(settings, clock) as poller:
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 5)
            # the company feed's first sight: its 55 recorded filings predate the memory
            await until_request(sim, is_company_feed, task=poller.task)
            sim.add_filings(schedule_filing(t, clock() + 60) for t in (corresp, upload))
            clock.advance(120)  # released: weeks late, with their original dates
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 6)
            before_night = await published(kafka_bootstrap, settings.topic_discovered)

            clock.set(eastern(MONDAY, 22, 0, 30))  # Monday's index lists both letters
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 7)
            await until(
                sim,
                lambda: poller.metric("edgarmon_polls_total", source="daily_index") >= 1,
                task=poller.task,
            )
        on_latest_feed = [r for r in sim.requests if is_latest_feed(r)]
    events = {
        e.filing.accession_number: e
        for e in await published(kafka_bootstrap, settings.topic_discovered)
    }
    assert len(events) == 7, "the backlog and the two letters; none of the recorded history"
    assert corresp.accession in {e.filing.accession_number for e in before_night}
    assert upload.accession not in {e.filing.accession_number for e in before_night}
    letter = events[corresp.accession]
    assert letter.source is DiscoverySource.COMPANY_FEED
    assert (letter.filing.form_type, letter.filing.filing_date) == ("CORRESP", date(2025, 5, 1))
    assert letter.filing.ciks == {KEEN_VISION}
    staff = events[upload.accession]
    assert staff.source is DiscoverySource.DAILY_INDEX
    assert (staff.filing.form_type, staff.filing.filing_date) == ("UPLOAD", date(2025, 5, 5))
    assert staff.filing.accepted_at_estimated
    assert staff.filing.ciks == {MAQUIA}
    assert on_latest_feed, "the latest feed was polled all along, and never showed a letter"


async def test_a_watched_company_without_filings_yet_still_gets_its_letters_from_its_feed(
    shared_edgar: Path, kafka_bootstrap: str, unique: str
) -> None:
    """EDGAR answers "No matching Ticker Symbol." (HTML) for a CIK with no filings: that is
    an empty feed seen, not a failure, so a letter released later is new, not baseline."""
    no_filings_yet = 855654
    clock = ManualClock(eastern(MONDAY, 11, 0))
    upload = FilingTemplate(
        accession="0000000000-25-004322",
        form_type="UPLOAD",
        companies=(SimCompany(no_filings_yet, "Example Therapeutics", role="Filed for"),),
        original_filing_date=date(2025, 5, 5),
    )
    async with simulator(shared_edgar, clock, rate=1.0, backlog=3, loop=False) as running:
        sim = running.sim
        sim.visible_count()
        sim.arrivals = None
        settings = poller_settings(
            kafka_bootstrap, running.base_url, unique, watchlist_ciks=(no_filings_yet,)
        )
        async with running_poller(settings, clock) as poller:
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 3)
            # The baseline turn reads the company's feed, then its CORRESP and UPLOAD
            # feeds: the letter is released only after the last of them.
            await until_request(sim, is_upload_feed, task=poller.task)
            sim.add_filings([schedule_filing(upload, clock() + 60)])
            clock.advance(120)
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 4)
    events = {
        e.filing.accession_number: e
        for e in await published(kafka_bootstrap, settings.topic_discovered)
    }
    assert events[upload.accession].source is DiscoverySource.COMPANY_FEED


def is_upload_feed(record: RequestRecord) -> bool:
    return is_company_feed(record) and "type=UPLOAD" in record.query
