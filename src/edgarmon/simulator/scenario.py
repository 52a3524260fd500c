"""Building a :class:`SimulatedEdgar` from options: which filings, arriving when.

Two ways filings arrive:

- **at a rate** (default): filings from the recorded latest-filings feed (or from a
  recorded day's index, with ``day``) arrive ``rate`` per simulated second, the
  first ``backlog`` already visible; with ``loop`` the pool repeats with fresh
  accession numbers;
- **a whole day replayed** (``day`` and ``replay_day``): every filing of that day's
  recorded daily index (3,000-5,000) becomes visible at a time spread over the EDGAR
  day like a real one, opening burst included; the recorded index is served after
  10 pm that simulated day, so completeness can be checked against it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Final

from edgarmon.simulator.company_feeds import historic_filings
from edgarmon.simulator.fair_access import FairAccessGuard
from edgarmon.simulator.filings import (
    EASTERN,
    FilingTemplate,
    day_replay_times,
    schedule_filing,
    templates_from_latest_feed,
)
from edgarmon.simulator.index_files import read_index_rows, templates_from_rows
from edgarmon.simulator.recordings import Recordings, load_recordings
from edgarmon.simulator.simulated_edgar import FEED_DEPTH, RateArrivals, SimulatedEdgar

INDEX_PREFERENCE: Final = ("company", "crawler", "master", "form")


@dataclass(frozen=True, slots=True)
class SimulatorOptions:
    data_dir: Path
    rate: float = 1.0
    backlog: int = 100
    loop: bool = True
    day: date | None = None
    replay_day: bool = False
    max_rate: float = 10.0
    block_seconds: float = 600.0
    feed_depth: int = FEED_DEPTH
    seed: int = 20230703


def default_data_dir(start: Path | None = None) -> Path | None:
    """``../shared/edgar`` next to the repository (or the current directory), if present."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder.parent / "shared" / "edgar"
        if (folder / "pyproject.toml").is_file() and candidate.is_dir():
            return candidate
    fallback = here.parent / "shared" / "edgar"
    return fallback if fallback.is_dir() else None


def day_templates(recordings: Recordings, day: date) -> list[FilingTemplate]:
    """Every filing of ``day``'s recorded daily index, one per accession."""
    for flavor in INDEX_PREFERENCE:
        recorded = recordings.daily_indexes.get((flavor, day))
        if recorded is not None:
            return templates_from_rows(read_index_rows(recorded.read().decode("latin-1")))
    raise ValueError(f"no recorded daily index for {day:%Y-%m-%d} in {recordings.root}")


def replay_start(day: date) -> float:
    """A minute before the 06:00 ET opening of ``day``."""
    return datetime.combine(day, clock_time(5, 59), tzinfo=EASTERN).timestamp()


def build_simulated_edgar(
    options: SimulatorOptions,
    *,
    clock: Callable[[], float],
    fair_access_clock: Callable[[], float] = time.monotonic,
    recordings: Recordings | None = None,
) -> SimulatedEdgar:
    """A simulator over ``options.data_dir`` whose simulated time is ``clock``."""
    recorded = recordings if recordings is not None else load_recordings(options.data_dir)
    sim = SimulatedEdgar(
        recordings=recorded,
        clock=clock,
        guard=FairAccessGuard(
            clock=fair_access_clock,
            max_rate=options.max_rate,
            block_seconds=options.block_seconds,
        ),
        feed_depth=options.feed_depth,
    )
    for recorded_feed in recorded.company_feeds.values():
        sim.add_filings(historic_filings(recorded_feed.path)[1])
    if options.day is not None:
        templates = day_templates(recorded, options.day)
    else:
        templates = templates_from_latest_feed([page.path for page in recorded.latest_feed_pages])
    if options.day is not None and options.replay_day:
        moments = day_replay_times(len(templates), options.day, seed=options.seed)
        sim.add_filings(
            schedule_filing(template, moment, keep_filing_date=True)
            for template, moment in zip(templates, moments, strict=True)
        )
    else:
        sim.arrivals = RateArrivals(
            templates=templates,
            start=clock(),
            rate=options.rate,
            backlog=min(options.backlog, len(templates)),
            loop=options.loop,
        )
    return sim
