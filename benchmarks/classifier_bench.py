"""Benchmark the classifier: its pure core, and the running service through Kafka.

Two core workloads, each run many times so that the figures are distributions, not
single timings:

- metadata-only: filings whose labels are decided from the discovered event
  (a 10-Q, a Form 4, an 8-K with known items): plan, then classify, no document;
- HTML exhibits: 8-K filings with one real HTML document each (the EX-99 press
  releases and 8-K bodies in ``../shared``), read from bytes and classified.

Then the service end to end (``--service-filings N``, 0 to skip): N metadata-only
discovered events are produced to a real broker, and the service (``serve``, as
deployed: transactional consume-classify-produce) classifies them; it prints
filings/second end to end (from start-up, group join included) and in steady state
(first to last classified event seen by a ``read_committed`` reader), for each
``--batch-sizes`` value. It starts its own broker (``edgarmon broker`` machinery)
unless ``EDGARMON_KAFKA_BOOTSTRAP_SERVERS`` names one.

Usage: ``python benchmarks/classifier_bench.py [--runs 15] [--shared PATH]
[--service-filings 5000] [--batch-sizes 10,100] [--html-only] [--baseline CHECKOUT]``.
Prints filings/second (documents/second for the HTML exhibits, on one core: the core
is single-threaded) as percentiles over the runs (and the p90/p10 spread), per-filing
(per-document) latency percentiles with their n, and ``ru_maxrss`` after each workload.
``--baseline`` measures an older commit's classifier (``git worktree add /tmp/bench-base
<commit>``) on the same HTML exhibits in a child process, a pass of each in turn, so
that a before/after ratio is not two moments' load on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from prometheus_client import CollectorRegistry

from edgarmon.classifier.domain.classify import classify
from edgarmon.classifier.domain.document_reading import read_fetched
from edgarmon.classifier.domain.planning import needs_documents
from edgarmon.classifier.service import serve
from edgarmon.classifier.settings import ClassifierSettings
from edgarmon.core.adapters.health import Health
from edgarmon.core.adapters.kafka import Outgoing, Publisher, ensure_topics, open_producer
from edgarmon.core.domain.filing import EASTERN, Company, Document, Filing
from edgarmon.core.domain.messages import DiscoverySource, FilingDiscovered
from edgarmon.core.domain.topics import public_topics
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.core.logs import configure_logging
from edgarmon.devbroker import broker

FORMS = (("10-Q", ()), ("4", ()), ("8-K", ("5.02",)), ("8-K", ("8.01", "9.01")), ("SC 13G", ()))
METADATA_FORMS = tuple(form for form in FORMS if "8.01" not in form[1])
FALLBACK_EXHIBIT = (
    b"<html><body><p>Exhibit 99.1</p><p>Example Bio Announces First Patient Dosed in Phase 1 "
    b"Trial of EXB-101</p><p>BOSTON, May 1, 2031 -- Example Bio today announced that the first "
    b"patient was dosed in its Phase 1 trial of EXB-101 in patients with solid tumors.</p>"
    b"</body></html>"
)


def make_filing(number: int, form_type: str, items: tuple[str, ...]) -> Filing:
    accession = f"0009{number:06d}-31-{number % 1_000_000:06d}"
    return Filing(
        accession_number=accession,
        form_type=form_type,
        companies=(Company(cik=1000 + number, name=f"Company {number}", role="Filer"),),
        items=items,
        accepted_at=datetime(2031, 1, 2, 9, 30, tzinfo=EASTERN),
        filing_date=date(2031, 1, 2),
        index_url=f"https://www.sec.gov/Archives/edgar/data/{1000 + number}/x/"
        f"{accession}-index.htm",
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def maxrss_mib() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def one_pass(count: int, one: Callable[[int], object]) -> list[float]:
    """Seconds each of ``count`` calls of ``one`` took, one after the other."""
    latencies: list[float] = []
    for index in range(count):
        begun = time.perf_counter()
        one(index)
        latencies.append(time.perf_counter() - begun)
    return latencies


def report(
    name: str, passes: Sequence[Sequence[float]], unit: str = "filings", rss: bool = True
) -> None:
    """Rates over the passes (items / the pass's summed latencies) and latency percentiles."""
    rates = [len(latencies) / sum(latencies) for latencies in passes]
    p10, p50, p90 = (percentile(rates, f) for f in (0.1, 0.5, 0.9))
    print(
        f"{name}: {len(passes)} runs x {len(passes[0])} {unit}; {unit}/s (one core) "
        f"p10={p10:,.0f} p50={p50:,.0f} p90={p90:,.0f} (p90/p10 {p90 / p10:.2f}, "
        f"stdev {statistics.pstdev(rates):,.0f})"
    )
    lat = [1000 * x for latencies in passes for x in latencies]
    print(
        f"  per {unit[:-1]} ms (n={len(lat)}): p50={percentile(lat, 0.5):.3f} "
        f"p90={percentile(lat, 0.9):.3f} p99={percentile(lat, 0.99):.3f} max={max(lat):.3f}"
    )
    if rss:
        print(f"  ru_maxrss after: {maxrss_mib():.1f} MiB")


def measure(
    name: str, runs: int, count: int, one: Callable[[int], object], unit: str = "filings"
) -> None:
    report(name, [one_pass(count, one) for _ in range(runs)], unit)


def html_documents(shared: Path) -> list[tuple[str, bytes]]:
    found = [
        *sorted((shared / "clinical").glob("*.htm*")),
        *sorted((shared / "edgar" / "filings" / "8k" / "item8.01").glob("*.htm")),
    ]
    documents = [(path.name, path.read_bytes()) for path in found]
    return documents or [("ex99-1.htm", FALLBACK_EXHIBIT)]


@contextlib.contextmanager
def kafka_bootstrap() -> Iterator[str]:
    """The broker named by EDGARMON_KAFKA_BOOTSTRAP_SERVERS, or one started for the run."""
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    if given:
        yield given
        return
    handle = broker.start(broker.default_home(), log=lambda line: None)
    print(f"broker started at {handle.bootstrap_servers} in {handle.startup_seconds:.1f} s")
    try:
        yield handle.bootstrap_servers
    finally:
        broker.stop(handle)


async def classified_times(settings: ClassifierSettings, count: int) -> list[float]:
    """When each of the first ``count`` classified events became visible (read_committed)."""
    consumer = AIOKafkaConsumer(
        settings.topic_classified,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=f"bench-reader-{uuid.uuid4().hex[:8]}",
        isolation_level="read_committed",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen: list[float] = []
    try:
        while len(seen) < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            now = time.perf_counter()
            seen.extend(now for records in batch.values() for _ in records)
    finally:
        await consumer.stop()
    return seen


async def service_run(base: ClassifierSettings, count: int, batch_size: int) -> None:
    """Classify the ``count`` events of ``base.topic_discovered`` with a fresh group."""
    run_id = uuid.uuid4().hex[:8]
    settings = base.model_copy(
        update={
            "topic_classified": f"bench-classified-{run_id}",
            "consumer_group": f"bench-classifier-{run_id}",
            "transactional_id": f"bench-classifier-{run_id}",
            "consumer_batch_size": batch_size,
        }
    )
    await ensure_topics(settings, public_topics(settings))
    runtime = ServiceRuntime(
        name="classifier", registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )
    started = time.perf_counter()
    reader = asyncio.create_task(classified_times(settings, count))
    service = asyncio.create_task(serve(settings, runtime))
    try:
        times = await asyncio.wait_for(reader, timeout=600)
    finally:
        runtime.shutdown.request("benchmark over")
        await asyncio.wait_for(service, timeout=60)
    end_to_end = count / (times[-1] - started)
    steady = (count - 1) / max(times[-1] - times[0], 1e-9)
    print(
        f"service, batch {batch_size}: {count} filings; end to end {end_to_end:,.0f} filings/s "
        f"(start-up and group join included, {times[0] - started:.2f} s to the first); "
        f"steady {steady:,.0f} filings/s; ru_maxrss {maxrss_mib():.1f} MiB"
    )


async def measure_service(bootstrap: str, count: int, batch_sizes: Sequence[int]) -> None:
    run_id = uuid.uuid4().hex[:8]
    settings = ClassifierSettings(
        kafka_bootstrap_servers=bootstrap,
        topic_discovered=f"bench-discovered-{run_id}",
        topic_deadletter=f"bench-dlq-{run_id}",
        edgar_user_agent="Edgarmon Benchmark bench@example.com",
        health_port=0,
    )
    await ensure_topics(settings, public_topics(settings))
    discovered_at = datetime(2031, 1, 2, 15, 0, tzinfo=UTC)
    events = [
        Outgoing(
            settings.topic_discovered,
            FilingDiscovered(
                filing=make_filing(i, *METADATA_FORMS[i % len(METADATA_FORMS)]),
                source=DiscoverySource.LATEST_FEED,
                discovered_at=discovered_at,
            ),
        )
        for i in range(count)
    ]
    async with open_producer(settings) as producer:
        await Publisher(producer, source="/edgarmon/bench").publish_all(events)
    print(
        f"service: {count} metadata-only discovered events on {settings.kafka_topic_partitions} "
        "partitions; one in-process replica, transactional"
    )
    for batch_size in batch_sizes:
        await service_run(settings, count, batch_size)


def measure_against(
    checkout: Path, runs: int, shared: Path, mine: Callable[[], list[float]]
) -> None:
    """This checkout's passes over the HTML exhibits and an older ``checkout``'s, taken in
    turns (its classifier runs in a child process, one pass per request), so that both
    see the same load of a shared machine. Both have a pass to warm up first."""
    paths = [checkout / "src", checkout / "services" / "classifier"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))}
    command = [sys.executable, __file__, "--serve-passes", "--shared", str(shared)]
    with subprocess.Popen(  # noqa: S603
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdin is not None
        assert child.stdout is not None
        theirs: list[list[float]] = []
        ours: list[list[float]] = []
        for _ in range(runs):
            child.stdin.write("pass\n")
            child.stdin.flush()
            theirs.append(json.loads(child.stdout.readline()))
            ours.append(mine())
        child.stdin.close()
    print(f"baseline {checkout} (commit {_commit(checkout)}), in turns with this checkout:")
    report("  html exhibits, baseline", theirs, unit="documents", rss=False)
    report("  html exhibits, this checkout", ours, unit="documents")
    ratio = statistics.median(map(sum, theirs)) / statistics.median(map(sum, ours))
    print(f"  median pass time, baseline / this checkout: {ratio:.2f}x")


def serve_passes(one: Callable[[int], object], count: int) -> None:
    """For ``--baseline``: a pass over the exhibits per line read, its latencies printed."""
    one_pass(count, one)
    for _ in sys.stdin:
        print(json.dumps(one_pass(count, one)), flush=True)


def _commit(checkout: Path) -> str:
    head = subprocess.run(  # noqa: S603
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() or "unknown"


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--metadata-filings", type=int, default=5000)
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    parser.add_argument("--service-filings", type=int, default=5000, help="0: skip")
    parser.add_argument("--batch-sizes", default="10,100", help="consumer batch sizes to try")
    parser.add_argument("--html-only", action="store_true", help="only the HTML exhibits")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of an older commit (git worktree add): its classifier is measured "
        "on the same HTML exhibits in a child process, pass for pass in turns with this one",
    )
    parser.add_argument("--serve-passes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv))
    if not args.serve_passes:
        print(f"python {sys.version.split()[0]}; ru_maxrss at start: {maxrss_mib():.1f} MiB")

    if not (args.html_only or args.serve_passes):
        metadata = [make_filing(i, *FORMS[i % len(FORMS)]) for i in range(args.metadata_filings)]

        def metadata_only(index: int) -> object:
            filing = metadata[index]
            needs_documents(filing)
            return classify(filing)

        measure("metadata-only", args.runs, len(metadata), metadata_only)

    exhibits = html_documents(args.shared)
    filings = [make_filing(i, "8-K", ("8.01", "9.01")) for i in range(len(exhibits))]
    total = sum(len(body) for _, body in exhibits)

    def with_exhibit(index: int) -> object:
        name, body = exhibits[index]
        document = Document(url=f"https://www.sec.gov/x/{name}", type="EX-99.1", filename=name)
        texts, errors = read_fetched([(document, body)])
        return classify(filings[index], texts, errors=errors)

    if args.serve_passes:
        serve_passes(with_exhibit, len(exhibits))
        return 0
    print(f"html exhibits: {len(exhibits)} documents, {total / 1024:.0f} KiB in all")
    if args.baseline is not None:
        one_pass(len(exhibits), with_exhibit)
        measure_against(
            args.baseline, args.runs, args.shared, lambda: one_pass(len(exhibits), with_exhibit)
        )
    else:
        measure("html exhibits", args.runs, len(exhibits), with_exhibit, unit="documents")

    if args.service_filings > 0 and not args.html_only:
        batch_sizes = [int(size) for size in args.batch_sizes.split(",") if size.strip()]
        configure_logging(level="warning", fmt="console")
        with kafka_bootstrap() as bootstrap:
            asyncio.run(measure_service(bootstrap, args.service_filings, batch_sizes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
