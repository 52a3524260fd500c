"""End-to-end latency of the whole pipeline, stage by stage: from the moment the
simulated EDGAR makes a filing visible to its alert reaching the Slack sink.

Runs the demo's pipeline (simulator -> poller -> classifier -> notifier, real Kafka
broker, local Slack and SMTP sinks) with every label routed immediately (no digests)
and the alerts spread over channels by company, so that Slack's per-channel limit does
not queue them. Featured filings (real documents that carry every label) keep arriving
for the whole run, one every ``--featured-every`` seconds, among the recorded feed's.

Each stage is timed from a timestamp that says when it happened:

- *visible*: the simulator's schedule (``SimFiling.visible_at``);
- *discovered*: the Kafka timestamp of the filing's record on the discovered topic;
- the classifier's own line per filing (``filing classified``): when it began the
  filing, how long it waited for the EDGAR budget, fetched and read; and per
  transaction (``batch committed``): when it committed, which is when the event
  became readable;
- *classified*: the Kafka timestamp of the classified record;
- *Slack*: when the Slack sink received the message.

Prints p50/p90/p99 and n of each stage, of visible -> Slack (all alerts, and those
found on the latest-filings feed apart from letters, which are found on company
feeds polled every few seconds), requests per filing, and peak memory.

    python benchmarks/pipeline_bench.py [--seconds 360] [--rate 2] [--featured-every 1.5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer

from edgarmon.core.adapters.kafka import topic_partitions
from edgarmon.core.logs import configure_logging
from edgarmon.core.settings import ServiceSettings
from edgarmon.demo.featured import Featured, repeated
from edgarmon.demo.pipeline import (
    DemoOptions,
    DemoRun,
    accessions_in,
    featured_filings,
    released_as_edgar_does,
    run_pipeline,
)
from edgarmon.demo.report import percentile
from edgarmon.devbroker import broker
from edgarmon.simulator.filings import LATE_RELEASE_FORMS, schedule_filing
from edgarmon.simulator.simulated_edgar import SimulatedEdgar

CHANNELS = 48
SHARED = broker.project_root().parent / "shared"
Scenario = Callable[[SimulatedEdgar, float], list[Featured]]
LETTER_LABELS = "[sec_correspondence]"
REPORT_LABELS = "[clinical_update, 8k_item_8_01]"


def featured_all_run(seconds: float, every: float) -> Scenario:
    """Featured filings (one per company: a company's second would share its channel)
    arriving one every ``every`` seconds for the whole run, each pass with fresh
    accession numbers, among the recorded feed's filings."""

    def scenario(sim: SimulatedEdgar, first: float) -> list[Featured]:
        featured = list(
            {
                item.template.companies[0].cik: item for item in featured_filings(SHARED, sim)
            }.values()
        )
        rounds = int(seconds / every / max(len(featured), 1)) + 1
        templates = repeated(featured, sim.recordings, rounds=rounds)
        sim.add_filings(
            schedule_filing(released_as_edgar_does(template, first), first + n * every)
            for n, template in enumerate(templates)
        )
        return featured

    return scenario


def spread_routes(sim: SimulatedEdgar, featured: list[Featured]) -> str:
    """Every label routed at once, spread over channels so that Slack's per-channel limit
    (one message a second) does not queue them: each featured company (they recur all
    run long) on channels of its own, the feed's companies over ``CHANNELS`` others;
    letters and 8-K labels apart (a company's 8-K and its letter may come together)."""
    buckets: dict[str, list[int]] = {}
    mine = list(dict.fromkeys(c.cik for item in featured for c in item.template.companies))
    for position, cik in enumerate(mine):
        buckets.setdefault(f"featured-{position}", []).append(cik)
    if sim.arrivals is not None:
        others = {c.cik for template in sim.arrivals.templates for c in template.companies}
        for cik in sorted(others - set(mine)):
            buckets.setdefault(f"feed-{cik % CHANNELS}", []).append(cik)
    routes = [
        f"  - name: {kind}-{bucket}\n"
        f"    match: {{labels: {labels}, ciks: {members}}}\n"
        f'    deliver: {{slack: ["#{kind}-{bucket}"]}}\n'
        for bucket, members in sorted(buckets.items())
        for kind, labels in (("letters", LETTER_LABELS), ("reports", REPORT_LABELS))
    ]
    return "version: 1\nroutes:\n" + "".join(routes)


@dataclass
class ServiceLines:
    """The classifier's per-filing and per-transaction log lines, kept as they are
    emitted (every other line is dropped)."""

    filings: dict[str, dict[str, Any]] = field(default_factory=dict)
    committed: dict[str, float] = field(default_factory=dict)
    alert_sent: dict[str, float] = field(default_factory=dict)
    """When the notifier logged ``alert sent`` (after Slack answered)."""

    def __call__(self, _logger: Any, _name: str, event: MutableMapping[str, Any]) -> Any:
        name = event.get("event")
        if name == "filing classified" and "accession_number" in event:
            self.filings.setdefault(str(event["accession_number"]), dict(event))
        elif name == "alert sent" and "accession_number" in event:
            self.alert_sent.setdefault(str(event["accession_number"]), time.time())
        elif name == "batch committed":
            for accession in event.get("events", ()):
                self.committed.setdefault(str(accession), float(event["committed_at"]))
        raise structlog.DropEvent


def capture_service_lines() -> ServiceLines:
    lines = ServiceLines()
    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, lines],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    return lines


