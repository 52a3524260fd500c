"""Backfill jobs, as plain values: which day comes next, which filings a job keeps,
and how the records on the job topic add up to a job's state.

A job's records come from two writers: ``edgarmon backfill`` (requested, paused)
and the poller (running, done, with progress). The record written last decides the
state, but progress only moves forward: a request written again for a job that is
half done resumes it where it stopped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from edgarmon.core.domain.filing import Filing
from edgarmon.core.domain.messages import BackfillJob, BackfillState

ACTIVE = frozenset({BackfillState.REQUESTED, BackfillState.RUNNING})


def merged(known: BackfillJob | None, record: BackfillJob) -> BackfillJob:
    """``known`` updated by ``record`` of the same job: the progress of whichever has
    come further, and the state of whichever was written last (by ``updated_at``),
    except that a finished job stays done. So a pause written while the poller read a
    day holds, even though the poller's record of that day comes after it."""
    if known is None:
        return record
    ahead = record if _reached(record) >= _reached(known) else known
    latest = record if record.updated_at >= known.updated_at else known
    state = BackfillState.DONE if ahead.state is BackfillState.DONE else latest.state
    return ahead.model_copy(update={"state": state, "updated_at": latest.updated_at})


def _reached(job: BackfillJob) -> date:
    return job.done_through or date.min


def next_day(job: BackfillJob) -> date | None:
    """The next weekday to read, or None when every day is read."""
    day = job.first_day if job.done_through is None else job.done_through + timedelta(days=1)
    while day <= job.last_day and day.weekday() >= 5:
        day += timedelta(days=1)
    return day if day <= job.last_day else None


def keeps(job: BackfillJob, filing: Filing) -> bool:
    """Whether the job's filters (forms, companies) keep ``filing``."""
    if job.forms and filing.base_form_type.upper() not in job.forms:
        return False
    return not job.ciks or not filing.ciks.isdisjoint(job.ciks)


def progressed(
    job: BackfillJob, day: date, *, listed: int, kept: int, published: int, now: datetime
) -> BackfillJob:
    """``job`` after reading ``day``: running, or done if it was the last."""
    advanced = job.model_copy(
        update={
            "done_through": day,
            "days_read": job.days_read + 1,
            "listed": job.listed + listed,
            "kept": job.kept + kept,
            "published": job.published + published,
            "updated_at": now,
        }
    )
    state = BackfillState.RUNNING if next_day(advanced) is not None else BackfillState.DONE
    return advanced.model_copy(update={"state": state})
