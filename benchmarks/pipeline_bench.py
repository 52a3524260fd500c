"""End-to-end latency of the whole pipeline: from the moment the simulated EDGAR
makes a filing visible to its alert reaching the Slack sink.

Runs the demo's pipeline (simulator -> poller -> classifier -> notifier, real Kafka
broker, local Slack and SMTP sinks) for a fixed time with every label routed
immediately (no digests), so each labelled filing yields one timed alert. Prints
p50/p90/p99 of the latency to Kafka and to Slack, requests per filing, and the
process's peak resident memory (all services share this one process).

    python benchmarks/pipeline_bench.py [--seconds 90] [--rate 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
from pathlib import Path

from edgarmon.core.kafka import replay_topic
from edgarmon.core.logs import configure_logging
from edgarmon.core.messages import FilingDiscovered
from edgarmon.core.settings import ServiceSettings
from edgarmon.demo.pipeline import DemoOptions, DemoRun, accessions_in, run_pipeline
from edgarmon.demo.report import percentile
from edgarmon.devbroker import broker

IMMEDIATE_ROUTES = """\
version: 1
routes:
  - name: everything-labelled
    match: {labels: [sec_correspondence, clinical_update, 8k_item_8_01]}
    deliver: {slack: ["#all-alerts"]}
"""


def _line(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:<34} no samples"
    return (
        f"{name:<34} n={len(values):<4} p50 {percentile(values, 0.5):6.2f} s   "
        f"p90 {percentile(values, 0.9):6.2f} s   p99 {percentile(values, 0.99):6.2f} s"
    )


async def measure(run: DemoRun, bootstrap: str) -> None:
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap)
    visible = run.sim.visibility()
    discovered = [
        m async for m in replay_topic(settings, run.topics["topic_discovered"], FilingDiscovered)
    ]
    up = min((m.discovered_at.timestamp() for m in discovered), default=0.0)
    to_kafka = [
        m.discovered_at.timestamp() - visible[m.filing.accession_number]
        for m in discovered
        if visible.get(m.filing.accession_number, 0.0) >= up
    ]
    first: dict[str, float] = {}
    for received, post in run.deliveries.slack:
        for accession in accessions_in(post):
            first.setdefault(accession, received)
    to_slack = [t - visible[a] for a, t in first.items() if visible.get(a, 0.0) >= up]
    requests = run.sim.request_count("/")
    print(f"filings visible after start-up: {sum(1 for t in visible.values() if t >= up)}")
    print(_line("visible -> discovered topic", to_kafka))
    print(_line("visible -> Slack sink", to_slack))
    print(f"EDGAR requests per published filing: {requests / max(len(discovered), 1):.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the one process running all three services: {peak:.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--rate", type=float, default=2.0, help="filings per second")
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    shared = broker.project_root().parent / "shared"
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None if given else broker.start(broker.default_home(), log=lambda _: None)
    bootstrap = given or (handle.bootstrap_servers if handle else "")
    try:
        options = DemoOptions(
            shared=Path(shared),
            bootstrap_servers=bootstrap,
            seconds=args.seconds,
            rate=args.rate,
            topic_suffix=f".bench-{os.getpid()}",
            routes_yaml=IMMEDIATE_ROUTES,
            stop_when_featured_alerted=False,
        )
        run = asyncio.run(run_pipeline(options, printer=lambda _: None))
        asyncio.run(measure(run, bootstrap))
    finally:
        if handle is not None:
            broker.stop(handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
