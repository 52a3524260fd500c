"""The poller's three sources read through the fair-access client from the simulated
EDGAR: the latest feed (and its failures), company feeds and daily indexes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from edgarmon.core.domain.errors import EdgarUnavailable, FeedParseError
from edgarmon.poller.adapters.sources import poll_company_feed, poll_latest, read_daily_index
from edgarmon.poller.domain.seen import SeenAccessions
from edgarmon.simulator.filings import FilingTemplate, SimCompany, schedule_filing
from edgarmon.simulator.scenario import SimulatorOptions, replay_start
from edgarmon.testing.clock import ManualClock

from .conftest import SIM_START, simulated_edgar

KEEN_VISION = 1889983


async def test_a_cut_off_feed_is_a_clear_error_and_the_next_poll_goes_on(
    shared_edgar: Path,
) -> None:
    clock = ManualClock(SIM_START)
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=20)
    async with simulated_edgar(options, clock) as (running, client):
        seen = SeenAccessions(1000)
        running.sim.faults.inject("malformed")
        with pytest.raises(FeedParseError, match="not well-formed"):
            await poll_latest(client, seen)
        running.sim.faults.inject("truncate")
        with pytest.raises(EdgarUnavailable, match="truncated"):
            await poll_latest(client, seen)
        poll = await poll_latest(client, seen)
    assert len(poll.filings) == 20
    assert poll.skipped == ()


async def test_links_in_the_feed_point_at_the_configured_base(shared_edgar: Path) -> None:
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=5)
    async with simulated_edgar(options, ManualClock(SIM_START)) as (running, client):
        poll = await poll_latest(client, SeenAccessions(100))
        folder = await client.get(poll.filings[0].folder_url + "index.json")
    assert all(f.index_url.startswith(running.base_url + "/Archives/") for f in poll.filings)
    assert folder.status == 200


async def test_company_feed_shows_a_letter_only_once_released_with_its_old_date(
    shared_edgar: Path,
) -> None:
    clock = ManualClock(replay_start(date(2023, 7, 3)))
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=0, loop=False)
    letter = FilingTemplate(
        accession="0001213900-23-099999",
        form_type="CORRESP",
        companies=(SimCompany(KEEN_VISION, "Keen Vision Acquisition Corp."),),
        original_filing_date=date(2023, 6, 2),
    )
    async with simulated_edgar(options, clock) as (running, client):
        release = clock() + 3600.0
        running.sim.add_filings([schedule_filing(letter, release)])
        seen = SeenAccessions(1000)
        before_poll = await poll_company_feed(client, KEEN_VISION, seen)
        latest_before = await poll_latest(client, seen)
        clock.set(release + 1.0)
        after_poll = await poll_company_feed(client, KEEN_VISION, seen)
        latest_after = await poll_latest(client, seen)
    assert before_poll is not None
    assert after_poll is not None
    assert before_poll.skipped == after_poll.skipped == ()
    before, after = before_poll.filings, after_poll.filings
    assert "0001213900-23-099999" not in {f.accession_number for f in before}
    assert len(before) == 55  # the recorded feed, as it is
    assert len(after) == 56  # the recorded history and the released letter
    assert after[-1].accession_number == "0001213900-25-006497"  # newest filing date last
    (found,) = [f for f in after if f.accession_number == "0001213900-23-099999"]
    assert (found.form_type, found.filing_date) == ("CORRESP", date(2023, 6, 2))
    assert found.accepted_at.date() == date(2023, 6, 2)
    assert found.companies[0].cik == KEEN_VISION
    every_latest = latest_before.filings + latest_after.filings
    assert "0001213900-23-099999" not in {f.accession_number for f in every_latest}


async def test_recorded_company_feed_is_read_whole(shared_edgar: Path) -> None:
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=0, loop=False)
    async with simulated_edgar(options, ManualClock(SIM_START)) as (_, client):
        poll = await poll_company_feed(client, KEEN_VISION, SeenAccessions(100))
        unknown = await poll_company_feed(client, 855654, SeenAccessions(100))
    assert unknown is None, "EDGAR's 'No matching' page means no filings, not a parse error"
    assert poll is not None
    assert not poll.unreadable
    filings = poll.filings
    assert len(filings) == 55
    assert filings[0].accepted_at <= filings[-1].accepted_at  # oldest first


async def test_daily_index_read_with_conditional_get_and_404_for_days_without(
    shared_edgar: Path,
) -> None:
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=0, loop=False)
    async with simulated_edgar(options, ManualClock(SIM_START)) as (running, client):
        seen = SeenAccessions(10_000)
        first = await read_daily_index(client, date(2023, 7, 3), seen)
        assert first.index is not None
        seen.add_all(f.accession_number for f in first.new[:100])
        again = await read_daily_index(client, date(2023, 7, 3), seen)
        holiday = await read_daily_index(client, date(2023, 7, 4), seen)
        recorded = await read_daily_index(client, date(2023, 7, 3), seen, flavor="company")
    assert len(first.new) == 2870
    assert (again.not_modified, len(again.new)) == (True, 2770)
    assert (holiday.index, holiday.new) == (None, ())
    assert recorded.index is not None
    assert recorded.index.accessions == first.index.accessions  # master built from the recording
    statuses = [record.status for record in running.sim.requests]
    assert statuses == [200, 304, 404, 200]


async def test_a_feed_failing_past_the_first_page_ends_the_walk_only_when_asked(
    shared_edgar: Path,
) -> None:
    """EDGAR answers 503 past its depth; a poller expecting a deeper feed would fail
    every poll after an outage. With ``stop_on_deep_failure`` it publishes what the
    feed shows and leaves the rest to the daily index."""
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=400, feed_depth=200)
    async with simulated_edgar(options, ManualClock(SIM_START)) as (_, client):
        seen = SeenAccessions(1000)
        with pytest.raises(EdgarUnavailable, match="503"):
            await poll_latest(client, seen, depth=5100)
        poll = await poll_latest(client, seen, depth=5100, stop_on_deep_failure=True)
        first_page_fails = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=5)
    assert (poll.pages_read, poll.depth_exhausted) == (2, True)
    assert 100 < len(poll.filings) <= 200
    assert [f.accepted_at for f in poll.filings] == sorted(f.accepted_at for f in poll.filings)
    async with simulated_edgar(first_page_fails, ManualClock(SIM_START)) as (running, client):
        running.sim.faults.inject("unavailable")
        with pytest.raises(EdgarUnavailable, match="503"):
            await poll_latest(client, SeenAccessions(10), stop_on_deep_failure=True)
