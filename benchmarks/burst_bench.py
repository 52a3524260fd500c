"""The busiest minute of a real day, all at once: 300 filings in one poll.

The filings are 300 of the recorded daily index of 2023-07-03 (``../shared/edgar/
index``), taken evenly through it so that they keep the day's mix of forms. Those
that need documents (8-Ks, whose items the index does not give, 6-Ks and letters) are
given real documents from ``../shared`` (8-K Item 8.01 documents, clinical press
releases, comment letters), served in place by the simulator. A few featured filings
go first, so every service is warm; then the 300 become visible at one moment.

Runs the whole pipeline twice, back to back: reading each filing document by document
(``index.json``, then each document: ``EDGARMON_SUBMISSION_MAX_BYTES=0``) and from its
full submission ``.txt`` (the default). For each it prints when the last alert arrived
beside the bound the classifier's request budget sets (requests needed / requests per
second), requests per filing that needs documents, and bytes per 8-K.

    python benchmarks/burst_bench.py [--filings 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from edgarmon.classifier.domain.planning import choose_documents, documents_to_fetch
from edgarmon.classifier.domain.submission import submission_files
from edgarmon.core.domain.filing import Filing
from edgarmon.core.logs import configure_logging
from edgarmon.demo.featured import (
    Featured,
    clinical_exhibits,
    recorded_filings,
    register_documents,
    seed_filings,
)
from edgarmon.demo.pipeline import DemoOptions, DemoRun, accessions_in, run_pipeline
from edgarmon.devbroker import broker
from edgarmon.simulator.feed_rendering import render_index_json
from edgarmon.simulator.filings import LATE_RELEASE_FORMS, FilingTemplate, schedule_filing
from edgarmon.simulator.full_submission import (
    is_submission_document,
    primary_first,
    render_full_submission,
)
from edgarmon.simulator.recordings import RecordedFile
from edgarmon.simulator.scenario import day_templates
from edgarmon.simulator.simulated_edgar import SimulatedEdgar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the pipeline benchmark is a sibling

from benchmarks.pipeline_bench import capture_service_lines, spread_routes  # noqa: E402

DAY = date(2023, 7, 3)
WARM_UP_SECONDS = 14.0
DOCUMENT_FORMS = frozenset({"8-K", "8-K/A", "6-K", "6-K/A", "CORRESP", "UPLOAD"})
CLASSIFIER_REQUESTS_PER_SECOND = 4.0  # the demo's budget per process


@dataclass
class Burst:
    """What the scenario scheduled: the burst's moment and its filings."""

    size: int
    at: float = 0.0
    templates: list[FilingTemplate] | None = None
    documents: dict[str, dict[str, RecordedFile]] | None = None

    def needing(self) -> list[FilingTemplate]:
        return [t for t in self.templates or [] if t.form_type in DOCUMENT_FORMS]


def _pools(run_sim: SimulatedEdgar, shared: Path) -> tuple[list[Featured], list[Featured]]:
    """Real documents to give the burst's filings: 8-K ones, and letters."""
    featured = seed_filings(shared) + clinical_exhibits(shared, limit=20)
    featured += recorded_filings(shared, run_sim.recordings, limit=20)
    register_documents(run_sim.recordings, featured)
    reports = [f for f in featured if f.template.form_type == "8-K"]
    letters = [f for f in featured if f.template.form_type in LATE_RELEASE_FORMS]
    return reports, letters


