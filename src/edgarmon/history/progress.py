"""How a long history command says how far it is: a progress bar on a terminal (days
done, what was done so far, time left), one structured log line per step elsewhere."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Protocol, Self

import structlog
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

log = structlog.get_logger(__name__)


class Tracker(Protocol):
    def show(self, days_done: int, detail: str, *, step_done: bool = False) -> None:
        """``days_done`` of the total, and a line on what was done (``step_done``: a
        day ended, which is when a log line is written)."""
        ...


class ProgressBar:
    """A rich progress bar over the days, on stderr."""

    def __init__(self, label: str, days: int) -> None:
        self._progress = Progress(
            TextColumn(label),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} days"),
            TextColumn("{task.fields[detail]}"),
            TimeRemainingColumn(),
        )
        self._task: TaskID = self._progress.add_task(label, total=days, detail="")

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def show(self, days_done: int, detail: str, *, step_done: bool = False) -> None:
        self._progress.update(self._task, completed=days_done, detail=detail)


class ProgressLog:
    """One log line per day: where no terminal is attached."""

    def __init__(self, label: str, days: int) -> None:
        self._label = label
        self._days = days

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return

    def show(self, days_done: int, detail: str, *, step_done: bool = False) -> None:
        if step_done:
            log.info(f"{self._label} progress", days_done=days_done, days=self._days, done=detail)


def tracker_for(label: str, days: int) -> ProgressBar | ProgressLog:
    return ProgressBar(label, days) if sys.stderr.isatty() else ProgressLog(label, days)
