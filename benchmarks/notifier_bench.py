"""Route-matching throughput with 10,000 routes.

Builds a synthetic but EDGAR-shaped workload (seeded, so runs compare): routes
that watch companies by CIK, watch 8-K items, forms, labels or keywords, or
combine them; filings with EDGAR's form mix (Form 4 and 8-K heavy), labels on a
fraction, and evidence text. Then it times, over repeated runs, reading a
filing's facts and matching it through the index, and reports filings per
second and per-filing latency percentiles. A full scan of every route is timed
on a sample for comparison.

Usage: ``python benchmarks/notifier_bench.py [--routes 10000] [--filings 2000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from edgarmon.core.filing import Company, Filing
from edgarmon.core.messages import (
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
from edgarmon.notifier.route_index import FilingFacts, RouteIndex, route_matches
from edgarmon.notifier.routes import DigestPolicy, Route, parse_routes

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


def run(route_count: int, filing_count: int, runs: int, seed: int) -> None:
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--routes", type=int, default=10_000)
    parser.add_argument("--filings", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240603)
    args = parser.parse_args(argv)
    run(args.routes, args.filings, args.runs, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
