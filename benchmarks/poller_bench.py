"""Detection delay of the poller at 1 s polling, against the simulated EDGAR and Kafka.

What runs: the simulator in this process, serving the recorded latest-filings feed
with filings arriving at ``--rate`` per simulated second (evenly spaced) and, halfway
through, an opening-bell burst of ``--burst`` filings made visible at one instant;
the poller as its own process (``python -m edgarmon.poller``, default settings: 1 s
polling, 4 requests/second); a ``read_committed`` consumer here that notes when each
event arrives. A local broker is started unless ``EDGARMON_KAFKA_BOOTSTRAP_SERVERS``
names one.

Printed: the delay from the moment the simulator makes a filing visible to the
moment its event can be read from Kafka, p50/p99/max, for filings that became
visible after the poller's first publication; EDGAR requests per filing; the
poller's resident memory (now and peak). With ``--speed K`` simulated time runs K
times faster than real time, so arrivals are K times denser per real second of
polling; delays are always converted to and reported in real seconds.

Usage: ``python benchmarks/poller_bench.py [--seconds 180] [--rate 1.0] [--burst 300]
[--speed 1] [--watchlist 1889983,1844419]``
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from aiokafka import AIOKafkaConsumer

from edgarmon.core.adapters.kafka import topic_partitions
from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import FilingDiscovered
from edgarmon.core.settings import ServiceSettings
from edgarmon.devbroker import broker
from edgarmon.simulator.filings import FilingTemplate, SimFiling, recycled, schedule_filing
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar, default_data_dir
from edgarmon.simulator.server import running_simulator
from edgarmon.simulator.simulated_edgar import ScaledClock
from edgarmon.testing.processes import start_module

ROOT = Path(__file__).resolve().parents[1]
BURST_ROUND = 79  # accession prefix for the burst, unused by the regular arrivals


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0, help="real seconds of arrivals")
    parser.add_argument("--rate", type=float, default=1.0, help="filings per simulated second")
    parser.add_argument("--burst", type=int, default=300, help="filings visible at once, midway")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    parser.add_argument("--watchlist", default="", help="CIKs whose company feeds are polled")
    parser.add_argument("--data", type=Path, default=None, help="recordings (../shared/edgar)")
    return parser


def arrivals_ahead(
    templates: Sequence[FilingTemplate], args: argparse.Namespace, *, start: float
) -> list[SimFiling]:
    """Filings arriving as a Poisson process at ``args.rate`` per simulated second
    over the run, and a burst of ``args.burst`` at one instant halfway through.
    Seeded, so runs compare; accession numbers are fresh (recycled templates)."""
    rng = random.Random(20250602)  # noqa: S311 -- a reproducible schedule, not a secret
    span = args.seconds * args.speed
    moments: list[float] = []
    moment = start
    while (moment := moment + rng.expovariate(args.rate)) < start + span:
        moments.append(moment)
    steady = [
        schedule_filing(recycled(templates[n % len(templates)], 1 + n // len(templates)), at)
        for n, at in enumerate(moments)
    ]
    halfway = start + span / 2
    burst = [
        schedule_filing(recycled(templates[n % len(templates)], BURST_ROUND), halfway)
        for n in range(args.burst)
    ]
    return steady + burst


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def resident_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of ``pid`` in KiB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def tail(bootstrap: str, topic: str, arrivals: dict[str, float], stop: asyncio.Event) -> None:
    """Note the real time at which each committed event can first be read."""
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap)
    while not (partitions := await topic_partitions(settings, topic)):  # noqa: ASYNC110
        await asyncio.sleep(0.2)  # the poller creates the topic; nothing to await but time
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        isolation_level="read_committed",
        enable_auto_commit=False,
        fetch_max_wait_ms=20,
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        for tp, offset in (await consumer.beginning_offsets(partitions)).items():
            consumer.seek(tp, offset)
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100)
            now = time.time()
            for records in batch.values():
                for record in records:
                    event = codec.decode(record.value, record.headers, FilingDiscovered)
                    arrivals.setdefault(event.filing.accession_number, now)
    finally:
        await consumer.stop()


async def bench(args: argparse.Namespace, bootstrap: str) -> None:
    data_dir = args.data or default_data_dir(ROOT)
    if data_dir is None:
        raise SystemExit("no recordings: pass --data DIR")
    real_origin = time.time()
    clock = ScaledClock(real_origin, speed=args.speed)
    options = SimulatorOptions(
        data_dir=Path(data_dir), rate=args.rate, backlog=20, loop=True, max_rate=10.0
    )
    sim = build_simulated_edgar(options, clock=clock)
    templates = list(sim.arrivals.templates) if sim.arrivals is not None else []
    sim.visible_count()  # the backlog is visible before the poller starts
    sim.arrivals = None  # from here on, the arrivals scheduled below

    def real_time(simulated: float) -> float:
        return real_origin + (simulated - real_origin) / float(args.speed)

    unique = uuid.uuid4().hex[:8]
    topic = f"bench-discovered-{unique}"
    async with running_simulator(sim) as running:
        env = {
            **os.environ,
            "EDGARMON_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "EDGARMON_TOPIC_DISCOVERED": topic,
            "EDGARMON_POLLER_TRANSACTIONAL_ID": f"bench-poller-{unique}",
            "EDGARMON_EDGAR_USER_AGENT": "Edgarmon Benchmark bench@example.com",
            "EDGARMON_EDGAR_BASE_URL": running.base_url,
            "EDGARMON_EDGAR_DATA_URL": running.base_url,
            "EDGARMON_WATCHLIST_CIKS": args.watchlist,
            "EDGARMON_HEALTH_PORT": "0",
            "EDGARMON_LOG_LEVEL": "warning",
        }
        poller = await start_module("edgarmon.poller", env, stdout=None, stderr=None, cwd=ROOT)
        arrivals: dict[str, float] = {}
        stop = asyncio.Event()
        tailer = asyncio.create_task(tail(bootstrap, topic, arrivals, stop))
        while not arrivals:  # noqa: ASYNC110 -- up once its first transaction is readable
            await asyncio.sleep(0.1)
        measured_from = time.time()
        requests_before = len(sim.requests)
        sim.add_filings(arrivals_ahead(templates, args, start=clock()))
        await asyncio.sleep(measured_from + args.seconds - time.time())
        measured_until = time.time()
        visible = {
            accession: real_time(at)
            for accession, at in sim.visibility().items()
            if measured_from <= real_time(at) <= measured_until
        }
        drain_until = time.time() + 30.0
        pending = [a for a in visible if a not in arrivals]
        while pending and time.time() < drain_until:
            await asyncio.sleep(0.2)
            pending = [a for a in pending if a not in arrivals]
        requests = len(sim.requests) - requests_before
        rss, peak = resident_kib(poller.pid)
        stop.set()
        await tailer
        poller.terminate()
        await poller.wait()
    report(args, visible=visible, arrivals=arrivals, requests=requests, rss=rss, peak=peak)


def delay_line(name: str, delays: Sequence[float]) -> str:
    if not delays:
        return f"  {name}: none"
    return (
        f"  {name} ({len(delays)} filings): p50 {percentile(delays, 0.5):.2f} s"
        f"  p99 {percentile(delays, 0.99):.2f} s  max {max(delays):.2f} s"
        f"  mean {statistics.fmean(delays):.2f} s"
    )


def report(
    args: argparse.Namespace,
    *,
    visible: dict[str, float],
    arrivals: dict[str, float],
    requests: int,
    rss: int,
    peak: int,
) -> None:
    delays = {a: arrivals[a] - at for a, at in visible.items() if a in arrivals}
    burst_prefix = f"{10 + BURST_ROUND:02d}"
    steady = [d for a, d in delays.items() if not a.startswith(burst_prefix)]
    burst = [d for a, d in delays.items() if a.startswith(burst_prefix)]
    print(f"poller benchmark: {args.seconds:.0f} s at 1 s polling, {args.rate} filings/s simulated")
    print(f"  speed {args.speed}x (1 = real time), burst of {args.burst} at mid-run")
    print(f"  filings visible in the window: {len(visible)}, reached Kafka: {len(delays)}")
    print("  detection delay, visible at the simulator -> readable (read_committed) in Kafka:")
    print(delay_line("steady arrivals", steady))
    print(delay_line("burst", burst))
    print(delay_line("all", list(delays.values())))
    if delays:
        print(f"  EDGAR requests: {requests}, per filing: {requests / len(delays):.3f}")
    print(f"  poller resident memory: {rss / 1024:.1f} MiB now, {peak / 1024:.1f} MiB peak")
    if len(delays) < len(visible):
        print(f"  NOT IN KAFKA after 30 s: {len(visible) - len(delays)}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # metadata chatter on new topics
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None if given else broker.start(broker.default_home(), log=lambda line: None)
    bootstrap = given or (handle.bootstrap_servers if handle else "")
    try:
        asyncio.run(bench(args, bootstrap))
    finally:
        if handle is not None:
            broker.stop(handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
