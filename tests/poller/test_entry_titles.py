"""Entry titles are split as the backtracking regular expressions split them (kept in
``feedparser_reference.py``), in time linear in the title: generated titles
(hypothesis, derandomized) and hostile ones that held the old expressions for
minutes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from edgarmon.poller.domain.atom_feeds import parse_company_feed, parse_latest_feed
from edgarmon.poller.domain.entry_titles import LatestTitle, company_title_form, split_latest_title
from edgarmon.poller.domain.feed_entries import clean_text, filing_date_from_summary
from edgarmon.poller.domain.skipped_entries import SkipReason

from . import feedparser_reference as reference
from .conftest import BASE
from .hostile_feeds import (
    GOOD_AFTER,
    GOOD_BEFORE,
    POISONED,
    company_feed,
    latest_entry,
    latest_feed,
)

PIECES = st.sampled_from(
    [" - ", " (", ") ", "(", ")", "[", "]", " [", "] ", "-", " ", "  ", "0", "42", "a", "Filer"]
)
TITLES = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=12).map("".join).map(clean_text)
GENERATED = settings(derandomize=True, max_examples=2000, deadline=None)


@GENERATED
@given(title=TITLES)
def test_latest_titles_split_as_the_expression_split_them(title: str) -> None:
    match = reference._LATEST_TITLE.match(title)
    expected = None if match is None else LatestTitle(**match.groupdict())
    assert split_latest_title(title) == expected


@GENERATED
@given(title=TITLES)
def test_company_titles_give_the_form_the_expression_gave(title: str) -> None:
    match = reference._COMPANY_TITLE.match(title + " ")
    assert company_title_form(title) == (None if match is None else match.group("form"))


def test_edgar_titles_split_into_their_parts() -> None:
    assert split_latest_title("4 - DOE - JANE (X) (0000000002) (Reporting)") == LatestTitle(
        form="4", name="DOE - JANE (X)", cik="0000000002", role="Reporting"
    )
    assert company_title_form("S-1/A [Amend] - General form") == "S-1/A"
    assert company_title_form("CORRESP [Cover] - Correspondence") == "CORRESP"
    assert company_title_form("no dash here") is None


def test_a_title_of_a_hundred_thousand_dashes_costs_only_its_entry() -> None:
    # the old expression took minutes on it (quadratic); the whole page is read
    title = " - " * 100_000
    page = parse_latest_feed(
        latest_feed(
            latest_entry(GOOD_BEFORE), latest_entry(POISONED, title=title), latest_entry(GOOD_AFTER)
        ),
        base_url=BASE,
    )
    assert [f.accession_number for f in page.filings()] == [GOOD_BEFORE, GOOD_AFTER]
    assert [(s.entry_id, s.reason) for s in page.skipped] == [(POISONED, SkipReason.BAD_LAYOUT)]


def test_a_company_title_of_a_hundred_thousand_brackets_costs_only_its_entry() -> None:
    hostile = (
        f'<entry><content type="text/xml"><accession-number>{POISONED}</accession-number>'
        f"</content><title>8-K{' [x' * 100_000}</title>"
        "<updated>2023-07-20T09:26:09-04:00</updated></entry>"
    )
    page = parse_company_feed(company_feed(hostile), base_url=BASE)
    assert [(s.entry_id, s.reason) for s in page.skipped] == [(POISONED, SkipReason.BAD_FORM)]


def test_a_summary_with_a_million_spaces_after_filed_is_read() -> None:
    # "Filed:\s*(?:</b>)?\s*" backtracked quadratically over the spaces
    assert filing_date_from_summary("<b>Filed:" + " " * 1_000_000) is None
    assert str(filing_date_from_summary("Filed: </b>   2026-01-12")) == "2026-01-12"
    summary = "AccNo:" + " " * 1_000_000 + "<b>Filed:</b> 2026-01-12"
    (filing,) = parse_latest_feed(
        latest_feed(latest_entry(POISONED, summary=summary)), base_url=BASE
    ).filings()
    assert str(filing.filing_date) == "2026-01-12"
