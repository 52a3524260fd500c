"""``edgarmon backtest ROUTES.yaml --from DATE --to DATE``: run the classifier over the
filings of a range of days and match the routes, as the notifier would have.

EDGAR is read through the fair-access client and its budget (the ``EDGARMON_EDGAR_*``
settings: the User-Agent is required), and every answer is kept under
``--cache-dir`` (git-ignored), so a second run over the same days makes no
requests. No Kafka, Slack or e-mail is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final

from prometheus_client import CollectorRegistry

from edgarmon.backtest.answer_cache import CachedEdgar
from edgarmon.backtest.report import RENDERERS, BacktestReport, route_reports
from edgarmon.classifier.adapters.filing_documents import classify_discovered
from edgarmon.core.adapters.edgar_http import open_edgar_client
from edgarmon.core.domain.errors import ConfigurationError, EdgarError, FairAccessBlocked
from edgarmon.core.domain.filing import Filing
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.core.logs import configure_logging
from edgarmon.core.settings import EdgarClientSettings, load_settings
from edgarmon.history.days import range_problem, weekdays
from edgarmon.history.progress import Tracker, tracker_for
from edgarmon.notifier.domain.routes import DigestPolicy, Route
from edgarmon.notifier.route_loading import load_routes, load_ticker_map
from edgarmon.poller.domain.daily_index import parse_daily_index
from edgarmon.poller.domain.edgar_urls import daily_index_url

DEFAULT_CACHE: Final = Path(".edgarmon-cache") / "backtest"
MAX_DAYS: Final = 366
CONCURRENCY: Final = 4
CLASSIFIER_VERSION: Final = "backtest"
_NO_DIGEST: Final = DigestPolicy(interval_seconds=3600, max_alerts=50)


@dataclass(frozen=True, slots=True)
class BacktestRange:
    start: date
    end: date

    def weekdays(self) -> list[date]:
        """The days EDGAR may have an index for (a holiday's is simply missing)."""
        return weekdays(self.start, self.end)


async def backtest(
    edgar: CachedEdgar,
    span: BacktestRange,
    routes: Sequence[Route],
    tracker: Tracker,
    *,
    now: datetime,
    concurrency: int = CONCURRENCY,
) -> BacktestReport:
    """Read each day's index, classify its filings (``concurrency`` at a time, so that
    the request budget, not the round trips, sets the pace), and match ``routes``."""
    classified: list[tuple[date, FilingClassified]] = []
    read_days = []
    days_done = 0
    for day in span.weekdays():
        answer = await edgar.get(daily_index_url(edgar.base_url, day))
        if answer.status == 404:
            days_done += 1
            continue
        if answer.status != 200:
            raise EdgarError(f"EDGAR answered {answer.status} for the index of {day}")
        index = parse_daily_index(answer.body, base_url=edgar.base_url)
        read_days.append(day)
        done_before = len(classified)
        progress = _DayProgress(tracker, edgar, days_done, done_before, len(index.filings))
        events = await _classify_all(edgar, index.filings, progress, now, concurrency)
        classified.extend((day, event) for event in events)
        days_done += 1
        tracker.show(days_done, progress.detail(len(events)), step_done=True)
    return BacktestReport(
        start=span.start,
        end=span.end,
        days=tuple(read_days),
        filings=len(classified),
        requests=edgar.requests,
        cached=edgar.hits,
        routes=route_reports(classified, routes),
    )


class _DayProgress:
    """What the tracker shows while a day's filings are classified."""

    def __init__(
        self, tracker: Tracker, edgar: CachedEdgar, days_done: int, before: int, listed: int
    ) -> None:
        self._tracker, self._edgar = tracker, edgar
        self._days_done, self._before, self._listed = days_done, before, listed
        self._done = 0

    def detail(self, done: int) -> str:
        return (
            f"{self._before + done} filings ({done}/{self._listed} of this day), "
            f"{self._edgar.requests} requests, {self._edgar.hits} cached"
        )

    def filing_done(self) -> None:
        self._done += 1
        self._tracker.show(self._days_done, self.detail(self._done))


async def _classify_all(
    edgar: CachedEdgar,
    filings: Sequence[Filing],
    progress: _DayProgress,
    now: datetime,
    concurrency: int,
) -> list[FilingClassified]:
    """The filings' classified events, in index order. A fair-access block stops the
    day (what was read is cached): it is raised once the filings in flight are done."""
    results: list[FilingClassified | None] = [None] * len(filings)
    blocks: list[FairAccessBlocked] = []
    slots = asyncio.Semaphore(concurrency)

    async def one(position: int, filing: Filing) -> None:
        async with slots:
            if blocks:
                return
            try:
                result = await classify_discovered(filing, edgar)
            except FairAccessBlocked as exc:
                blocks.append(exc)
                return
        results[position] = result.to_message(
            classified_at=now, classifier_version=CLASSIFIER_VERSION
        )
        progress.filing_done()

    async with asyncio.TaskGroup() as group:
        for position, filing in enumerate(filings):
            group.create_task(one(position, filing))
    if blocks:
        raise blocks[0]
    return [event for event in results if event is not None]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgarmon backtest",
        description=(
            "Show what a routes file would have sent over a range of days: the classifier "
            "runs over each day's filings (documents fetched within EDGAR's fair-access "
            "budget and kept on disk) and the routes are matched. No Kafka, Slack or e-mail."
        ),
    )
    parser.add_argument("routes", type=Path, help="the routes file (as for the notifier)")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    parser.add_argument("--format", choices=sorted(RENDERERS), default="table")
    parser.add_argument("--output", type=Path, help="write the report here (default: stdout)")
    parser.add_argument("--tickers", type=Path, help="SEC's company_tickers.json, for tickers")
    parser.add_argument(
        "--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"default {DEFAULT_CACHE}"
    )
    return parser


async def _run(args: argparse.Namespace, routes: Sequence[Route]) -> BacktestReport:
    settings = load_settings(EdgarClientSettings)
    span = BacktestRange(args.start, args.end)
    async with open_edgar_client(settings, registry=CollectorRegistry()) as client:
        edgar = CachedEdgar(client, args.cache_dir)
        with tracker_for("backtest", len(span.weekdays())) as tracker:
            return await backtest(edgar, span, routes, tracker, now=datetime.now(UTC))


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    problem = range_problem(args.start, args.end, max_days=MAX_DAYS)
    if problem:
        print(f"edgarmon backtest: {problem}", file=sys.stderr)
        return 2
    configure_logging(level="warning" if sys.stderr.isatty() else "info")
    try:
        tickers = load_ticker_map(args.tickers) if args.tickers else None
        routes = load_routes(args.routes, tickers=tickers, default_digest=_NO_DIGEST)
        report = asyncio.run(_run(args, routes))
    except ConfigurationError as exc:
        print(f"edgarmon backtest: {exc}", file=sys.stderr)
        return 2
    except FairAccessBlocked as exc:
        print(
            f"edgarmon backtest: {exc}; what was read is cached, so run it again after the block",
            file=sys.stderr,
        )
        return 1
    except EdgarError as exc:
        print(f"edgarmon backtest: {exc}", file=sys.stderr)
        return 1
    rendered = RENDERERS[args.format](report)
    if args.output:
        args.output.write_text(rendered)
    else:
        sys.stdout.write(rendered)
    return 0
