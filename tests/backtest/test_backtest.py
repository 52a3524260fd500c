"""`edgarmon backtest` over the EDGAR simulator: the days' indexes and the documents
of their filings come from the shared recordings, the routes from a routes file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from edgarmon.backtest import main as backtest_main
from edgarmon.backtest.answer_cache import CachedEdgar
from edgarmon.backtest.main import BacktestRange, backtest
from edgarmon.backtest.report import BacktestReport, render_csv, render_json, render_text
from edgarmon.core.domain.filing import EASTERN
from edgarmon.history.progress import ProgressLog
from edgarmon.notifier.domain.routes import DigestPolicy, Route, parse_routes
from edgarmon.simulator.filings import SimCompany, SimFiling
from edgarmon.testing.clock import ManualClock
from tests.classifier.service_harness import (
    ITEM_801_8K,
    UPLOAD_LETTERS,
    EdgarStandIn,
    simulated_edgar,
)

MONDAY = date(2026, 1, 12)  # the simulator's first day (SIM_START)
TUESDAY = date(2026, 1, 13)
FORM_4 = ("0000320193-26-000004", 320193)

ROUTES = {
    "version": 1,
    "routes": [
        {
            "name": "other-events",
            "match": {"labels": ["8k_item_8_01"]},
            "deliver": {"slack": ["#a"]},
        },
        {
            "name": "letters",
            "match": {"labels": ["sec_correspondence"]},
            "deliver": {"slack": ["#b"]},
        },
        {"name": "trials", "match": {"labels": ["clinical_update"]}, "deliver": {"slack": ["#c"]}},
    ],
}


def routes() -> tuple[Route, ...]:
    return parse_routes(
        ROUTES, tickers=None, default_digest=DigestPolicy(interval_seconds=60, max_alerts=10)
    )


def sim_filing(
    accession: str, cik: int, form: str, day: date, hour: int, *, released: date | None = None
) -> SimFiling:
    accepted = datetime(day.year, day.month, day.day, hour, tzinfo=EASTERN)
    visible = datetime.combine(released, accepted.timetz()) if released else accepted
    return SimFiling(
        accession=accession,
        form_type=form,
        companies=(SimCompany(cik=cik, name=f"Company {cik}"),),
        accepted_at=accepted,
        filing_date=day,
        visible_at=visible.timestamp(),
    )


@pytest.fixture
async def edgar(shared: Path) -> AsyncIterator[EdgarStandIn]:
    async with simulated_edgar(shared / "edgar") as stand_in:
        stand_in.sim.arrivals = None  # only the filings below, no stream from the feed
        stand_in.sim.add_filings(
            [
                sim_filing(*ITEM_801_8K, "8-K", MONDAY, 9),
                sim_filing(*FORM_4, "4", MONDAY, 10),
                # A staff letter dated Monday, released on Tuesday: on Tuesday's index.
                sim_filing(*UPLOAD_LETTERS[0], "UPLOAD", MONDAY, 9, released=TUESDAY),
            ]
        )
        clock = stand_in.sim.clock
        assert isinstance(clock, ManualClock)
        clock.advance(3 * 24 * 3600)  # Thursday: both indexes are out
        yield stand_in


async def run_once(edgar: EdgarStandIn, cache: Path) -> BacktestReport:
    cached = CachedEdgar(edgar.client, cache)
    with ProgressLog("backtest", 5) as tracker:
        return await backtest(
            cached,
            BacktestRange(MONDAY, date(2026, 1, 18)),
            routes(),
            tracker,
            now=datetime(2026, 1, 15, tzinfo=UTC),
        )


async def test_each_route_shows_what_it_would_have_sent_per_day(
    edgar: EdgarStandIn, tmp_path: Path
) -> None:
    report = await run_once(edgar, tmp_path / "cache")
    assert report.days == (MONDAY, TUESDAY)  # no index on the other days: skipped
    assert report.filings == 3
    other_events, letters, trials = report.routes
    assert [row.accession_number for row in other_events.alerts] == [ITEM_801_8K[0]]
    assert other_events.alerts_per_day(report.days) == [(MONDAY, 1), (TUESDAY, 0)]
    assert [row.accession_number for row in letters.alerts] == [UPLOAD_LETTERS[0][0]]
    assert letters.alerts[0].day == TUESDAY  # the day it was listed, not its filing date
    assert letters.alerts[0].evidence
    assert trials.alerts == ()
    text = render_text(report)
    assert "route other-events: 1 alerts" in text
    assert ITEM_801_8K[0] in text


async def test_a_second_run_makes_no_requests(edgar: EdgarStandIn, tmp_path: Path) -> None:
    first = await run_once(edgar, tmp_path / "cache")
    served = len(edgar.sim.requests)
    assert first.requests > 0
    second = await run_once(edgar, tmp_path / "cache")
    assert second.requests == 0
    assert len(edgar.sim.requests) == served
    assert second.cached == first.requests
    assert second.routes == first.routes


async def test_csv_and_json_carry_the_same_rows(edgar: EdgarStandIn, tmp_path: Path) -> None:
    report = await run_once(edgar, tmp_path / "cache")
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    body = json.loads(render_json(report))
    assert {(r["route"], r["accession_number"]) for r in rows} == {
        (route["route"], alert["accession_number"])
        for route in body["routes"]
        for alert in route["alerts"] + route["near_misses"]
    }
    assert body["routes"][0]["alerts_per_day"] == {"2026-01-12": 1, "2026-01-13": 0}


def test_a_bad_range_or_routes_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes_file = tmp_path / "routes.yaml"
    routes_file.write_text("version: 1\nroutes: []\n")
    argv = [str(routes_file), "--from", "2026-01-13", "--to", "2026-01-12"]
    assert backtest_main.run(argv) == 2
    assert "--to must be on or after --from" in capsys.readouterr().err
    routes_file.write_text("version: 1\nroutes:\n  - name: x\n    match: {lables: [a]}\n")
    argv = [str(routes_file), "--from", "2026-01-12", "--to", "2026-01-13"]
    assert backtest_main.run(argv) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "match.lables" in line
