"""The days a history command covers: weekdays only (EDGAR has no index on a weekend;
a holiday's is simply missing), within a bounded range."""

from __future__ import annotations

from datetime import date, timedelta


def weekdays(first: date, last: date) -> list[date]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def range_problem(first: date, last: date, *, max_days: int) -> str | None:
    """Why ``--from first --to last`` cannot be run, or None."""
    if last < first or (last - first).days >= max_days:
        return f"--to must be on or after --from, within {max_days} days"
    return None
