"""``edgarmon demo``: run the whole pipeline offline and print a summary.

Starts a local Kafka broker (unless ``EDGARMON_KAFKA_BOOTSTRAP_SERVERS`` names
one), the EDGAR simulator over ``../shared/edgar``, local Slack and SMTP sinks,
and the poller, classifier and notifier; prints every alert as it arrives, then
a summary of each topic and the end-to-end latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from edgarmon.core.logs import configure_logging
from edgarmon.devbroker import broker

if TYPE_CHECKING:
    from edgarmon.demo.pipeline import DemoOptions
    from edgarmon.demo.report import Summary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgarmon demo",
        description=(
            "Run the whole pipeline offline: a local Kafka broker (unless "
            "EDGARMON_KAFKA_BOOTSTRAP_SERVERS names one), the EDGAR simulator over "
            "../shared/edgar, local Slack and SMTP sinks, and the poller, classifier and "
            "notifier; print every alert as it arrives, then a summary."
        ),
    )
    parser.add_argument("--seconds", type=float, default=75.0, help="how long to run at most")
    parser.add_argument("--rate", type=float, default=2.0, help="filings per second on EDGAR")
    parser.add_argument("--shared", type=Path, help="the shared data folder (default ../shared)")
    return parser


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    shared = (args.shared or broker.project_root().parent / "shared").resolve()
    if not (shared / "edgar").is_dir():
        print(f"edgarmon demo: no EDGAR recordings in {shared / 'edgar'}", file=sys.stderr)
        return 2
    configure_logging(level="warning", fmt="console")
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None
    if given:
        bootstrap, suffix = given, f".demo-{int(time.time())}"
    else:
        print("demo: starting a local Kafka broker ...", flush=True)
        handle = broker.start(broker.default_home(), log=lambda line: print(line, flush=True))
        print(
            f"demo: Kafka {broker.KAFKA_VERSION} at {handle.bootstrap_servers}, "
            f"started in {handle.startup_seconds:.1f} s",
            flush=True,
        )
        bootstrap, suffix = handle.bootstrap_servers, ""
    try:
        return asyncio.run(_demo(shared, bootstrap, suffix, args.seconds, args.rate))
    finally:
        if handle is not None:
            broker.stop(handle)
            print("demo: broker stopped")


async def _demo(shared: Path, bootstrap: str, suffix: str, seconds: float, rate: float) -> int:
    from edgarmon.demo.pipeline import DemoOptions  # noqa: PLC0415 -- heavy

    options = DemoOptions(
        shared=shared,
        bootstrap_servers=bootstrap,
        seconds=seconds,
        rate=rate,
        topic_suffix=suffix,
    )
    await run_demo(options, printer=lambda line: print(line, flush=True))
    return 0


async def run_demo(options: DemoOptions, *, printer: Callable[[str], None]) -> Summary:
    """What ``edgarmon demo`` prints once the broker is up, through ``printer``: the
    alerts as they arrive, then the summary (returned too, with its tally)."""
    from edgarmon.demo.pipeline import run_pipeline  # noqa: PLC0415 -- heavy
    from edgarmon.demo.report import summarize  # noqa: PLC0415

    edgar = options.shared / "edgar"
    printer(f"demo: simulated EDGAR over {edgar}; alerts print as they arrive")
    result = await run_pipeline(options, printer=printer)
    summary = await summarize(result, options.bootstrap_servers)
    printer(summary.text)
    return summary
