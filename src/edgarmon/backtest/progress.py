"""How a long history command says how far it is: a progress bar on a terminal
(days, filings, requests per second, time left), structured log lines elsewhere."""

from __future__ import annotations

import sys
import time
from datetime import date
from types import TracebackType
from typing import Protocol, Self

import structlog
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

log = structlog.get_logger(__name__)


class Tracker(Protocol):
    def start_day(self, day: date, filings: int) -> None: ...
    def filing_done(self, requests: int) -> None: ...
    def day_done(self) -> None: ...


class ProgressBar:
    """A rich progress bar over the days, on stderr."""

    def __init__(self, days: int) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} days"),
            TextColumn("{task.fields[filings]} filings"),
            TextColumn("{task.fields[rate]:.1f} requests/s"),
            TimeRemainingColumn(),
        )
        self._task: TaskID = self._progress.add_task("backtest", total=days, filings=0, rate=0.0)
        self._filings = 0
        self._started = time.monotonic()

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def start_day(self, day: date, filings: int) -> None:
        self._progress.update(self._task, description=f"{day} ({filings} filings)")

    def filing_done(self, requests: int) -> None:
        self._filings += 1
        rate = requests / max(time.monotonic() - self._started, 1e-3)
        self._progress.update(self._task, filings=self._filings, rate=rate)

    def day_done(self) -> None:
        self._progress.advance(self._task)


class ProgressLog:
    """One log line per day: where a terminal is not attached."""

    def __init__(self) -> None:
        self._filings = 0
        self._day: date | None = None
        self._day_filings = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return

    def start_day(self, day: date, filings: int) -> None:
        self._day, self._day_filings = day, filings

    def filing_done(self, requests: int) -> None:
        self._filings += 1

    def day_done(self) -> None:
        log.info(
            "backtest day read",
            day=str(self._day),
            filings=self._day_filings,
            filings_so_far=self._filings,
        )


def tracker_for(days: int) -> ProgressBar | ProgressLog:
    return ProgressBar(days) if sys.stderr.isatty() else ProgressLog()
