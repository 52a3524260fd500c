"""The simulated EDGAR over real local HTTP: its feed over simulated time, a whole day
replayed, recorded files, fair access, faults and the control endpoints."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import aiohttp
import pytest

from edgarmon.core.domain.filing import EASTERN
from edgarmon.poller.domain.atom_feeds import parse_latest_feed
from edgarmon.poller.domain.daily_index import parse_daily_index
from edgarmon.simulator.filings import FilingTemplate, SimCompany, schedule_filing
from edgarmon.simulator.main import run
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar, replay_start
from edgarmon.testing.clock import ManualClock

from .conftest import SIM_START, serving

FEED = (
    "/cgi-bin/browse-edgar?action=getcurrent&count={count}&start={start}&type={type}"
    "&owner=include&output=atom"
)
DAY = date(2023, 7, 3)


def _options(shared_edgar: Path, **overrides: object) -> SimulatorOptions:
    values: dict[str, object] = {"data_dir": shared_edgar, "max_rate": 1_000_000.0}
    values.update(overrides)
    return SimulatorOptions(**values)  # type: ignore[arg-type]


async def _feed(
    http: aiohttp.ClientSession, start: int = 0, count: int = 100, form: str = ""
) -> list[str]:
    async with http.get(FEED.format(start=start, count=count, type=form)) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/atom+xml")
        page = parse_latest_feed(await response.read(), base_url="http://x")
    assert page.rejected == ()
    return [entry.accession_number for entry in page.entries]


async def test_the_feed_grows_as_filings_arrive_over_simulated_time(shared_edgar: Path) -> None:
    clock = ManualClock(SIM_START)
    async with serving(_options(shared_edgar, rate=2.0, backlog=10), clock) as (running, http):
        first = await _feed(http)
        clock.advance(5.0)
        second = await _feed(http)
        visible = running.sim.visibility()
    assert len(set(first)) == 10
    arrived = [accession for accession in dict.fromkeys(second) if accession not in first]
    assert len(arrived) == 10
    assert second[-len(first) :] == first  # the old entries pushed down, unchanged
    assert sorted(visible[a] for a in arrived) == [SIM_START + i / 2.0 for i in range(1, 11)]


async def test_paging_window_form_filter_and_503_past_the_depth(shared_edgar: Path) -> None:
    clock = ManualClock(SIM_START)
    options = _options(shared_edgar, rate=1.0, backlog=400, feed_depth=400)
    async with serving(options, clock) as (_, http):
        top = await _feed(http, count=40)
        second = await _feed(http, start=40, count=40)
        overlapping = await _feed(http, start=20, count=40)
        form4 = await _feed(http, count=100, form="4")
        last = await _feed(http, start=300, count=100)
        async with http.get(FEED.format(start=400, count=100, type="")) as past:
            status, body = past.status, await past.text()
    assert len(top) == len(second) == 40
    assert overlapping == top[20:] + second[:20]
    assert 0 < len(form4) <= 100
    assert len(last) == 100  # entries 300-399: the last the depth allows
    assert (status, "SEC.gov | File Unavailable" in body) == (503, True)


async def test_a_whole_day_is_replayed_at_real_volume_and_matches_its_index(
    shared_edgar: Path,
) -> None:
    clock = ManualClock(replay_start(DAY))
    options = _options(shared_edgar, day=DAY, replay_day=True)
    recorded_index = (shared_edgar / "index" / "company.20230703.idx").read_bytes()
    index = parse_daily_index(recorded_index, base_url="http://x")
    letters = {f.accession_number for f in index.filings if f.form_type in {"CORRESP", "UPLOAD"}}
    async with serving(options, clock) as (running, http):
        assert running.sim.visibility() == {}
        clock.set(datetime.combine(DAY, time(6, 0), tzinfo=EASTERN).timestamp())
        opening = len(running.sim.visibility())
        async with http.get("/Archives/edgar/daily-index/2023/QTR3/company.20230703.idx") as early:
            early_status = early.status
        clock.set(datetime.combine(DAY, time(22, 0), tzinfo=EASTERN).timestamp())
        entries: list[str] = []
        for start in range(0, 5100, 100):
            page = await _feed(http, start=start)
            entries += page
            if len(page) < 100:
                break
        async with http.get("/Archives/edgar/daily-index/2023/QTR3/company.20230703.idx") as late:
            late_status, late_body = late.status, await late.read()
        visible = running.sim.visibility()
    assert len(visible) == len(index.filings) == 2870
    assert 200 <= opening <= 300  # the opening burst of the overnight queue
    assert set(entries) == index.accessions - letters  # letters never reach the latest feed
    assert entries.count("0001741773-23-002234") == 54  # one entry per company
    assert (early_status, late_status) == (404, 200)
    assert late_body == recorded_index


@pytest.mark.parametrize(
    ("day", "filings"),
    [(date(2022, 10, 3), 3195), (date(2023, 7, 3), 2870), (date(2020, 3, 18), 2666)],
)
def test_every_recorded_day_can_be_replayed_within_edgars_hours(
    shared_edgar: Path, day: date, filings: int
) -> None:
    options = _options(shared_edgar, day=day, replay_day=True)
    clock = ManualClock(replay_start(day))
    sim = build_simulated_edgar(options, clock=clock)
    assert sim.visibility() == {}
    clock.set(datetime.combine(day, time(22, 0), tzinfo=EASTERN).timestamp())
    moments = sorted(sim.visibility().values())
    assert len(moments) == filings
    opening = datetime.combine(day, time(6, 0), tzinfo=EASTERN).timestamp()
    assert opening <= moments[0] <= moments[-1] < opening + 16 * 3600


async def test_a_simulated_day_gets_its_own_index_with_the_530_pm_rule(shared_edgar: Path) -> None:
    cut = datetime(2026, 1, 12, 17, 30, 0, tzinfo=EASTERN).timestamp()
    clock = ManualClock(cut - 60.0)
    options = _options(shared_edgar, rate=1.0, backlog=0, loop=False)
    async with serving(options, clock) as (running, http):
        clock.advance(120.0)  # 120 filings, from 17:29:01 to 17:31:00 ET
        arrived = running.sim.visibility()
        forms = {
            accession: filing.form_type
            for accession in arrived
            if (filing := running.sim.find(accession)) is not None
        }
        async with http.get("/Archives/edgar/daily-index/2026/QTR1/master.20260112.idx") as r:
            not_yet = r.status
        clock.set(datetime(2026, 1, 13, 22, 0, tzinfo=EASTERN).timestamp())
        days = {}
        for day in ("20260112", "20260113"):
            async with http.get(f"/Archives/edgar/daily-index/2026/QTR1/master.{day}.idx") as r:
                days[day] = parse_daily_index(await r.read(), base_url="http://x").accessions
    same_day_forms = {"3", "4", "5", "144"}
    monday = {
        accession
        for accession, moment in arrived.items()
        if moment <= cut or forms[accession] in same_day_forms
    }
    assert len(arrived) == 120
    assert not_yet == 404
    assert days["20260112"] & set(arrived) == monday
    assert days["20260113"] & set(arrived) == set(arrived) - monday
    assert 0 < len(set(arrived) - monday) < 60


async def test_recorded_documents_index_json_and_conditional_get(shared_edgar: Path) -> None:
    clock = ManualClock(SIM_START)
    apple = "/Archives/edgar/data/320193/000114036125000228/index.json"
    abbv = "/Archives/edgar/data/1551152/000110465918032238/filename1.htm"
    jpm = "/Archives/edgar/data/19617/000001961726000241/"
    async with serving(_options(shared_edgar, backlog=0), clock) as (_, http):
        async with http.get(apple) as recorded:
            etag = recorded.headers["ETag"]
            assert (
                await recorded.read()
                == (shared_edgar / "filing_index/0001140361-25-000228_index.json").read_bytes()
            )
        async with http.get(apple, headers={"If-None-Match": etag}) as again:
            assert (again.status, await again.read()) == (304, b"")
        async with http.get(abbv) as letter:
            assert letter.headers["Content-Type"].startswith("text/html")
            assert (
                await letter.read()
                == (
                    shared_edgar
                    / "filings/corresp/ABBV_0000000000-18-013671/0001104659-18-032238_filename1.htm"
                ).read_bytes()
            )
        async with http.get(jpm + "index.json") as built:
            listing = await built.json()
        async with http.get(jpm + "0000019617-26-000241.txt") as full:
            assert full.status == 200
            assert b"<SEC-HEADER>" in await full.read()
        async with http.get(jpm + "nothing-here.htm") as missing:
            assert missing.status == 404
    names = [item["name"] for item in listing["directory"]["item"]]
    assert "jpm-20260624.htm" in names
    assert listing["directory"]["name"] == "/Archives/edgar/data/19617/000001961726000241"


async def test_a_filing_is_not_served_before_it_is_visible(shared_edgar: Path) -> None:
    clock = ManualClock(SIM_START)
    template = FilingTemplate("0001104659-18-032238", "CORRESP", (SimCompany(1551152, "ABBVIE"),))
    url = "/Archives/edgar/data/1551152/000110465918032238/filename1.htm"
    async with serving(_options(shared_edgar, backlog=0), clock) as (running, http):
        running.sim.add_filings([schedule_filing(template, SIM_START + 60.0)])
        async with http.get(url) as hidden:
            hidden_status = hidden.status
        clock.advance(61.0)
        async with http.get(url) as shown:
            shown_status = shown.status
    assert (hidden_status, shown_status) == (404, 200)


async def test_fair_access_refuses_undeclared_tools_and_blocks_a_client_over_the_rate(
    shared_edgar: Path,
) -> None:
    clock, guard_clock = ManualClock(SIM_START), ManualClock(0.0)
    block_page = (shared_edgar / "fair_access/rate-exceeded_edgartools.html").read_bytes()
    options = _options(shared_edgar, max_rate=3.0, block_seconds=600.0)
    async with serving(options, clock, guard_clock) as (running, http):
        async with http.get(
            FEED.format(start=0, count=10, type=""), headers={"User-Agent": "python-requests/2.31"}
        ) as anon:
            assert anon.status == 403
            assert "Undeclared Automated Tool" in await anon.text()
        statuses = []
        for _ in range(5):
            async with http.get(FEED.format(start=0, count=10, type="")) as response:
                statuses.append(response.status)
                body = await response.read()
        guard_clock.advance(300.0)
        async with http.get(FEED.format(start=0, count=10, type="")) as during:
            during_status = during.status
        guard_clock.advance(301.0)
        async with http.get(FEED.format(start=0, count=10, type="")) as after:
            after_status = after.status
        async with http.get("/_sim/stats") as stats:
            numbers = await stats.json()
    assert statuses == [200, 200, 200, 403, 403]
    assert body == block_page
    assert (during_status, after_status) == (403, 200)
    assert numbers["blocks_started"] == 1
    assert numbers["by_status"] == {"403": 4, "200": 4}
    assert running.sim.request_count("/cgi-bin/") == 8


async def test_faults_injected_over_the_control_endpoint(shared_edgar: Path) -> None:
    clock = ManualClock(SIM_START)
    async with serving(_options(shared_edgar, backlog=5), clock) as (_, http):
        async with http.post("/_sim/faults", json={"kind": "unavailable", "count": 2}) as made:
            assert made.status == 200
        async with http.post("/_sim/faults", json={"kind": "melt"}) as bad:
            assert bad.status == 400
        statuses = []
        for _ in range(3):
            async with http.get(FEED.format(start=0, count=10, type="")) as response:
                statuses.append(response.status)
        async with http.post("/_sim/faults", json={"kind": "truncate"}):
            pass
        with pytest.raises(aiohttp.ClientPayloadError):
            async with http.get(FEED.format(start=0, count=10, type="")) as cut:
                await cut.read()
    assert statuses == [503, 503, 200]


async def test_control_endpoints_show_visibility_and_move_a_manual_clock(
    shared_edgar: Path,
) -> None:
    clock = ManualClock(SIM_START)
    async with serving(_options(shared_edgar, rate=1.0, backlog=3), clock) as (_, http):
        async with http.get("/_sim/visible") as first:
            before = await first.json()
        async with http.post("/_sim/advance", params={"seconds": "4"}) as moved:
            assert (await moved.json())["now"] == SIM_START + 4.0
        await _feed(http, count=100)
        async with http.get("/_sim/visible") as second:
            after = await second.json()
    assert len(before["visible"]) == 3
    assert len(after["visible"]) == 7
    assert set(after["first_served"]) == set(after["visible"])
    assert all(at == SIM_START + 4.0 for at in after["first_served"].values())


def test_command_line_refuses_what_it_cannot_serve(tmp_path: Path, shared_edgar: Path) -> None:
    assert run(["--data", str(tmp_path / "missing")]) == 2
    assert run(["--data", str(shared_edgar), "--replay-day"]) == 2
    assert run(["--data", str(shared_edgar), "--day", "1999-01-04", "--port", "0"]) == 2
