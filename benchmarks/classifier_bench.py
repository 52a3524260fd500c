"""Benchmark the classifier's pure core: throughput and resident memory.

Two workloads, each run many times so that the figures are distributions, not
single timings:

- metadata-only: filings whose labels are decided from the discovered event
  (a 10-Q, a Form 4, an 8-K with known items): plan, then classify, no document;
- HTML exhibits: 8-K filings with one real HTML document each (the EX-99 press
  releases and 8-K bodies in ``../shared``), read from bytes and classified.

Usage: ``python benchmarks/classifier_bench.py [--runs 15] [--shared PATH]``.
Prints filings/second as percentiles over the runs (and the p90/p10 spread),
per-filing latency percentiles, and ``ru_maxrss`` before and after each workload.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from edgarmon.classifier.classify import classify
from edgarmon.classifier.planning import needs_documents
from edgarmon.classifier.reading import read_fetched
from edgarmon.core.filing import EASTERN, Company, Document, Filing

FORMS = (("10-Q", ()), ("4", ()), ("8-K", ("5.02",)), ("8-K", ("8.01", "9.01")), ("SC 13G", ()))
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


def measure(name: str, runs: int, count: int, one: Callable[[int], object]) -> None:
    rates: list[float] = []
    latencies: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        for index in range(count):
            begun = time.perf_counter()
            one(index)
            latencies.append(time.perf_counter() - begun)
        rates.append(count / (time.perf_counter() - started))
    p10, p50, p90 = (percentile(rates, f) for f in (0.1, 0.5, 0.9))
    print(
        f"{name}: {runs} runs x {count} filings; filings/s p10={p10:,.0f} p50={p50:,.0f} "
        f"p90={p90:,.0f} (p90/p10 {p90 / p10:.2f}, stdev {statistics.pstdev(rates):,.0f})"
    )
    lat = [1000 * x for x in latencies]
    print(
        f"  per filing ms: p50={percentile(lat, 0.5):.3f} p90={percentile(lat, 0.9):.3f} "
        f"p99={percentile(lat, 0.99):.3f} max={max(lat):.3f}"
    )
    print(f"  ru_maxrss after: {maxrss_mib():.1f} MiB")


def html_documents(shared: Path) -> list[tuple[str, bytes]]:
    found = [
        *sorted((shared / "clinical").glob("*.htm*")),
        *sorted((shared / "edgar" / "filings" / "8k" / "item8.01").glob("*.htm")),
    ]
    documents = [(path.name, path.read_bytes()) for path in found]
    return documents or [("ex99-1.htm", FALLBACK_EXHIBIT)]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--metadata-filings", type=int, default=5000)
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    args = parser.parse_args(list(argv))
    print(f"python {sys.version.split()[0]}; ru_maxrss at start: {maxrss_mib():.1f} MiB")

    metadata = [make_filing(i, *FORMS[i % len(FORMS)]) for i in range(args.metadata_filings)]

    def metadata_only(index: int) -> object:
        filing = metadata[index]
        needs_documents(filing)
        return classify(filing)

    measure("metadata-only", args.runs, len(metadata), metadata_only)

    exhibits = html_documents(args.shared)
    filings = [make_filing(i, "8-K", ("8.01", "9.01")) for i in range(len(exhibits))]
    total = sum(len(body) for _, body in exhibits)
    print(f"html exhibits: {len(exhibits)} documents, {total / 1024:.0f} KiB in all")

    def with_exhibit(index: int) -> object:
        name, body = exhibits[index]
        document = Document(url=f"https://www.sec.gov/x/{name}", type="EX-99.1", filename=name)
        texts, errors = read_fetched([(document, body)])
        return classify(filings[index], texts, errors=errors)

    measure("html exhibits", args.runs, len(exhibits), with_exhibit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