async def record_times(settings: ServiceSettings, topic: str) -> dict[str, float]:
    """The Kafka timestamp (seconds) of each key's first committed record in ``topic``."""
    partitions = await topic_partitions(settings, topic)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        isolation_level="read_committed",
        enable_auto_commit=False,
    )
    await consumer.start()
    times: dict[str, float] = {}
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    if record.key is not None:
                        times.setdefault(record.key.decode(), record.timestamp / 1000)
            remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()
    return times


def line(name: str, values: list[float], unit: str = "s") -> str:
    if not values:
        return f"  {name:<44} no samples"
    scale, fmt = (1000.0, "7.1f") if unit == "ms" else (1.0, "6.2f")
    cells = "   ".join(
        f"p{int(q * 100)} {percentile(values, q) * scale:{fmt}} {unit}" for q in (0.5, 0.9, 0.99)
    )
    return f"  {name:<44} n={len(values):<5} {cells}"


def slack_waits(run: DemoRun, committed: dict[str, float], late: float = 0.2) -> str:
    """Why alerts reached Slack more than ``late`` seconds after their event was
    committed: their channel had a message less than a second before (Slack's
    per-channel limit: the notifier waits for the channel's slot), or not (they waited
    behind another alert's wait: the notifier delivers one alert at a time)."""
    previous: dict[str, float] = {}
    own = behind = 0
    for received, post in sorted(run.deliveries.slack, key=lambda item: item[0]):
        for accession in accessions_in(post):
            if accession in committed and received - committed[accession] > late:
                if received - previous.get(post.channel, 0.0) < 1.05:
                    own += 1
                else:
                    behind += 1
        previous[post.channel] = received
    return (
        f"alerts later than {late * 1000:.0f} ms after their commit: {own} waited for their "
        f"own channel's slot (1/s per channel), {behind} behind another channel's wait"
    )


