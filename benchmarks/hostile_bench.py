"""Benchmark hostile input: time and peak memory per class, through the path the
services take (a bounded worker process, with the default budgets), and what that
path costs on ordinary documents.

Classes are generated here, the way the tests build them (``tests/classifier/
test_hostile_documents.py``, ``tests/classifier/test_read_budget.py``,
``tests/poller/test_parse_budget.py``). For each it prints the outcome (a result, or
the one-line error), the wall time of the call, and the worker's peak RSS
(``ru_maxrss``; "killed at the budget" when the worker was stopped).

Then the overhead: the real press releases and 8-K bodies of ``../shared/clinical``
read and classified inline and through the worker, ``--runs`` passes each, with
p50/p99 per document and the ratio.

Usage: ``python benchmarks/hostile_bench.py [--runs 5] [--shared PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.classifier.test_hostile_documents import (  # noqa: E402
    HEADING,
    MILLION,
    deflated_zeros,
    pdf_with_shared_content,
)
from tests.classifier.test_read_budget import eight_k, flat_page, formatting_clones  # noqa: E402
from tests.poller.test_parse_budget import slow_feed  # noqa: E402

from edgarmon.classifier.adapters.filing_documents import _read_and_classify  # noqa: E402
from edgarmon.core.adapters.bounded_work import WorkBudget, bounded_workers  # noqa: E402
from edgarmon.core.domain.errors import EdgarmonError  # noqa: E402
from edgarmon.core.settings import EdgarClientSettings  # noqa: E402
from edgarmon.poller.domain.atom_feeds import parse_latest_feed  # noqa: E402


def read_document(name: str, body: bytes) -> tuple[str, int]:
    """Read and classify one exhibit, as the classifier does; the outcome and the
    worker's peak RSS in KiB."""
    filing = eight_k(name)
    result = _read_and_classify(filing, [(filing.documents[0], body)], [], 0.5)
    said = [error.message for error in result.errors]
    labels = ",".join(label.id.value for label in result.labels)
    return "; ".join(said) or f"labels {labels}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_feed(body: bytes) -> tuple[str, int]:
    page = parse_latest_feed(body, base_url="https://www.sec.gov")
    outcome = f"{len(page.filings())} filings, {len(page.skipped)} skipped"
    return outcome, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def classes() -> list[tuple[str, Callable[..., tuple[str, int]], tuple[object, ...]]]:
    blank_lines = b"Item 8.01 Other Events" + b"\n" * MILLION + b"The Company announced."
    return [
        ("HTML: 150k nested <div>", read_document, ("a.htm", HEADING + b"<div>" * 150_000)),
        ("HTML: 100k unclosed <pre>", read_document, ("a.htm", HEADING + b"<pre>" * 100_000)),
        ("HTML: 200k unterminated <hr x", read_document, ("a.htm", HEADING + b"<hr x" * 200_000)),
        ("HTML: 200k <option>", read_document, ("a.htm", HEADING + b"<option>x" * 200_000)),
        ("HTML: formatting clones", read_document, ("a.htm", formatting_clones())),
        ("HTML: a million <br>", read_document, ("a.htm", flat_page())),
        ("text: heading + 1M blank lines", read_document, ("a.txt", blank_lines)),
        ("text: empty", read_document, ("a.txt", b"")),
        (
            "PDF: 60 pages, one 70 MiB zero stream",
            read_document,
            ("a.pdf", pdf_with_shared_content(deflated_zeros(70), pages=60)),
        ),
        ("feed: 100k attributes on one element", read_feed, (slow_feed(100_000),)),
    ]


async def hostile(budget: WorkBudget) -> None:
    print(f"budget: {budget.seconds:g} s, {budget.memory_bytes // 2**20} MiB above start")
    print(f"{'class':<40} {'seconds':>8} {'peak RSS':>16}  outcome")
    for name, job, args in classes():
        async with bounded_workers(budget, name="parse") as pool:
            await pool.run(resource.getpagesize)  # start the worker outside the timing
            started = time.perf_counter()
            try:
                outcome, peak_kib = await pool.run(job, *args)
                peak = f"{peak_kib / 1024:.0f} MiB"
            except EdgarmonError as exc:
                outcome, peak = f"{type(exc).__name__}: {exc}", "killed at budget"
            seconds = time.perf_counter() - started
        print(f"{name:<40} {seconds:>8.2f} {peak:>16}  {outcome[:90]}")


async def overhead(shared: Path, runs: int, budget: WorkBudget) -> None:
    documents = sorted(p for p in (shared / "clinical").iterdir() if p.suffix in {".htm", ".txt"})
    bodies = [(path.name, path.read_bytes()) for path in documents]
    inline: list[float] = []
    bounded: list[float] = []
    async with bounded_workers(budget) as pool:
        await pool.run(read_document, *bodies[0])
        for _ in range(runs):
            for name, body in bodies:
                started = time.perf_counter()
                read_document(name, body)
                inline.append(time.perf_counter() - started)
                started = time.perf_counter()
                await pool.run(read_document, name, body)
                bounded.append(time.perf_counter() - started)

    def cut(values: list[float], percent: int) -> float:
        return statistics.quantiles(values, n=100)[percent - 1] * 1000

    print(f"\nordinary documents: {len(bodies)} releases and 8-Ks (HTML, text) x {runs} runs")
    for label, values in (("inline", inline), ("bounded worker", bounded)):
        print(f"  {label:<15} p50 {cut(values, 50):6.1f} ms   p99 {cut(values, 99):6.1f} ms")
    print(
        f"  ratio bounded/inline: p50 {cut(bounded, 50) / cut(inline, 50):.2f}, "
        f"p99 {cut(bounded, 99) / cut(inline, 99):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    defaults = EdgarClientSettings(edgar_user_agent="edgarmon bench bench@example.com")
    asyncio.run(hostile(defaults.parse_budget))
    asyncio.run(overhead(args.shared, args.runs, defaults.parse_budget))


if __name__ == "__main__":
    main()
