"""Notifier benchmarks: route matching with 10,000 routes, and end-to-end latency.

**Route matching.** Builds a synthetic but EDGAR-shaped workload (seeded, so runs
compare): routes that watch companies by CIK, watch 8-K items, forms, labels or
keywords, or combine them; filings with EDGAR's form mix (Form 4 and 8-K heavy),
labels on a fraction, and evidence text. Then it times, over repeated runs,
reading a filing's facts and matching it through the index, and reports filings
per second and per-filing latency percentiles. A full scan of every route is
timed on a sample for comparison.

**End to end.** Runs the notifier as a process (``python -m edgarmon.notifier``)
against the real broker and the local Slack sink, produces ``FilingClassified``
records at a steady pace and reports, at p50 and p99, the time from a record
being produced to its message reaching the sink, and the time from the message
reaching the sink to its ``AlertSent`` being readable in the ledger topic (an
upper bound of the crash window in which a restart could send it again). The
filings go to 50 channels, so the per-channel rate limit (1 msg/s) is kept
without queueing. It starts its own broker unless
``EDGARMON_KAFKA_BOOTSTRAP_SERVERS`` is set. (The full simulator -> Slack
latency is the pipeline demo's to measure.)

Usage: ``python benchmarks/notifier_bench.py [--routes 10000] [--filings 2000] [--runs 5]
[--e2e-filings 300] [--e2e-interval-ms 20] [--skip-matching | --skip-e2e]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from aiokafka import AIOKafkaConsumer

from edgarmon.core.adapters.kafka import Publisher, ensure_topics, open_producer, topic_partitions
from edgarmon.core.domain.filing import Company, Filing
from edgarmon.core.domain.messages import (
    ClinicalDetails,
    ClinicalUpdateLabel,
    CorrespondenceDetails,
    CorrespondenceLabel,
    Evidence,
    FilingClassified,
    Item801Details,
    Item801Label,
    ItemSource,
    LetterDirection,
)
from edgarmon.devbroker import broker
from edgarmon.notifier.domain.route_matching import FilingFacts, RouteIndex, route_matches
from edgarmon.notifier.domain.routes import DigestPolicy, Route, parse_routes
from edgarmon.notifier.service import notifier_topics
from edgarmon.notifier.settings import NotifierSettings
from edgarmon.sinks.slack_server import SlackPost, SlackSink
from edgarmon.testing.processes import start_module

FORMS = ["4", "8-K", "10-Q", "SC 13G", "424B2", "10-K", "S-1", "UPLOAD", "CORRESP", "6-K"]
FORM_WEIGHTS = [40, 9, 8, 6, 12, 3, 1, 1, 1, 5]
ITEMS = ["1.01", "2.02", "5.02", "7.01", "8.01", "9.01"]
WORDS = [
    *("phase", "trial", "results", "merger", "acquisition", "gastric", "cancer", "oncology"),
    *("dose", "patients", "study", "revenue", "guidance", "comment", "letter", "review"),
    *("disclosure", "agreement", "financing", "offering"),
    *(f"term{n}" for n in range(500)),
]
RARE_FORMS = ["S-1", "10-K", "UPLOAD", "CORRESP", "SC 13D", "8-K"]
DRUGS = ["huC242-DM4", "mirvetuximab", "pembrolizumab", "nivolumab", "trastuzumab"]


def make_routes(count: int, ciks: Sequence[int], rng: random.Random) -> tuple[Route, ...]:
    specs: list[dict[str, Any]] = []
    for position in range(count):
        kind = rng.random()
        match: dict[str, Any]
        if kind < 0.55:
            match = {"ciks": rng.sample(list(ciks), rng.randint(1, 20))}
        elif kind < 0.70:
            match = {"ciks": rng.sample(list(ciks), 5), "forms": ["8-K"], "items": ["8.01"]}
        elif kind < 0.80:
            match = {"keywords": [" ".join(rng.sample(WORDS, 2))]}
        elif kind < 0.88:
            match = {"items": rng.sample(ITEMS, 2), "amendments": "exclude"}
        elif kind < 0.95:
            match = {"forms": rng.sample(RARE_FORMS, 1), "keywords": [rng.choice(WORDS)]}
        else:
            match = {"labels": [rng.choice(["clinical_update", "sec_correspondence"])]}
        specs.append({"name": f"route-{position}", "match": match, "deliver": {"slack": ["#x"]}})
    default = DigestPolicy(interval_seconds=3600, max_alerts=50)
    return parse_routes({"routes": specs}, tickers=None, default_digest=default)


def make_filing(serial: int, ciks: Sequence[int], rng: random.Random) -> FilingClassified:
    form = rng.choices(FORMS, FORM_WEIGHTS)[0]
    if rng.random() < 0.05:
        form += "/A"
    accession = f"{rng.randint(1, 9_999_999_999):010d}-24-{serial:06d}"
    companies = tuple(
        Company(cik=cik, name=f"Company {cik} Inc.", role="Filer")
        for cik in rng.sample(list(ciks), rng.randint(1, 3))
    )
    items = tuple(sorted(rng.sample(ITEMS, 2))) if form.startswith("8-K") else ()
    labels: list[Any] = []
    text = " ".join(rng.choices(WORDS, k=60))
    if "8.01" in items:
        labels.append(
            Item801Label(
                confidence=0.95,
                evidence=(Evidence(source="document:8-K", text="Item 8.01 Other Events"),),
                details=Item801Details(items=items, decided_by=ItemSource.DOCUMENT),
            )
        )
        if rng.random() < 0.3:
            labels.append(
                ClinicalUpdateLabel(
                    confidence=0.9,
                    evidence=(Evidence(source="document:EX-99.1", text=text),),
                    details=ClinicalDetails(
                        drugs=(rng.choice(DRUGS),), decisive_sentences=(text[:200],)
                    ),
                )
            )
    if form in {"UPLOAD", "CORRESP"}:
        labels.append(
            CorrespondenceLabel(
                confidence=0.97,
                evidence=(Evidence(source="document:LETTER", text=text),),
                details=CorrespondenceDetails(direction=LetterDirection.SEC_TO_COMPANY),
            )
        )
    filing = Filing(
        accession_number=accession,
        form_type=form,
        companies=companies,
        items=items,
        accepted_at=datetime(2024, 6, 3, 16, 0, tzinfo=UTC),
        filing_date=date(2024, 6, 3),
        index_url=f"https://www.sec.gov/Archives/edgar/data/{companies[0].cik}/x-index.htm",
    )
    return FilingClassified(
        filing=filing,
        items=items,
        labels=tuple(labels),
        classified_at=datetime(2024, 6, 3, 16, 0, 5, tzinfo=UTC),
        classifier_version="bench",
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_matching(route_count: int, filing_count: int, runs: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 -- a seeded workload, not a secret
    ciks = rng.sample(range(1_000_000, 2_000_000), 8000)
    started = time.perf_counter()
    routes = make_routes(route_count, ciks, rng)
    validated = time.perf_counter() - started
    started = time.perf_counter()
    index = RouteIndex(routes)
    indexed = time.perf_counter() - started
    filings = [make_filing(i, ciks, rng) for i in range(filing_count)]

    latencies: list[float] = []
    throughputs: list[float] = []
    matched = 0
    for _ in range(runs):
        run_started = time.perf_counter()
        for classified in filings:
            one = time.perf_counter()
            facts = FilingFacts.of(classified)
            found = index.match_facts(facts)
            latencies.append(time.perf_counter() - one)
            matched += len(found)
        throughputs.append(filing_count / (time.perf_counter() - run_started))
    candidates = sum(len(index.candidates(FilingFacts.of(f))) for f in filings) * runs

    sample = filings[:100]
    started = time.perf_counter()
    for classified in sample:
        facts = FilingFacts.of(classified)
        [route for route in routes if route_matches(route, facts)]
    scan_per_filing = (time.perf_counter() - started) / len(sample)

    total = filing_count * runs
    print(f"routes: {route_count:,} (validated in {validated:.2f} s, indexed in {indexed:.3f} s)")
    print(f"filings: {filing_count:,} x {runs} runs")
    print(
        "throughput (filings/s): "
        f"median {statistics.median(throughputs):,.0f}, "
        f"min {min(throughputs):,.0f}, max {max(throughputs):,.0f}"
    )
    print(
        "latency per filing (µs): "
        f"p50 {percentile(latencies, 0.50) * 1e6:.1f}, "
        f"p90 {percentile(latencies, 0.90) * 1e6:.1f}, "
        f"p99 {percentile(latencies, 0.99) * 1e6:.1f}, "
        f"max {max(latencies) * 1e6:.1f}"
    )
    print(f"routes checked per filing: {candidates / total:.1f} of {route_count:,}")
    print(f"routes matched per filing: {matched / total:.2f}")
    print(
        f"full scan for comparison: {scan_per_filing * 1e6:,.0f} µs per filing "
        f"({scan_per_filing / max(statistics.median(latencies), 1e-9):.0f}x the indexed median)"
    )


E2E_CHANNELS = 50
E2E_WARMUP = 20
E2E_TOKEN = "xoxb-bench"  # noqa: S105 -- the local sink's token
E2E_BASE_CIK = 2_000_000


def e2e_filing(serial: int) -> FilingClassified:
    cik = E2E_BASE_CIK + serial % E2E_CHANNELS
    filing = Filing(
        accession_number=f"0009999999-26-{serial:06d}",
        form_type="8-K",
        companies=(Company(cik=cik, name=f"Bench {cik} Inc.", role="Filer"),),
        items=("8.01",),
        accepted_at=datetime(2026, 1, 5, 16, 0, tzinfo=UTC),
        filing_date=date(2026, 1, 5),
        index_url=f"https://www.sec.gov/Archives/edgar/data/{cik}/x-index.htm",
    )
    return FilingClassified(
        filing=filing,
        items=("8.01",),
        classified_at=datetime(2026, 1, 5, 16, 0, 5, tzinfo=UTC),
        classifier_version="bench",
    )


def e2e_settings(bootstrap: str, folder: Path) -> NotifierSettings:
    routes = [
        {
            "name": f"company-{k}",
            "match": {"ciks": [E2E_BASE_CIK + k]},
            "deliver": {"slack": [f"#bench-{k}"]},
        }
        for k in range(E2E_CHANNELS)
    ]
    routes_file = folder / "routes.yaml"
    routes_file.write_text(yaml.safe_dump({"routes": routes}))
    suffix = uuid.uuid4().hex[:8]
    return NotifierSettings(
        kafka_bootstrap_servers=bootstrap,
        topic_classified=f"bench-classified-{suffix}",
        topic_alerts_sent=f"bench-sent-{suffix}",
        topic_deadletter=f"bench-dlq-{suffix}",
        notifier_group_id=f"bench-notifier-{suffix}",
        routes_file=routes_file,
    )


def notifier_env(settings: NotifierSettings, api_url: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EDGARMON_SECRETS_DIR": str(folder / "no-secrets"),
        "EDGARMON_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "EDGARMON_KAFKA_CREATE_TOPICS": "false",
        "EDGARMON_TOPIC_CLASSIFIED": settings.topic_classified,
        "EDGARMON_TOPIC_ALERTS_SENT": settings.topic_alerts_sent,
        "EDGARMON_TOPIC_DEADLETTER": settings.topic_deadletter,
        "EDGARMON_NOTIFIER_GROUP_ID": settings.notifier_group_id,
        "EDGARMON_ROUTES_FILE": str(settings.routes_file),
        "EDGARMON_SLACK_API_URL": api_url,
        "EDGARMON_SLACK_BOT_TOKEN": E2E_TOKEN,
        "EDGARMON_HEALTH_PORT": "0",
        "EDGARMON_LOG_LEVEL": "warning",
    }


async def tail_ledger(
    settings: NotifierSettings, seen: dict[str, float], expected: int, done: asyncio.Event
) -> None:
    """Note when each ledger key becomes readable (read_committed)."""
    partitions = await topic_partitions(settings, settings.topic_alerts_sent)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, isolation_level="read_committed"
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        for partition in partitions:
            consumer.seek(partition, 0)
        while len(seen) < expected:
            batch = await consumer.getmany(timeout_ms=100)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    seen.setdefault(record.key.decode(), now)
        done.set()
    finally:
        await consumer.stop()


async def measure_end_to_end(bootstrap: str, count: int, interval: float) -> None:
    arrived: dict[str, float] = {}

    def on_post(post: SlackPost) -> None:
        arrived[post.metadata["event_payload"]["accession_number"]] = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="edgarmon-bench-") as folder:
        settings = e2e_settings(bootstrap, Path(folder))
        await ensure_topics(settings, notifier_topics(settings))
        ledger_seen: dict[str, float] = {}
        ledger_done = asyncio.Event()
        tail = asyncio.create_task(
            tail_ledger(settings, ledger_seen, E2E_WARMUP + count, ledger_done)
        )
        produced: dict[str, float] = {}
        async with (
            SlackSink(token=E2E_TOKEN, channels=None, echo=on_post) as slack,
            open_producer(settings) as producer,
        ):
            log = (Path(folder) / "notifier.log").open("wb")
            env = notifier_env(settings, slack.api_url, Path(folder))
            notifier = await start_module("edgarmon.notifier", env, stdout=log, stderr=log)
            publisher = Publisher(producer, source="/edgarmon/bench")
            started = time.perf_counter()
            for serial in range(E2E_WARMUP + count):
                filing = e2e_filing(serial)
                produced[filing.filing.accession_number] = time.perf_counter()
                await publisher.publish(settings.topic_classified, filing)
                if serial == 0:  # the first one waits for the notifier to start
                    async with asyncio.timeout(60):
                        await slack.wait_for_posts(1)
                    startup = time.perf_counter() - started
                await asyncio.sleep(interval)
            async with asyncio.timeout(120):
                await slack.wait_for_posts(E2E_WARMUP + count)
            notifier.send_signal(signal.SIGTERM)
            await notifier.wait()
            log.close()
        async with asyncio.timeout(60):
            await ledger_done.wait()
        await tail
    measured = [f"0009999999-26-{serial:06d}" for serial in range(E2E_WARMUP, E2E_WARMUP + count)]
    latency = [arrived[a] - produced[a] for a in measured]
    window = [
        ledger_seen[f"{a}|company-{serial % E2E_CHANNELS}|#bench-{serial % E2E_CHANNELS}"]
        - arrived[a]
        for serial, a in enumerate(measured, start=E2E_WARMUP)
    ]
    print(f"notifier start-up (process start to first post): {startup:.2f} s")
    print(
        f"filings: {count} after {E2E_WARMUP} warm-up, one every {interval * 1000:.0f} ms, "
        f"{E2E_CHANNELS} channels; notifier exit code {notifier.returncode}"
    )
    print(
        "produced -> Slack sink (ms): "
        f"p50 {percentile(latency, 0.50) * 1000:.1f}, p90 {percentile(latency, 0.90) * 1000:.1f}, "
        f"p99 {percentile(latency, 0.99) * 1000:.1f}, max {max(latency) * 1000:.1f}"
    )
    print(
        "Slack sink -> AlertSent readable (crash window bound, ms): "
        f"p50 {percentile(window, 0.50) * 1000:.1f}, p99 {percentile(window, 0.99) * 1000:.1f}, "
        f"max {max(window) * 1000:.1f}"
    )


def run_end_to_end(count: int, interval: float) -> None:
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None
    if not given:
        handle = broker.start(broker.default_home(), log=lambda line: print(line, file=sys.stderr))
        print(f"started a broker at {handle.bootstrap_servers} in {handle.startup_seconds:.1f} s")
    try:
        asyncio.run(measure_end_to_end(given or handle.bootstrap_servers, count, interval))  # type: ignore[union-attr]
    finally:
        if handle is not None:
            broker.stop(handle)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--routes", type=int, default=10_000)
    parser.add_argument("--filings", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240603)
    parser.add_argument("--e2e-filings", type=int, default=300)
    parser.add_argument("--e2e-interval-ms", type=float, default=20.0)
    skip = parser.add_mutually_exclusive_group()
    skip.add_argument("--skip-matching", action="store_true")
    skip.add_argument("--skip-e2e", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_matching:
        print("== route matching ==")
        run_matching(args.routes, args.filings, args.runs, args.seed)
    if not args.skip_e2e:
        print("== end to end: FilingClassified produced -> Slack sink ==")
        run_end_to_end(args.e2e_filings, args.e2e_interval_ms / 1000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
