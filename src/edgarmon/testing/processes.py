"""One harness for running a service as a real process: start it, stop it, kill it.

Tests and benchmarks that need a process of their own (SIGTERM drains, ``kill -9``
recoveries, start-up time) start ``python -m <module>`` with :func:`start_module`,
in an environment built by :func:`service_env` (the settings a test must never
inherit from the developer's shell are set: no topic creation, an ephemeral
health port, JSON logs, no secrets folder), and stop it with :func:`terminate`
(SIGTERM, then wait for it to drain and exit) or :meth:`Process.kill`.
:func:`running_module` kills a process still running when its block ends.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import IO

Process = asyncio.subprocess.Process

DEFAULT_STOP_SECONDS = 40.0
"""How long :func:`terminate` waits for a drained exit: above every drain timeout used."""


def service_env(**settings: str) -> dict[str, str]:
    """This process's environment with the test defaults, then ``settings`` (names
    without the ``EDGARMON_`` prefix, e.g. ``TOPIC_CLASSIFIED="..."``)."""
    env = {
        **os.environ,
        "EDGARMON_KAFKA_CREATE_TOPICS": "false",
        "EDGARMON_HEALTH_PORT": "0",
        "EDGARMON_LOG_FORMAT": "json",
        "EDGARMON_SHUTDOWN_TIMEOUT_SECONDS": "20",
        "EDGARMON_SECRETS_DIR": "/nonexistent/edgarmon-secrets",
    }
    env.update({f"EDGARMON_{name.upper()}": value for name, value in settings.items()})
    return env


async def start_module(
    module: str,
    env: Mapping[str, str],
    *,
    stdout: int | IO[bytes] | None = asyncio.subprocess.DEVNULL,
    stderr: int | IO[bytes] | None = asyncio.subprocess.PIPE,
    cwd: Path | None = None,
) -> Process:
    """Start ``python -m module`` with exactly ``env`` (None: inherit the stream)."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, cwd=cwd, env=dict(env), stdout=stdout, stderr=stderr
    )


async def terminate(process: Process, *, within: float = DEFAULT_STOP_SECONDS) -> tuple[int, str]:
    """Send SIGTERM and wait for the process to exit; its exit code and its stderr (if
    it was piped)."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=within)
    assert process.returncode is not None
    return process.returncode, (stderr or b"").decode()


@asynccontextmanager
async def running_module(
    module: str, env: Mapping[str, str], *, log_path: Path, cwd: Path | None = None
) -> AsyncIterator[Process]:
    """``python -m module`` with its output in ``log_path``; killed if still running
    when the block ends."""
    with log_path.open("ab") as log:
        process = await start_module(module, env, stdout=log, stderr=log, cwd=cwd)
        try:
            yield process
        finally:
            if process.returncode is None:
                with suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
