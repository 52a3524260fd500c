"""Feed parsing speed: edgarmon's parser (lxml) beside the feedparser-based parser it
replaced and bare feedparser, on the same recorded feeds.

What runs: the 11 recorded latest-filings pages (``../shared/edgar/atom_current/
*.xml``, 1,139 entries), held in memory. One run parses every page once with each
parser, the parsers' order rotating from run to run so that they share the machine's
noise:

- ``edgarmon``: ``parse_latest_feed`` and ``FeedPage.filings()`` (entries grouped by
  accession with every company and role, items, acceptance times in US Eastern);
- ``edgarmon before``: the same on feedparser (``tests/poller/feedparser_reference.py``,
  the parser until issue 15);
- ``bare feedparser``: ``feedparser.parse`` alone (no grouping, roles or items).

Printed: for each, entries per second at the median (p50) and the 90th-percentile
(p90, slower) run over ``--runs`` runs, and the ratios. Then a 51-page catch-up walk
(EDGAR's depth: 5,100 entries) as ``poll_latest`` does it without I/O: each page parsed,
planned (``plan_next_page``, nothing known) and the pages merged (``new_filings``); the
pages cycle over the 7 recorded pages of the 2026-01-12 walk. Its CPU time p50/p90
over ``--walks`` walks, edgarmon beside edgarmon before. Times are CPU time of this
process (``time.process_time``), which the other work on a shared machine disturbs
less than wall time. The pages each parser gives are checked to be the same first.

Usage: ``python benchmarks/feed_parse_bench.py [--runs 30] [--walks 10] [--shared PATH]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
from tests.poller import feedparser_reference  # noqa: E402

from edgarmon.poller.domain.atom_feeds import parse_latest_feed  # noqa: E402
from edgarmon.poller.domain.feed_entries import FeedPage  # noqa: E402
from edgarmon.poller.domain.paging import EDGAR_FEED_DEPTH, new_filings, plan_next_page  # noqa: E402

BASE = "https://www.sec.gov"
PAGE_SIZE = 100
WALK_PAGES = EDGAR_FEED_DEPTH // PAGE_SIZE


def edgarmon(body: bytes) -> object:
    return parse_latest_feed(body, base_url=BASE).filings()


def edgarmon_before(body: bytes) -> object:
    return feedparser_reference.parse_latest_feed(body, base_url=BASE).filings()


def bare_feedparser(body: bytes) -> object:
    return feedparser.parse(body)


PARSERS: dict[str, Callable[[bytes], object]] = {
    "edgarmon": edgarmon,
    "edgarmon before": edgarmon_before,
    "bare feedparser": bare_feedparser,
}


def timed_runs(bodies: Sequence[bytes], runs: int) -> dict[str, list[float]]:
    seconds: dict[str, list[float]] = {name: [] for name in PARSERS}
    names = list(PARSERS)
    for run in range(runs + 1):
        order = names[run % len(names) :] + names[: run % len(names)]
        for name in order:
            parse = PARSERS[name]
            started = time.process_time()
            for body in bodies:
                parse(body)
            if run:  # the first run warms up
                seconds[name].append(time.process_time() - started)
    return seconds


def walk(pages: Sequence[bytes], parse: Callable[..., FeedPage]) -> int:
    read: list[FeedPage] = []
    start: int | None = 0
    while start is not None:
        page = parse(pages[(start // PAGE_SIZE) % len(pages)], base_url=BASE)
        read.append(page)
        start = plan_next_page(page, start=start, count=PAGE_SIZE, known=set()).next_start
    new_filings(read, set())
    return len(read)


def timed_walks(pages: Sequence[bytes], walks: int) -> dict[str, list[float]]:
    parsers = {
        "edgarmon": parse_latest_feed,
        "edgarmon before": feedparser_reference.parse_latest_feed,
    }
    seconds: dict[str, list[float]] = {name: [] for name in parsers}
    for number in range(walks):
        for name in sorted(parsers, reverse=bool(number % 2)):
            started = time.process_time()
            assert walk(pages, parsers[name]) == WALK_PAGES
            seconds[name].append(time.process_time() - started)
    return seconds


def percentile(values: Sequence[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--walks", type=int, default=10)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    feeds = sorted((args.shared / "edgar" / "atom_current").glob("*.xml"))
    bodies = [path.read_bytes() for path in feeds]
    entries = sum(len(feedparser.parse(body).entries) for body in bodies)
    for body in bodies:
        new = parse_latest_feed(body, base_url=BASE)
        assert new == feedparser_reference.parse_latest_feed(body, base_url=BASE)
    print(f"{len(bodies)} recorded feeds, {entries} entries; same pages from both parsers: yes")

    seconds = timed_runs(bodies, args.runs)
    print(f"\nentries/s over {args.runs} runs (CPU time; p90 is the slower tail)")
    rates = {}
    for name, values in seconds.items():
        rates[name] = (entries / percentile(values, 50), entries / percentile(values, 90))
        p50, p90 = rates[name]
        print(f"  {name:<16} p50 {p50:>9,.0f}   p90 {p90:>9,.0f}")
    for other in ("edgarmon before", "bare feedparser"):
        p50 = rates["edgarmon"][0] / rates[other][0]
        p90 = rates["edgarmon"][1] / rates[other][1]
        print(f"  edgarmon / {other:<16} p50 x{p50:.1f}   p90 x{p90:.1f}")

    walk_pages = [
        args.shared
        / "edgar"
        / "atom_current"
        / f"getcurrent_all_count100_start{start}_2026-01-12.xml"
        for start in (0, 100, 500, 600, 700, 4100, 5000)
    ]
    pages = [path.read_bytes() for path in walk_pages]
    walked = timed_walks(pages, args.walks)
    print(
        f"\n{WALK_PAGES}-page catch-up walk ({WALK_PAGES * PAGE_SIZE} entries), {args.walks} walks"
    )
    for name, values in walked.items():
        p50, p90 = percentile(values, 50) * 1000, percentile(values, 90) * 1000
        print(f"  {name:<16} p50 {p50:>8.1f} ms CPU   p90 {p90:>8.1f} ms CPU")
    ratio = percentile(walked["edgarmon before"], 50) / percentile(walked["edgarmon"], 50)
    print(f"  before / edgarmon p50 x{ratio:.1f}")


if __name__ == "__main__":
    main()