async def measure(run: DemoRun, bootstrap: str, lines: ServiceLines) -> None:
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap)
    visible = run.sim.visibility()
    discovered = await record_times(settings, run.topics["topic_discovered"])
    classified = await record_times(settings, run.topics["topic_classified"])
    up = min(discovered.values(), default=0.0)
    fresh = {a: t for a, t in visible.items() if t >= up}  # after the start-up backlog
    slack: dict[str, float] = {}
    for received, post in run.deliveries.slack:
        for accession in accessions_in(post):
            slack.setdefault(accession, received)
    alerts = [a for a in slack if a in fresh and a in discovered]

    def stage(start: dict[str, float], end: dict[str, float], among: list[str]) -> list[float]:
        return [end[a] - start[a] for a in among if a in start and a in end]

    started = {a: float(e["started_at"]) for a, e in lines.filings.items() if "started_at" in e}
    handled = {a: float(e["handled_at"]) for a, e in lines.filings.items() if "handled_at" in e}

    def spent(key: str) -> list[float]:
        return [float(lines.filings[a][key]) for a in alerts if key in lines.filings.get(a, {})]

    def form(accession: str) -> str:
        found = run.sim.find(accession)
        return found.form_type if found is not None else ""

    letters = [a for a in alerts if form(a) in LATE_RELEASE_FORMS]
    on_feed = [a for a in alerts if form(a) not in LATE_RELEASE_FORMS]
    print(f"filings made visible after start-up: {len(fresh)}; alerted: {len(alerts)}")
    print("per stage, alerted filings only:")
    print(line("visible -> discovered (record timestamp)", stage(visible, discovered, alerts)))
    print(line("discovered -> classified record", stage(discovered, classified, alerts)))
    print(line("discovered -> classified (committed)", stage(discovered, lines.committed, alerts)))
    print(line("  discovered -> classifier starts on it", stage(discovered, started, alerts)))
    print(line("  waiting for the EDGAR request budget", spent("budget_wait_seconds")))
    print(line("  fetching (budget wait excluded)", spent("fetch_seconds")))
    print(line("  reading and classifying (worker)", spent("read_seconds")))
    print(line("  handled -> transaction committed", stage(handled, lines.committed, alerts)))
    print(line("classified record -> Slack sink", stage(classified, slack, alerts), "ms"))
    print(line("classified (committed) -> Slack sink", stage(lines.committed, slack, alerts), "ms"))
    print(line("  latest-feed filings", stage(lines.committed, slack, on_feed), "ms"))
    print(
        line(
            "  committed -> notifier's 'alert sent'",
            stage(lines.committed, lines.alert_sent, alerts),
            "ms",
        )
    )
    print("end to end:")
    print(line("visible -> Slack, every alert", stage(visible, slack, alerts)))
    print(line("visible -> Slack, latest-feed filings", stage(visible, slack, on_feed)))
    print(line("visible -> Slack, letters (company feeds)", stage(visible, slack, letters)))
    print(line("visible -> discovered, latest-feed filings", stage(visible, discovered, on_feed)))
    print(line("visible -> discovered, every filing", stage(visible, discovered, list(fresh))))
    requests = run.sim.request_count("/Archives/edgar/data/")
    with_documents = [e for e in lines.filings.values() if int(e.get("requests", 0)) > 0]
    print(
        f"EDGAR requests: {run.sim.request_count('/')} in all, "
        f"{run.sim.request_count('/') / max(len(discovered), 1):.2f} per published filing; "
        f"the classifier's {requests} for {len(with_documents)} filings that needed documents: "
        f"{requests / max(len(with_documents), 1):.2f} per such filing"
    )
    print(slack_waits(run, lines.committed))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the one process running all three services: {peak:.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=360.0)
    parser.add_argument("--rate", type=float, default=2.0, help="feed filings per second")
    parser.add_argument(
        "--featured-every", type=float, default=1.5, help="seconds between featured filings"
    )
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    lines = capture_service_lines()
    shared = SHARED
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None if given else broker.start(broker.default_home(), log=lambda _: None)
    bootstrap = given or (handle.bootstrap_servers if handle else "")
    try:
        options = DemoOptions(
            shared=Path(shared),
            bootstrap_servers=bootstrap,
            seconds=args.seconds,
            rate=args.rate,
            featured_every=args.featured_every,
            topic_suffix=f".bench-{os.getpid()}",
            routes_for=spread_routes,
            scenario=featured_all_run(args.seconds, args.featured_every),
            stop_when_featured_alerted=False,
        )
        print(
            f"{args.seconds:.0f} s: {args.rate:g} feed filings/s and a featured filing every "
            f"{args.featured_every:g} s (one per company), alerts spread over Slack channels"
        )
        run = asyncio.run(run_pipeline(options, printer=lambda _: None))
        asyncio.run(measure(run, bootstrap, lines))
    finally:
        if handle is not None:
            broker.stop(handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
