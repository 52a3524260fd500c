"""``edgarmon backfill --from DATE --to DATE``: publish the filings of past days that
are not on the discovered topic yet, exactly once, while the live poller runs.

The command does not write the discovered topic itself: it would race the live
poller, whose daily-index reconciliation and company feeds reach back too. It writes
a job to the backfill topic, and the poller, the topic's one writer, reads the days
through its fair-access client and budget, publishing each day's new filings and
the job's progress in one transaction (:mod:`edgarmon.poller.workers.backfill_watch`). The
command follows that progress. Ctrl-C pauses the job; running the command again
resumes it where it stopped. ``--dry-run`` only counts, reading the indexes itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

import structlog
from prometheus_client import CollectorRegistry
from pydantic_settings import SettingsConfigDict

from edgarmon.backfill.jobs_topic import job_id_for, latest_state, progress_of, write
from edgarmon.core.adapters.edgar_http import open_edgar_client
from edgarmon.core.adapters.kafka import ensure_topics, replay_topic
from edgarmon.core.domain.errors import BrokerUnreachable, ConfigurationError, EdgarError
from edgarmon.core.domain.messages import BackfillJob, BackfillState, FilingDiscovered
from edgarmon.core.domain.topics import public_topics
from edgarmon.core.logs import configure_logging
from edgarmon.core.settings import ENV_PREFIX, EdgarClientSettings, ServiceSettings, load_settings
from edgarmon.history.days import range_problem, weekdays
from edgarmon.history.progress import Tracker, tracker_for
from edgarmon.poller.adapters.sources import read_daily_index
from edgarmon.poller.domain.backfill_jobs import keeps

log = structlog.get_logger(__name__)

MAX_DAYS: Final = 3660
QUIET_WARNING_SECONDS: Final = 60


class BackfillSettings(ServiceSettings, EdgarClientSettings):
    """The Kafka settings (to write the job) and, for ``--dry-run``, EDGAR's."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, case_sensitive=False
    )


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    listed: int
    kept: int
    new: int


def requested_job(args: argparse.Namespace, *, now: datetime) -> BackfillJob:
    forms = tuple(sorted({form.strip().upper() for form in args.forms if form.strip()}))
    ciks = tuple(sorted(set(args.ciks)))
    return BackfillJob(
        job_id=job_id_for(args.start, args.end, forms, ciks),
        first_day=args.start,
        last_day=args.end,
        forms=forms,
        ciks=ciks,
        state=BackfillState.REQUESTED,
        updated_at=now,
    )


async def submit_and_follow(
    settings: ServiceSettings, job: BackfillJob, tracker: Tracker
) -> BackfillJob:
    """Request ``job`` (or resume it) and follow it to the end. Cancelled (Ctrl-C), it
    writes a pause first, keeping the progress."""
    await ensure_topics(settings, public_topics(settings))
    known = await latest_state(settings, job.job_id)
    if known is not None and known.state is BackfillState.DONE:
        return known
    start = known or job
    latest = start
    quiet = 0

    def on_quiet() -> None:
        nonlocal quiet
        quiet += 1
        if quiet == QUIET_WARNING_SECONDS and latest.done_through == start.done_through:
            log.warning(
                "no poller has taken the job up yet: is one running against this cluster?",
                job_id=job.job_id,
            )

    try:
        await write(settings, job)
        # aclosing: leaving the loop stops the reader now, not when the generator is collected
        async with aclosing(progress_of(settings, job.job_id, on_quiet=on_quiet)) as states:
            async for state in states:
                latest, quiet = state, 0
                tracker.show(
                    state.days_read,
                    f"{state.published} published of {state.kept} kept, {state.listed} listed",
                    step_done=True,
                )
                if state.state is BackfillState.DONE:
                    return state
    except asyncio.CancelledError:
        paused = latest.model_copy(
            update={"state": BackfillState.PAUSED, "updated_at": datetime.now(UTC)}
        )
        await write(settings, paused)
        raise
    return latest


async def dry_run(settings: BackfillSettings, job: BackfillJob) -> list[DayCount]:
    """What the job would publish: each weekday's index read (through the fair-access
    client; nothing is written), less what the discovered topic already holds."""
    known = {
        event.filing.accession_number
        async for event in replay_topic(settings, settings.topic_discovered, FilingDiscovered)
    }
    counts = []
    async with open_edgar_client(settings, registry=CollectorRegistry()) as client:
        for day in weekdays(job.first_day, job.last_day):
            read = await read_daily_index(client, day, known)
            listed = read.index.filings if read.index is not None else ()
            kept = [filing for filing in listed if keeps(job, filing)]
            new = {filing.accession_number for filing in kept} - known
            counts.append(DayCount(day, len(listed), len(kept), len(new)))
            known |= new
    return counts


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgarmon backfill",
        description=(
            "Publish the filings of past days that are not on the discovered topic yet, "
            "exactly once: the running poller reads the days through its fair-access "
            "budget, and this command follows it. Ctrl-C pauses; run it again to resume."
        ),
    )
    parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    parser.add_argument(
        "--forms", type=lambda v: v.split(","), default=[], help="e.g. 8-K,CORRESP,UPLOAD"
    )
    parser.add_argument(
        "--ciks", type=lambda v: [int(c) for c in v.split(",")], default=[], help="e.g. 320193"
    )
    parser.add_argument("--dry-run", action="store_true", help="count only; write nothing")
    return parser


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    problem = range_problem(args.start, args.end, max_days=MAX_DAYS)
    if problem:
        print(f"edgarmon backfill: {problem}", file=sys.stderr)
        return 2
    configure_logging(level="warning" if sys.stderr.isatty() else "info")
    job = requested_job(args, now=datetime.now(UTC))
    try:
        if args.dry_run:
            counts = asyncio.run(dry_run(load_settings(BackfillSettings), job))
            _print_counts(counts)
            return 0
        settings = load_settings(ServiceSettings)
        with tracker_for(
            f"backfill {job.job_id}", len(weekdays(job.first_day, job.last_day))
        ) as tracker:
            final = asyncio.run(submit_and_follow(settings, job, tracker))
    except KeyboardInterrupt:
        print(
            f"edgarmon backfill: paused {job.job_id}; run the same command to resume",
            file=sys.stderr,
        )
        return 130
    except (ConfigurationError, BrokerUnreachable, EdgarError) as exc:
        print(f"edgarmon backfill: {exc}", file=sys.stderr)
        return 1
    print(
        f"backfill {final.job_id} done: {final.days_read} days, {final.listed} filings listed, "
        f"{final.kept} kept by the filters, {final.published} published"
    )
    return 0


def _print_counts(counts: Sequence[DayCount]) -> None:
    print("day         listed    kept  to publish")
    for count in counts:
        print(f"{count.day}  {count.listed:>6}  {count.kept:>6}  {count.new:>10}")
    print(
        f"total       {sum(c.listed for c in counts):>6}  {sum(c.kept for c in counts):>6}  "
        f"{sum(c.new for c in counts):>10}"
    )
