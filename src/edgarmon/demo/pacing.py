"""When the demo stops: once every featured filing is alerted (or the time is up), the
simulated EDGAR takes no more filings and the pipeline is given a few seconds to finish
what it can see, so that the summary's counts add up (visible = published = classified
= handled by the notifier) instead of catching filings in flight.

Progress is read from the services' own Prometheus counters, as an operator would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry

from edgarmon.simulator.filings import SimFiling

if TYPE_CHECKING:
    from edgarmon.demo.pipeline import DemoOptions, DemoRun

PACE_SECONDS = 0.5  # the demo's own pacing: it watches a clock and counters, not events


def counted(registry: CollectorRegistry, sample: str, **labels: str) -> float:
    """The sum of a metric's samples named ``sample`` whose labels include ``labels``."""
    return sum(
        found.value
        for metric in registry.collect()
        for found in metric.samples
        if found.name == sample and labels.items() <= found.labels.items()
    )


def findable(filing: SimFiling, watchlist: frozenset[int]) -> bool:
    """Whether the poller can find ``filing``: on the latest feed, or a letter on the
    company feed of a watched CIK (recorded company-feed history is EDGAR's past)."""
    return not filing.historic and (filing.on_latest_feed or bool(filing.ciks & watchlist))


def progress_line(run: DemoRun) -> str:
    return (
        f"demo: {len(run.sim.visibility())} filings made visible by the simulator so far, "
        f"{len(run.deliveries.slack)} Slack messages, {len(run.deliveries.mail)} e-mails"
    )


async def wait_for_the_story(
    run: DemoRun, options: DemoOptions, printer: Callable[[str], None]
) -> None:
    """Run until every featured filing has reached a sink, or the time is up."""
    deadline = run.started_at + options.seconds
    wanted = {item.template.accession for item in run.featured}
    next_progress = time.time() + 10
    while time.time() < deadline:
        if options.stop_when_featured_alerted and wanted <= run.deliveries.alerted_accessions():
            printer("demo: every featured filing has been alerted")
            return
        if time.time() >= next_progress:
            printer(progress_line(run))
            next_progress += 10
        await asyncio.sleep(PACE_SECONDS)


def _behind(run: DemoRun, expected: int) -> str | None:
    """What the pipeline has yet to do, or None when it has caught up."""
    published = counted(run.registries["poller"], "edgarmon_filings_published_total")
    classified = counted(
        run.registries["classifier"],
        "edgarmon_records_processed_total",
        topic=run.topics["topic_discovered"],
    )
    handled = counted(
        run.registries["notifier"],
        "edgarmon_records_processed_total",
        topic=run.topics["topic_classified"],
    )
    if published < expected:
        return f"{expected - published:.0f} filings to publish"
    if classified < published:
        return f"{published - classified:.0f} filings to classify"
    if handled < classified:
        return f"{classified - handled:.0f} classified filings to route"
    return None


async def close_edgar_and_catch_up(
    run: DemoRun, options: DemoOptions, printer: Callable[[str], None]
) -> None:
    """Stop the simulator's arrivals, then wait (at most ``options.catch_up_seconds``)
    until the poller has published every filing it can find and the classifier and the
    notifier have handled all of them."""
    visible = run.sim.visible()  # adds the arrivals due now
    run.sim.arrivals = None
    run.edgar_closed_at = run.sim.clock()
    expected = sum(1 for filing in visible if findable(filing, run.watchlist))
    printer("demo: the simulated EDGAR takes no more filings; letting the pipeline catch up")
    deadline = time.time() + options.catch_up_seconds
    behind = _behind(run, expected)
    while behind is not None and time.time() < deadline:
        await asyncio.sleep(PACE_SECONDS)
        behind = _behind(run, expected)
    if behind is not None:
        printer(f"demo: stopping with {behind} after {options.catch_up_seconds:.0f} s")
