"""`edgarmon backfill` against the real broker, the poller in-process and the EDGAR
simulator: a job is followed to the end, paused by Ctrl-C and resumed by running the
command again, and counted without writing anything by --dry-run."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from edgarmon.backfill.main import (
    BackfillSettings,
    dry_run,
    requested_job,
    submit_and_follow,
)
from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import BackfillJob, BackfillState, DiscoverySource
from edgarmon.history.progress import ProgressLog
from edgarmon.poller.settings import PollerSettings
from edgarmon.testing.kafka_io import read_to_end
from tests.poller.service_harness import (
    backfill_stand_in,
    is_latest_feed,
    published,
    running_poller,
    until,
)

LETTERS_THAT_DAY = 28  # CORRESP and UPLOAD accessions on the recorded 2020-03-18 index


def arguments(**overrides: Any) -> Any:
    values = {
        "start": date(2020, 3, 16),
        "end": date(2020, 3, 20),
        "forms": ["corresp", "UPLOAD"],
        "ciks": [],
    }
    values.update(overrides)
    return type("Args", (), values)()


async def jobs_on_topic(bootstrap: str, settings: PollerSettings) -> list[BackfillJob]:
    return [
        codec.decode(r.value, r.headers, BackfillJob)
        for r in await read_to_end(bootstrap, settings.topic_backfill)
    ]


async def test_the_command_follows_the_job_to_the_end(
    kafka_bootstrap: str, unique: str, shared: Path
) -> None:
    async with backfill_stand_in(kafka_bootstrap, unique, shared / "edgar") as stand_in:
        settings, clock = stand_in.settings, stand_in.clock
        job = requested_job(arguments(), now=_now())
        assert job.forms == ("CORRESP", "UPLOAD")
        async with running_poller(settings, clock, create_topic=False):
            with ProgressLog("backfill", 5) as tracker:
                final = await asyncio.wait_for(submit_and_follow(settings, job, tracker), 60)
        assert (final.state, final.days_read, final.published) == (
            BackfillState.DONE,
            5,
            LETTERS_THAT_DAY,
        )
        events = await published(kafka_bootstrap, settings.topic_discovered)
        assert sum(e.source is DiscoverySource.BACKFILL for e in events) == LETTERS_THAT_DAY
        # Done: the same command again says so, writing nothing and publishing nothing.
        before = len(await jobs_on_topic(kafka_bootstrap, settings))
        with ProgressLog("backfill", 5) as tracker:
            again = await submit_and_follow(settings, job, tracker)
        assert again.state is BackfillState.DONE
        assert len(await jobs_on_topic(kafka_bootstrap, settings)) == before


async def test_ctrl_c_pauses_the_job_and_running_it_again_resumes(
    kafka_bootstrap: str, unique: str, shared: Path
) -> None:
    async with backfill_stand_in(kafka_bootstrap, unique, shared / "edgar") as stand_in:
        sim, settings, clock = stand_in.running, stand_in.settings, stand_in.clock
        job = requested_job(arguments(), now=_now())
        following_started = asyncio.Event()

        class Following(ProgressLog):
            def show(self, days_done: int, detail: str, *, step_done: bool = False) -> None:
                following_started.set()  # the request is written, the follower reading

        with Following("backfill", 5) as tracker:
            following = asyncio.create_task(submit_and_follow(settings, job, tracker))
            await following_started.wait()
            following.cancel()  # what Ctrl-C does to the command's task
            with pytest.raises(asyncio.CancelledError):
                await following
        states = [j.state for j in await jobs_on_topic(kafka_bootstrap, settings)]
        assert states == [BackfillState.REQUESTED, BackfillState.PAUSED]

        async with running_poller(settings, clock, create_topic=False) as poller:
            # Paused: the poller runs its live sources, and leaves the job alone.
            def latest_polls() -> int:
                return sum(1 for r in sim.sim.requests if is_latest_feed(r))

            await until(sim.sim, lambda: latest_polls() >= 3, task=poller.task)
            assert len(await jobs_on_topic(kafka_bootstrap, settings)) == 2
            with ProgressLog("backfill", 5) as again:
                resumed = await asyncio.wait_for(
                    submit_and_follow(
                        settings, job.model_copy(update={"updated_at": _now()}), again
                    ),
                    60,
                )
        assert (resumed.state, resumed.published) == (BackfillState.DONE, LETTERS_THAT_DAY)


async def test_a_dry_run_counts_and_writes_nothing(
    kafka_bootstrap: str, unique: str, shared: Path
) -> None:
    async with backfill_stand_in(kafka_bootstrap, unique, shared / "edgar") as stand_in:
        poller = stand_in.settings
        settings = BackfillSettings.model_validate(poller.model_dump())
        counts = await dry_run(settings, requested_job(arguments(), now=_now()))
        assert [c.day for c in counts] == [date(2020, 3, d) for d in range(16, 21)]
        (busy,) = [c for c in counts if c.listed]
        assert (busy.day, busy.kept, busy.new) == (
            date(2020, 3, 18),
            LETTERS_THAT_DAY,
            LETTERS_THAT_DAY,
        )
        assert await read_to_end(kafka_bootstrap, poller.topic_backfill) == []
        assert await read_to_end(kafka_bootstrap, poller.topic_discovered) == []


def _now() -> datetime:
    return datetime.now(UTC)