def scenario_for(shared: Path, burst: Burst) -> Callable[[SimulatedEdgar, float], list[Featured]]:
    def scenario(sim: SimulatedEdgar, first: float) -> list[Featured]:
        sim.arrivals = None  # only what is scheduled here
        reports, letters = _pools(sim, shared)
        warm = reports[:3] + letters[:1]
        sim.add_filings(
            schedule_filing(item.template, first + 2 * n) for n, item in enumerate(warm)
        )
        day = day_templates(sim.recordings, DAY)
        stride = max(len(day) // burst.size, 1)
        chosen = day[::stride][: burst.size]
        burst.at, burst.templates, burst.documents = first + WARM_UP_SECONDS, chosen, {}
        waited: list[Featured] = list(warm)
        for n, template in enumerate(chosen):
            if template.form_type not in DOCUMENT_FORMS:
                continue
            is_letter = template.form_type in LATE_RELEASE_FORMS
            source = (letters if is_letter else reports)[n % len(letters if is_letter else reports)]
            served = dict(sim.recordings.documents[source.template.accession])
            sim.recordings.documents[template.accession] = served
            burst.documents[template.accession] = served
            cik = template.companies[0].cik
            waited.append(Featured(template, (), watch_cik=cik if is_letter else None))
        sim.add_filings(
            schedule_filing(replace(t, original_filing_date=None), burst.at) for t in chosen
        )
        return waited

    return scenario


def bytes_per_report(burst: Burst) -> tuple[float, float]:
    """Mean bytes read per 8-K of the burst: index.json and the chosen documents, or the
    full submission ``.txt``."""
    one_by_one, whole = [], []
    for template in burst.needing():
        if template.form_type in LATE_RELEASE_FORMS or burst.documents is None:
            continue
        files = burst.documents[template.accession]
        names = [n for n in files if is_submission_document(n, template.accession)]
        sizes = [(n, files[n].path.stat().st_size) for n in sorted(names)]
        index = render_index_json(1, template.accession, sizes, datetime.now(UTC))
        filing = _filing(template.accession, template.form_type)
        chosen = documents_to_fetch(filing, index)
        one_by_one.append(len(index) + sum(files[d.filename].path.stat().st_size for d in chosen))
        ordered = primary_first(names, template.form_type)
        txt = render_full_submission(
            None, template.accession, [(n, files[n].read()) for n in ordered]
        )
        whole.append(len(txt))
    return sum(one_by_one) / max(len(one_by_one), 1), sum(whole) / max(len(whole), 1)


def recorded_submissions(shared: Path) -> None:
    """Bytes of the real 8-K full submissions recorded in ``../shared`` (which, unlike
    the simulator's, carry every exhibit, XBRL and image) against the documents the
    labels read from them, which is what fetching document by document reads."""
    rows = []
    for path in sorted((shared / "edgar" / "filings" / "8k").glob("*_full.txt")):
        data = path.read_bytes()
        files = dict(submission_files(data))
        listing = [(n, len(b) if isinstance(b, bytes) else None) for n, b in files.items()]
        filing = _filing("0000000000-00-000000", "8-K")
        read = sum(
            size or 0
            for d in choose_documents(filing, listing)
            for n, size in listing
            if n == d.filename
        )
        rows.append((path.name, len(data), read, len(files)))
    print("recorded 8-K full submissions (bytes: the .txt / the documents read from it):")
    for name, whole, read, count in rows:
        if not read:
            print(f"  {name[:48]:<48} {whole:>9,}: no named document (old layout), none read")
            continue
        print(
            f"  {name[:48]:<48} {whole:>9,} / {read:>8,} "
            f"({whole / max(read, 1):4.1f}x, {count} documents)"
        )


def _filing(accession: str, form_type: str) -> Filing:
    return Filing.model_validate(
        {
            "accession_number": accession,
            "form_type": form_type,
            "companies": [{"cik": 1, "name": "X", "role": "Filer"}],
            "accepted_at": "2023-07-03T10:00:00-04:00",
            "filing_date": "2023-07-03",
            "index_url": f"https://www.sec.gov/Archives/edgar/data/1/x/{accession}-index.htm",
        }
    )


def report(name: str, run: DemoRun, burst: Burst) -> None:
    mine = {t.accession for t in burst.needing()}
    folders = {a.replace("-", "") for a in mine}
    requests = sum(
        1
        for r in run.sim.requests
        if r.path.startswith("/Archives/edgar/data/")
        and any(folder in r.path for folder in folders)
    )
    alerts: dict[str, float] = {}
    for received, post in run.deliveries.slack:
        for accession in accessions_in(post):
            if accession in mine:
                alerts.setdefault(accession, received)
    letters = {t.accession for t in burst.needing() if t.form_type in LATE_RELEASE_FORMS}
    on_feed = [t - burst.at for a, t in alerts.items() if a not in letters]
    bound = requests / CLASSIFIER_REQUESTS_PER_SECOND
    last = max(alerts.values(), default=burst.at) - burst.at
    print(f"== {name} ==")
    print(
        f"  filings needing documents: {len(mine)}, alerted {len(alerts)}; "
        f"EDGAR requests for them {requests} ({requests / max(len(mine), 1):.2f} per filing)"
    )
    print(
        f"  last alert {last:.1f} s after the burst became visible; last of the latest-feed "
        f"filings {max(on_feed, default=0.0):.1f} s"
    )
    print(
        f"  bound set by the budget: {requests} requests / {CLASSIFIER_REQUESTS_PER_SECOND:g}"
        f" per s = {bound:.1f} s; last alert / bound = {last / bound if bound else 0.0:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filings", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=90.0)
    args = parser.parse_args()
    configure_logging(level="error", fmt="console")
    capture_service_lines()  # services' lines are dropped, as in the pipeline benchmark
    shared = broker.project_root().parent / "shared"
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None if given else broker.start(broker.default_home(), log=lambda _: None)
    bootstrap = given or (handle.bootstrap_servers if handle else "")
    recorded_submissions(Path(shared))
    try:
        for name, cap in (
            ("document by document (index.json, each document)", 0),
            ("full submission .txt", None),
        ):
            burst = Burst(args.filings)
            options = DemoOptions(
                shared=Path(shared),
                bootstrap_servers=bootstrap,
                seconds=args.seconds,
                topic_suffix=f".burst-{os.getpid()}-{cap}",
                routes_for=spread_routes,
                scenario=scenario_for(Path(shared), burst),
                classifier_settings={} if cap is None else {"submission_max_bytes": cap},
            )
            run = asyncio.run(run_pipeline(options, printer=lambda _: None))
            if name.startswith("document"):
                mix: dict[str, int] = {}
                for t in burst.templates or []:
                    mix[t.form_type] = mix.get(t.form_type, 0) + 1
                top = sorted(mix.items(), key=lambda kv: -kv[1])[:8]
                print(
                    f"burst: {len(burst.templates or [])} filings of {DAY}, forms "
                    + ", ".join(f"{f} {n}" for f, n in top)
                )
                one_by_one, whole = bytes_per_report(burst)
                print(
                    f"bytes per 8-K: document by document {one_by_one:,.0f}, "
                    f"full submission {whole:,.0f} ({whole / max(one_by_one, 1):.2f}x)"
                )
            report(name, run, burst)
    finally:
        if handle is not None:
            broker.stop(handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
