"""Which daily indexes to read, and when, without I/O.

SEC publishes the day's index "nightly starting about 10:00 p.m., ET; the process is
usually completed within a few hours" (daily files were last modified 10:07-10:10
pm). The poller reads a business day's index once it is ``ready_hour`` (ET) that
day: every night for the day just ended, and at start-up for every day since the
poller was last alive. Weekends and US federal holidays (EDGAR is closed) have no
index, and are not asked for. The holidays come from the maintained ``holidays``
package (observed days included: July 3, 2026 for a Saturday July 4), not from a
list of our own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from edgarmon.core.domain.filing import EASTERN


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """US federal holidays of ``year``, as observed: the days EDGAR is closed."""
    return frozenset(holidays.country_holidays("US", years=year))


def is_business_day(day: date) -> bool:
    """A day EDGAR is open, so one with a daily index."""
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def index_ready_at(day: date, *, ready_hour: int) -> datetime:
    """When ``day``'s index is taken to be complete: ``ready_hour`` ET that day."""
    return datetime.combine(day, time(ready_hour, 0), tzinfo=EASTERN)


def latest_ready_day(now: datetime, *, ready_hour: int) -> date:
    """The most recent business day whose index is ready at ``now``."""
    _require_aware(now)
    day = now.astimezone(EASTERN).date()
    while not is_business_day(day) or index_ready_at(day, ready_hour=ready_hour) > now:
        day -= timedelta(days=1)
    return day


def index_days_due(
    now: datetime, *, after: date | None, ready_hour: int, max_days: int
) -> tuple[date, ...]:
    """Business days after ``after`` whose index is ready at ``now``, oldest first,
    at most the ``max_days`` most recent. With ``after`` None: the latest ready day."""
    latest = latest_ready_day(now, ready_hour=ready_hour)
    if after is None:
        return (latest,)
    days: list[date] = []
    day = latest
    while day > after and len(days) < max_days:
        if is_business_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return tuple(reversed(days))


def days_to_reconcile(
    now: datetime, *, since: datetime | None, ready_hour: int, max_days: int
) -> tuple[date, ...]:
    """The indexes to read at start-up. ``since`` is when the poller was last known
    to be alive (e.g. the time of its last published event): its day is included,
    since that day's index may not have been read before it stopped."""
    if since is None:
        return index_days_due(now, after=None, ready_hour=ready_hour, max_days=max_days)
    _require_aware(since)
    first = since.astimezone(EASTERN).date()
    return index_days_due(
        now, after=first - timedelta(days=1), ready_hour=ready_hour, max_days=max_days
    )


def next_index_read_at(now: datetime, *, ready_hour: int) -> datetime:
    """The next moment, at or after ``now``, at which a day's index becomes ready."""
    _require_aware(now)
    day = now.astimezone(EASTERN).date()
    while True:
        ready = index_ready_at(day, ready_hour=ready_hour)
        if is_business_day(day) and ready >= now:
            return ready
        day += timedelta(days=1)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("reconciliation needs timezone-aware datetimes")
