"""The backfill command's side of the job topic: the job's latest state, a request or
a pause written to it, and following the poller's progress records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncGenerator, Callable
from datetime import date

from edgarmon.core.adapters.kafka import Publisher, open_producer, open_topic_reader, replay_topic
from edgarmon.core.domain.messages import BackfillJob
from edgarmon.core.settings import ServiceSettings
from edgarmon.poller.domain.backfill_jobs import merged
from edgarmon.poller.workers.backfill_watch import decoded_jobs

SOURCE = "/edgarmon/backfill"


def job_id_for(
    first_day: date, last_day: date, forms: tuple[str, ...], ciks: tuple[int, ...]
) -> str:
    """The same range and filters give the same id, so running the command again
    resumes the job instead of starting another."""
    spec = json.dumps([first_day.isoformat(), last_day.isoformat(), sorted(forms), sorted(ciks)])
    return "bf-" + hashlib.sha256(spec.encode()).hexdigest()[:16]


async def latest_state(settings: ServiceSettings, job_id: str) -> BackfillJob | None:
    """The job as its records add up now, or None if it was never requested."""
    state: BackfillJob | None = None
    async for job in replay_topic(settings, settings.topic_backfill, BackfillJob):
        if job.job_id == job_id:
            state = merged(state, job)
    return state


async def write(settings: ServiceSettings, job: BackfillJob) -> None:
    async with open_producer(settings) as producer:
        await Publisher(producer, source=SOURCE).publish(settings.topic_backfill, job)


async def progress_of(
    settings: ServiceSettings, job_id: str, *, on_quiet: Callable[[], None]
) -> AsyncGenerator[BackfillJob, None]:
    """The job's state after each of its records, from the first, for as long as the
    caller reads; ``on_quiet`` is called after each second without any record."""
    async with open_topic_reader(settings, settings.topic_backfill, purpose="backfill") as (
        reader,
        partitions,
    ):
        if reader is None:
            return
        await reader.seek_to_beginning(*partitions)
        state: BackfillJob | None = None
        while True:
            batches = await reader.getmany(timeout_ms=1000)
            if not batches:
                on_quiet()
            for job in decoded_jobs(batches):
                if job.job_id == job_id:
                    state = merged(state, job)
                    yield state
