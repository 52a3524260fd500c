"""Untrusted parses run in a child process within a time and a memory budget."""

from __future__ import annotations

import asyncio
import os
import pickle

import pytest

from edgarmon.core.adapters.bounded_work import WorkBudget, bounded_workers
from edgarmon.core.domain.errors import BudgetExceeded, FeedParseError, ShutdownInProgress
from edgarmon.core.lifecycle import Shutdown
from tests.core import bounded_work_jobs as jobs

BUDGET = WorkBudget(seconds=5.0, memory_bytes=256 * 2**20)


async def test_a_result_comes_back_and_the_child_is_reused() -> None:
    async with bounded_workers(BUDGET) as pool:
        assert await pool.run(jobs.add, 2, 3) == 5
        assert await pool.run(jobs.add, 2, b=4) == 6
        first = await pool.run(jobs.pid)
        assert await pool.run(jobs.pid) == first


async def test_the_parsers_own_error_is_raised_in_the_caller() -> None:
    async with bounded_workers(BUDGET) as pool:
        with pytest.raises(FeedParseError, match="no <feed> element"):
            await pool.run(jobs.refuse, "no <feed> element")
        with pytest.raises(RuntimeError, match="Unpicklable: made up"):
            await pool.run(jobs.raise_unpicklable)
        assert await pool.run(jobs.add, 1, 1) == 2


async def test_past_the_time_budget_the_child_is_killed_and_replaced() -> None:
    async with bounded_workers(WorkBudget(seconds=0.5, memory_bytes=BUDGET.memory_bytes)) as pool:
        before = await pool.run(jobs.pid)
        with pytest.raises(BudgetExceeded, match=r"within 0\.5 s") as caught:
            await pool.run(jobs.spin, 60.0)
        assert caught.value.budget == "time"
        after = await pool.run(jobs.pid)
    assert after != before


async def test_past_the_memory_budget_the_child_fails_not_the_service() -> None:
    async with bounded_workers(WorkBudget(seconds=30.0, memory_bytes=64 * 2**20)) as pool:
        with pytest.raises(BudgetExceeded, match="more than 64 MiB") as caught:
            await pool.run(jobs.allocate, 512)
        assert caught.value.budget == "memory"
        assert await pool.run(jobs.allocate, 8) == 8


async def test_a_child_that_dies_is_reported_and_replaced() -> None:
    async with bounded_workers(BUDGET) as pool:
        with pytest.raises(BudgetExceeded, match="exit code 7") as caught:
            await pool.run(jobs.die)
        assert caught.value.budget == "crash"
        assert await pool.run(jobs.add, 2, 2) == 4


async def test_a_drain_cancels_the_parse_in_flight_at_once() -> None:
    async with bounded_workers(WorkBudget(seconds=60.0, memory_bytes=BUDGET.memory_bytes)) as pool:
        busy = asyncio.create_task(pool.run(jobs.spin, 60.0))
        async with asyncio.timeout(10):
            while pool.in_flight == 0:  # noqa: ASYNC110 - a condition polled, bounded
                await asyncio.sleep(0)
        (spinning,) = pool.child_pids
        busy.cancel()
        with pytest.raises(asyncio.CancelledError):
            await busy
        with pytest.raises(ProcessLookupError):
            os.kill(spinning, 0)  # killed and reaped, not left burning a core
        assert await pool.run(jobs.add, 3, 4) == 7


def test_budget_exceeded_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(BudgetExceeded("too slow", budget="time")))
    assert (str(error), error.budget) == ("too slow", "time")


async def test_shutdown_ends_the_parse_in_flight_and_refuses_new_ones() -> None:
    shutdown = Shutdown()
    budget = WorkBudget(seconds=60.0, memory_bytes=BUDGET.memory_bytes)
    async with bounded_workers(budget, shutdown=shutdown) as pool:
        busy = asyncio.create_task(pool.run(jobs.spin, 60.0))
        async with asyncio.timeout(10):
            while pool.in_flight == 0:  # noqa: ASYNC110 - a condition polled, bounded
                await asyncio.sleep(0)
        shutdown.request("SIGTERM")
        with pytest.raises(ShutdownInProgress):
            await busy
        with pytest.raises(ShutdownInProgress):
            await pool.run(jobs.add, 1, 2)
