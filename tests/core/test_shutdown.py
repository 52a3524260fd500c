"""Graceful shutdown of a real service process against the real broker."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from edgarmon.core.domain import codec
from edgarmon.core.lifecycle import Shutdown, capture_signals, run_until_shutdown
from edgarmon.testing.kafka_io import (
    committed_offsets,
    create_topics,
    produce,
    read_to_end,
    wait_for_records,
)
from edgarmon.testing.processes import Process, service_env, start_module, terminate
from tests.core.test_codec import discovered, make_filing

pytestmark = pytest.mark.kafka
ROOT = Path(__file__).resolve().parents[2]
TOTAL = 60
PARTITIONS = 3


def echo_env(bootstrap: str, unique: str) -> dict[str, str]:
    return service_env(
        kafka_bootstrap_servers=bootstrap,
        topic_deadletter=f"dlq-{unique}",
        echo_input=f"in-{unique}",
        echo_output=f"out-{unique}",
        echo_group=f"group-{unique}",
        echo_batch_size="5",
    )


async def start_service(env: dict[str, str]) -> Process:
    return await start_module("edgarmon.testing.echo_service", env, cwd=ROOT)


async def test_sigterm_drains_and_commits_so_a_restart_processes_nothing_twice(
    kafka_bootstrap: str, unique: str
) -> None:
    env = echo_env(kafka_bootstrap, unique)
    await create_topics(kafka_bootstrap, [env["EDGARMON_ECHO_INPUT"]], partitions=PARTITIONS)
    await create_topics(kafka_bootstrap, [env["EDGARMON_ECHO_OUTPUT"], f"dlq-{unique}"])
    records = [
        codec.encode(discovered(make_filing(f"0000000002-26-{n:06d}")), source="test")
        for n in range(TOTAL)
    ]
    await produce(
        kafka_bootstrap, env["EDGARMON_ECHO_INPUT"], [(r.key, r.value, r.headers) for r in records]
    )

    first = await start_service(env)
    await wait_for_records(kafka_bootstrap, env["EDGARMON_ECHO_OUTPUT"], 10)
    code, stderr = await terminate(first)
    assert code == 0, stderr
    assert "shutdown requested, draining" in stderr
    assert "consumer drained" in stderr

    echoed = await read_to_end(kafka_bootstrap, env["EDGARMON_ECHO_OUTPUT"])
    committed = await committed_offsets(
        kafka_bootstrap, env["EDGARMON_ECHO_GROUP"], env["EDGARMON_ECHO_INPUT"], PARTITIONS
    )
    assert sum(committed) == len(echoed), "every echoed record, and only those, is committed"

    second = await start_service(env)
    await wait_for_records(kafka_bootstrap, env["EDGARMON_ECHO_OUTPUT"], TOTAL)
    code, stderr = await terminate(second)
    assert code == 0, stderr

    outputs = await read_to_end(kafka_bootstrap, env["EDGARMON_ECHO_OUTPUT"])
    keys = [r.key for r in outputs]
    assert len(keys) == TOTAL
    assert sorted(keys) == sorted(r.key for r in records)


async def test_a_second_signal_forces_exit_and_handlers_are_restored() -> None:
    shutdown = Shutdown()
    forced = asyncio.Event()
    codes: list[int] = []

    def force_exit(code: int) -> None:
        codes.append(code)
        forced.set()

    previous = signal.getsignal(signal.SIGINT)
    with capture_signals(shutdown, force_exit=force_exit):
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(shutdown.wait(), timeout=10)
        assert shutdown.reason == "SIGTERM"
        assert codes == []
        os.kill(os.getpid(), signal.SIGINT)
        await asyncio.wait_for(forced.wait(), timeout=10)
    assert codes == [130]
    assert signal.getsignal(signal.SIGINT) is previous


async def test_a_drain_that_overruns_its_bound_is_cancelled() -> None:
    shutdown = Shutdown()
    cancelled = asyncio.Event()

    async def stuck_work() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    async def drained_work() -> None:
        await shutdown.wait()

    shutdown.request("test")
    assert await run_until_shutdown(stuck_work(), shutdown, drain_timeout=0.05) == 1
    assert cancelled.is_set()
    assert await run_until_shutdown(drained_work(), shutdown, drain_timeout=5) == 0
