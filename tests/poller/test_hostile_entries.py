"""One hostile feed entry, index row or company costs only itself: the rest of the page
is returned, the parser raises nothing, and the caller's log says it once (one WARNING,
one count of edgarmon_poller_entries_skipped_total) however often it is served."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry
from structlog.typing import EventDict

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.adapters.metrics import PollerMetrics
from edgarmon.poller.adapters.skipped_entry_log import SkippedEntryLog
from edgarmon.poller.domain.atom_feeds import parse_company_feed, parse_latest_feed
from edgarmon.poller.domain.daily_index import parse_daily_index
from edgarmon.poller.domain.feed_entries import FeedPage
from edgarmon.poller.domain.skipped_entries import SkippedEntry, SkipReason

from .conftest import BASE
from .hostile_feeds import (
    GOOD_AFTER,
    GOOD_BEFORE,
    POISONED,
    SKIPPED_METRIC,
    company_entry,
    company_feed,
    latest_entry,
    latest_feed,
    master_index,
    master_row,
    poisoned_latest_feed,
    skip_warnings,
)


def only_skip(page: FeedPage) -> SkippedEntry:
    assert [filing.accession_number for filing in page.filings()] == [GOOD_BEFORE, GOOD_AFTER]
    assert page.raw_entry_count == 3
    (skip,) = page.skipped
    return skip


def counted(registry: CollectorRegistry) -> dict[tuple[str, str], float]:
    """The non-zero samples of the skipped-entries counter, by (source, reason)."""
    return {
        (sample.labels["source"], sample.labels["reason"]): sample.value
        for family in registry.collect()
        if family.name == SKIPPED_METRIC.removesuffix("_total")
        for sample in family.samples
        if sample.name == SKIPPED_METRIC and sample.value
    }


@pytest.mark.parametrize(
    "updated",
    [
        "0001-01-01T00:00:00-05:00",  # parses, but no EDGAR filing is that old
        "9999-12-31T23:59:59-05:00",  # OverflowError converting to Eastern time
        "0001-01-01T00:00:00+05:00",  # OverflowError the other way
        "0000-01-01T00:00:00-05:00",  # year 0
        "2026-13-01T00:00:00-05:00",  # month 13
        "1" * 40 + "-01-01T00:00:00-05:00",  # a 40-digit year
        "2026-01-12T25:61:00-05:00",
        "yesterday",
        "",
    ],
)
def test_an_acceptance_time_at_the_edge_of_the_calendar_costs_only_its_entry(
    updated: str, logs: list[EventDict]
) -> None:
    skip = only_skip(parse_latest_feed(poisoned_latest_feed(updated=updated), base_url=BASE))
    assert (skip.source, skip.entry_id, skip.reason) == (
        DiscoverySource.LATEST_FEED,
        POISONED,
        SkipReason.BAD_DATE,
    )
    assert skip.detail.startswith("entry 1 ")
    assert logs == [], "the parser logs nothing: its caller does"


def test_a_filing_date_at_the_edge_of_the_calendar_costs_only_its_entry() -> None:
    page = parse_latest_feed(
        poisoned_latest_feed(summary="<b>Filed:</b> 9999-99-99"), base_url=BASE
    )
    assert only_skip(page).reason is SkipReason.BAD_DATE


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        ("8-K - ACME CORP (123456789012345) (Filer)", SkipReason.BAD_CIK),  # 15 digits
        ("8-K - ACME CORP (\u0664\u0662) (Filer)", SkipReason.BAD_LAYOUT),  # Arabic digits
        ("8-K - ACME CORP (0000000042) ( )", SkipReason.INVALID),  # no role
        ("8-K ACME CORP 42 Filer", SkipReason.BAD_LAYOUT),
        ("8\x7fK - ACME CORP (0000000042) (Filer)", SkipReason.BAD_FORM),
        ("8" * 41 + " - ACME CORP (0000000042) (Filer)", SkipReason.BAD_FORM),
    ],
)
def test_a_latest_feed_entry_with_a_bad_title_costs_only_itself(
    title: str, reason: SkipReason
) -> None:
    skip = only_skip(parse_latest_feed(poisoned_latest_feed(title=title), base_url=BASE))
    assert (skip.entry_id, skip.reason) == (POISONED, reason)


def test_an_entry_without_an_accession_is_named_by_its_title() -> None:
    page = parse_latest_feed(
        latest_feed(
            latest_entry(GOOD_BEFORE),
            "<entry><title>8-K - X (42) (Filer)</title><updated>2026-01-12</updated></entry>",
            latest_entry(GOOD_AFTER),
        ),
        base_url=BASE,
    )
    skip = only_skip(page)
    assert (skip.entry_id, skip.reason) == ("8-K - X (42) (Filer)", SkipReason.NO_ACCESSION)


def test_items_in_look_alike_letters_are_not_items() -> None:
    # under IGNORECASE alone [A-Za-z] matches the Kelvin sign, which the model refuses
    summary = "<b>Filed:</b> 2026-01-12<br>Item \u212a: x<br>Item 8.01: Other Events"
    (filing,) = parse_latest_feed(
        latest_feed(latest_entry(POISONED, summary=summary)), base_url=BASE
    ).filings()
    assert filing.items == ("8.01",)


def test_a_company_feed_whose_company_has_a_15_digit_cik_is_one_skipped_company() -> None:
    feed = company_feed(company_entry(GOOD_BEFORE), company_entry(GOOD_AFTER), cik="1" * 15)
    page = parse_company_feed(feed, base_url=BASE)
    assert page.entries == ()
    (skip,) = page.skipped
    assert (skip.source, skip.entry_id, skip.reason) == (
        DiscoverySource.COMPANY_FEED,
        f"company CIK {'1' * 15}",
        SkipReason.BAD_CIK,
    )
    assert "its 2 entries are skipped with it" in skip.detail


def test_a_company_feed_naming_no_cik_at_all_is_still_not_a_company_feed() -> None:
    feed = company_feed(company_entry(GOOD_BEFORE), cik="").replace(b"(0000000042)", b"")
    with pytest.raises(FeedParseError, match="names no CIK"):
        parse_company_feed(feed, base_url=BASE)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (company_entry(POISONED, filing_date="0000-00-00"), SkipReason.BAD_DATE),
        (company_entry(POISONED, filing_date="9999-12-31"), SkipReason.BAD_DATE),
        (company_entry(POISONED, form=" "), SkipReason.BAD_FORM),
        (company_entry("not-an-accession"), SkipReason.NO_ACCESSION),
    ],
)
def test_a_bad_company_feed_entry_costs_only_itself(entry: str, reason: SkipReason) -> None:
    feed = company_feed(company_entry(GOOD_BEFORE), entry, company_entry(GOOD_AFTER))
    page = parse_company_feed(feed, base_url=BASE)
    assert [f.accession_number for f in page.filings()] == [GOOD_BEFORE, GOOD_AFTER]
    (skip,) = page.skipped
    assert (skip.source, skip.reason) == (DiscoverySource.COMPANY_FEED, reason)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (master_row(POISONED, cik="123456789012"), SkipReason.BAD_CIK),  # 12 digits
        (master_row(POISONED, filed="00000000"), SkipReason.BAD_DATE),
        (master_row(POISONED, filed="99991231"), SkipReason.BAD_DATE),
        (master_row(POISONED, filed="2026-13-45"), SkipReason.BAD_DATE),
        (f"42|ACME CORP||20260112|edgar/data/42/{POISONED}.txt", SkipReason.BAD_FORM),
    ],
)
def test_a_bad_master_index_row_costs_only_itself(row: str, reason: SkipReason) -> None:
    index = parse_daily_index(
        master_index(master_row(GOOD_BEFORE), row, master_row(GOOD_AFTER)), base_url=BASE
    )
    assert [f.accession_number for f in index.filings] == [GOOD_BEFORE, GOOD_AFTER]
    (skip,) = index.skipped
    assert (skip.source, skip.entry_id, skip.reason) == (
        DiscoverySource.DAILY_INDEX,
        POISONED,
        reason,
    )


def test_a_fixed_width_row_with_a_12_digit_cik_costs_only_itself() -> None:
    def row(accession: str, cik: str) -> str:
        cik_column = f"{cik} ".ljust(12)  # a CIK too long for its column overflows it
        return f"{'ACME CORP':<62}{'8-K':<12}{cik_column}2026-01-12  edgar/data/42/{accession}.txt"

    text = (
        "Description: Daily Index\n\n"
        f"{'Company Name':<62}{'Form Type':<12}{'CIK':<12}Date Filed  File Name\n"
        + "-" * 120
        + "\n"
        + "\n".join([row(GOOD_BEFORE, "42"), row(POISONED, "1" * 12), row(GOOD_AFTER, "42")])
    )
    index = parse_daily_index(text, base_url=BASE)
    assert [f.accession_number for f in index.filings] == [GOOD_BEFORE, GOOD_AFTER]
    assert [(s.entry_id, s.reason) for s in index.skipped] == [(POISONED, SkipReason.BAD_CIK)]


def test_the_same_page_twice_is_one_warning_and_one_count(logs: list[EventDict]) -> None:
    registry = CollectorRegistry()
    metrics = PollerMetrics(registry)
    said = SkippedEntryLog(metrics.entries_skipped)
    feed = poisoned_latest_feed(updated="9999-12-31T23:59:59-05:00")
    first = said.report(parse_latest_feed(feed, base_url=BASE).skipped)
    again = said.report(parse_latest_feed(feed, base_url=BASE).skipped)
    assert len(first) == 1
    assert again == ()
    (warning,) = skip_warnings(logs)
    assert warning["log_level"] == "warning"
    assert (warning["source"], warning["entry_id"], warning["reason"]) == (
        "latest_feed",
        POISONED,
        "bad_date",
    )
    assert "9999-12-31" in warning["detail"]
    assert counted(registry) == {("latest_feed", "bad_date"): 1.0}
