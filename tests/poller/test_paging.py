"""Paging through the latest-filings feed: the pure planner, and whole polls against
the simulated EDGAR (bursts, overlap between pages, EDGAR's depth)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from edgarmon.core.domain.filing import EASTERN, Company
from edgarmon.poller.adapters.sources import poll_latest
from edgarmon.poller.domain.feed_entries import FeedEntry, FeedPage
from edgarmon.poller.domain.paging import new_filings, plan_next_page
from edgarmon.poller.domain.seen import SeenAccessions
from edgarmon.simulator.scenario import SimulatorOptions
from edgarmon.simulator.simulated_edgar import RequestRecord
from edgarmon.testing.clock import ManualClock

from .conftest import BASE, SIM_START, simulated_edgar


def _entry(number: int, cik: int = 1, role: str = "Filer", minute: int = 0) -> FeedEntry:
    accession = f"0000000001-26-{number:06d}"
    return FeedEntry(
        accession_number=accession,
        form_type="8-K",
        company=Company(cik=cik, name=f"CO {cik}", role=role),
        accepted_at=datetime(2026, 1, 12, 10, minute, tzinfo=EASTERN),
        filing_date=date(2026, 1, 12),
        index_url=f"{BASE}/Archives/edgar/data/{cik}/x/{accession}-index.htm",
    )


def _page(entries: list[FeedEntry], size: int | None = None) -> FeedPage:
    return FeedPage(tuple(entries), raw_entry_count=len(entries) if size is None else size)


def test_planner_pages_on_until_it_meets_a_known_accession() -> None:
    full = _page([_entry(n) for n in range(100, 0, -1)])
    assert plan_next_page(full, start=0, count=100, known=set()).next_start == 100
    step = plan_next_page(full, start=300, count=100, known={"0000000001-26-000050"})
    assert (step.next_start, step.reached_known) == (None, True)


def test_planner_stops_at_the_end_of_the_feed_and_at_edgars_depth() -> None:
    short = _page([_entry(n) for n in range(10, 0, -1)])
    assert plan_next_page(short, start=0, count=100, known=set()).end_of_feed
    full = _page([_entry(n) for n in range(100, 0, -1)])
    last = plan_next_page(full, start=5000, count=100, known=set())
    assert (last.next_start, last.depth_exhausted) == (None, True)
    assert plan_next_page(full, start=4900, count=100, known=set()).next_start == 5000


def test_planner_stops_at_the_horizon_of_a_first_start() -> None:
    full = _page([_entry(n, minute=n % 60) for n in range(100, 0, -1)])
    horizon = datetime(2026, 1, 12, 10, 30, tzinfo=EASTERN)
    assert plan_next_page(full, start=0, count=100, known=set(), horizon=horizon).reached_horizon
    fresh = new_filings([full], set(), horizon=horizon)
    assert all(filing.accepted_at >= horizon for filing in fresh)


def test_overlap_between_pages_and_filings_split_across_pages_are_merged() -> None:
    # page 1 repeats the tail of page 0 (ten filings arrived between the requests),
    # and filing 5 has one company on each page
    page0 = _page([_entry(n) for n in range(100, 5, -1)] + [_entry(5, cik=1, role="Issuer")] * 5)
    page1 = _page(
        [_entry(n) for n in range(15, 5, -1)]
        + [_entry(5, cik=2, role="Reporting")]
        + [_entry(n) for n in range(4, 0, -1)],
        size=100,
    )
    known = {"0000000001-26-000002"}
    filings = new_filings([page0, page1], known)
    accessions = [f.accession_number for f in filings]
    assert len(accessions) == len(set(accessions)) == 99  # 100 filings, one known
    split = {f.accession_number: f for f in filings}["0000000001-26-000005"]
    assert [(c.cik, c.role) for c in split.companies] == [(1, "Issuer"), (2, "Reporting")]
    assert "0000000001-26-000002" not in accessions


async def test_a_burst_of_400_filings_between_two_polls_is_read_whole(shared_edgar: Path) -> None:
    clock = ManualClock(SIM_START)
    options = SimulatorOptions(data_dir=shared_edgar, rate=2.0, backlog=60)
    async with simulated_edgar(options, clock) as (running, client):
        seen = SeenAccessions(10_000)
        first = await poll_latest(client, seen)
        assert len(first.filings) == 60
        seen.add_all(f.accession_number for f in first.filings)
        before = set(running.sim.visibility())
        clock.advance(200.0)  # 400 filings arrive between two polls
        second = await poll_latest(client, seen)
    arrived = set(running.sim.visibility()) - before
    assert len(arrived) == 400
    got = [f.accession_number for f in second.filings]
    assert len(got) == len(set(got)) == 400
    assert set(got) == arrived
    assert second.pages_read >= 5
    assert second.last_step.reached_known
    assert [f.accepted_at for f in second.filings] == sorted(f.accepted_at for f in second.filings)


async def test_filings_arriving_during_a_poll_neither_stop_it_nor_duplicate(
    shared_edgar: Path,
) -> None:
    clock = ManualClock(SIM_START)
    options = SimulatorOptions(data_dir=shared_edgar, rate=1.0, backlog=30)
    async with simulated_edgar(options, clock) as (running, client):
        seen = SeenAccessions(10_000)
        seen.add_all(f.accession_number for f in (await poll_latest(client, seen)).filings)
        before = set(running.sim.visibility())
        clock.advance(300.0)
        waiting = set(running.sim.visibility()) - before

        def ten_more(record: RequestRecord) -> None:
            clock.advance(10.0)  # each page pushes the next one down by ten filings

        running.sim.on_request.append(ten_more)
        poll = await poll_latest(client, seen)
        running.sim.on_request.clear()
    got = [f.accession_number for f in poll.filings]
    assert len(got) == len(set(got))  # the overlap between pages is merged
    assert waiting <= set(got)  # nothing that waited was skipped by an early stop
    assert not set(got) & before
    assert poll.last_step.reached_known


async def test_a_burst_deeper_than_edgars_depth_stops_there_and_says_so(
    shared_edgar: Path,
) -> None:
    clock = ManualClock(SIM_START)
    options = SimulatorOptions(data_dir=shared_edgar, rate=5.0, backlog=20, feed_depth=300)
    async with simulated_edgar(options, clock) as (running, client):
        seen = SeenAccessions(10_000)
        seen.add_all(f.accession_number for f in (await poll_latest(client, seen)).filings)
        clock.advance(120.0)  # 600 filings: more entries than the feed's 300
        poll = await poll_latest(client, seen, depth=300)
    assert poll.depth_exhausted
    assert poll.pages_read == 3
    assert {record.status for record in running.sim.requests} == {200}  # never asked past it
    assert 0 < len(poll.filings) < 600
