"""``edgarmon simulate``: serve recorded EDGAR responses as a live EDGAR would.

Examples::

    edgarmon simulate                              # ../shared/edgar, 1 filing/s, port 8765
    edgarmon simulate --rate 5 --port 9000
    edgarmon simulate --day 2023-07-03 --replay-day --speed 60   # a whole day, 60x

Point the poller at it with ``EDGARMON_EDGAR_BASE_URL=http://127.0.0.1:8765``.
Control endpoints: ``GET /_sim/stats``, ``GET /_sim/visible``, ``POST /_sim/faults``
(JSON ``{"kind": "unavailable|truncate|slow|block", "count": 1, "seconds": 0}``).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from edgarmon.simulator.filings import EASTERN
from edgarmon.simulator.scenario import (
    SimulatorOptions,
    build_simulated_edgar,
    default_data_dir,
    replay_start,
)
from edgarmon.simulator.server import running_simulator
from edgarmon.simulator.simulated_edgar import ScaledClock


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgarmon simulate",
        description=(
            "Serve recorded EDGAR responses as a live EDGAR would: a latest-filings feed "
            "that grows over simulated time, company feeds, daily indexes and documents, "
            "with SEC fair access enforced. Point the poller at it with "
            "EDGARMON_EDGAR_BASE_URL=http://127.0.0.1:8765 (the default port)."
        ),
    )
    parser.add_argument("--data", type=Path, help="recordings directory (default ../shared/edgar)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rate", type=float, default=1.0, help="filings per simulated second")
    parser.add_argument("--backlog", type=int, default=100, help="filings visible at the start")
    parser.add_argument("--no-loop", action="store_true", help="stop when the pool is used up")
    parser.add_argument("--day", type=date.fromisoformat, help="take filings from this day's index")
    parser.add_argument("--replay-day", action="store_true", help="replay --day at its real volume")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    parser.add_argument("--start", type=datetime.fromisoformat, help="simulated start (ISO, ET)")
    parser.add_argument("--max-rate", type=float, default=10.0, help="fair-access requests/second")
    parser.add_argument("--block-seconds", type=float, default=600.0, help="fair-access block")
    return parser


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    data_dir = args.data or default_data_dir()
    if data_dir is None or not Path(data_dir).is_dir():
        print("edgarmon simulate: no recordings found; pass --data DIR", file=sys.stderr)
        return 2
    if args.replay_day and args.day is None:
        print("edgarmon simulate: --replay-day needs --day", file=sys.stderr)
        return 2
    options = SimulatorOptions(
        data_dir=Path(data_dir),
        rate=args.rate,
        backlog=args.backlog,
        loop=not args.no_loop,
        day=args.day,
        replay_day=args.replay_day,
        max_rate=args.max_rate,
        block_seconds=args.block_seconds,
    )
    if args.start is not None:
        start = args.start if args.start.tzinfo else args.start.replace(tzinfo=EASTERN)
        start_at = start.timestamp()
    elif args.replay_day:
        start_at = replay_start(args.day)
    else:
        start_at = time.time()
    try:
        asyncio.run(_serve(options, ScaledClock(start_at, speed=args.speed), args.host, args.port))
    except ValueError as exc:
        print(f"edgarmon simulate: {exc}", file=sys.stderr)
        return 2
    return 0


async def _serve(options: SimulatorOptions, clock: ScaledClock, host: str, port: int) -> None:
    sim = build_simulated_edgar(options, clock=clock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running_simulator(sim, host=host, port=port) as running:
        print(
            f"simulated EDGAR on {running.base_url} "
            f"(data {options.data_dir}, simulated now {sim.now_datetime():%Y-%m-%d %H:%M:%S %Z})",
            flush=True,
        )
        await stop.wait()
