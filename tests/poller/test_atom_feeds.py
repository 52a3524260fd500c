"""Parsing the latest-filings and company Atom feeds, on the real recordings and on
small hand-written feeds for the encodings and the malformed cases."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import EASTERN, Filing
from edgarmon.poller.domain.atom_feeds import parse_company_feed, parse_latest_feed
from edgarmon.poller.domain.feed_entries import ROLE_NOT_STATED, items_from_summary

from .conftest import BASE

LATEST = "atom_current/getcurrent_all_count100_start{start}_2026-01-12.xml"
KEEN_VISION = "atom_company/getcompany_atom_KeenVisionAcq_CIK1889983_2025-01.xml"
TWITTER_2016 = "atom_company/getcompany_atom_Twitter_CIK1418091_2016.xml"
MAQUIA = "atom_company/getcompany_atom_MaquiaCapital_CIK1844419_S-1A.xml"


def _filings(shared_edgar: Path, start: int) -> dict[str, Filing]:
    page = parse_latest_feed(
        (shared_edgar / LATEST.format(start=start)).read_bytes(), base_url=BASE
    )
    return {filing.accession_number: filing for filing in page.filings()}


def test_latest_feed_groups_entries_by_accession_with_every_company_and_role(
    shared_edgar: Path,
) -> None:
    page = parse_latest_feed((shared_edgar / LATEST.format(start=0)).read_bytes(), base_url=BASE)
    assert len(page.entries) == 100
    assert page.rejected == ()
    filings = page.filings()
    assert len(filings) == 73 == len(page.accessions)
    form4 = {f.accession_number: f for f in filings}["0000080661-26-000032"]
    assert [(c.cik, c.name, c.role) for c in form4.companies] == [
        (1071287, "DAVIS CHARLES A", "Reporting"),
        (80661, "PROGRESSIVE CORP/OH/", "Issuer"),
    ]
    vanguard = _filings(shared_edgar, 500)["0001193125-26-009897"]
    assert vanguard.form_type == "497"
    assert len(vanguard.companies) == 15
    assert len(vanguard.ciks) == 15


def test_latest_feed_reads_items_times_dates_and_links(shared_edgar: Path) -> None:
    form_d = _filings(shared_edgar, 0)["0000950103-26-000356"]
    assert form_d.items == ("3C", "3C.7")
    assert form_d.accepted_at == datetime(2026, 1, 12, 11, 26, 52, tzinfo=EASTERN)
    assert form_d.accepted_at.utcoffset() == timedelta(hours=-5)
    assert form_d.filing_date == date(2026, 1, 12)
    eight_k = _filings(shared_edgar, 600)["0001104659-26-002736"]
    assert (eight_k.form_type, eight_k.items) == ("8-K", ("2.02", "8.01", "9.01"))
    assert eight_k.index_url == (
        f"{BASE}/Archives/edgar/data/1616543/000110465926002736/0001104659-26-002736-index.htm"
    )


def test_old_latest_feeds_with_http_links_are_rebased(shared_edgar: Path) -> None:
    raw = (shared_edgar / "atom_current/getcurrent_type10-K_2016-02-25.xml").read_bytes()
    assert b'href="http://www.sec.gov/Archives' in raw
    filings = parse_latest_feed(raw, base_url=BASE).filings()
    assert len(filings) == 32
    assert all(f.index_url.startswith(f"{BASE}/Archives/edgar/data/") for f in filings)
    assert {f.base_form_type for f in filings} == {"10-K"}


def test_company_feed_reads_letters_with_their_original_dates(shared_edgar: Path) -> None:
    page = parse_company_feed((shared_edgar / KEEN_VISION).read_bytes(), base_url=BASE)
    assert len(page.entries) == 55
    by_accession = {f.accession_number: f for f in page.filings()}
    letter = by_accession["0001213900-23-058336"]
    assert letter.form_type == "CORRESP"
    assert letter.companies[0].cik == 1889983
    assert letter.companies[0].name == "Keen Vision Acquisition Corp."
    assert letter.companies[0].role == ROLE_NOT_STATED
    assert letter.accepted_at == datetime(2023, 7, 20, 9, 26, 9, tzinfo=EASTERN)
    assert letter.accepted_at.utcoffset() == timedelta(hours=-4)  # summer time
    upload = by_accession["0000000000-23-006632"]
    assert (upload.form_type, upload.filing_date) == ("UPLOAD", date(2023, 6, 21))
    eight_k = by_accession["0001213900-25-006497"]
    assert eight_k.items == ("1.01", "2.03", "8.01", "9.01")


def test_company_feeds_with_old_misspelt_elements_and_amendments(shared_edgar: Path) -> None:
    twitter = parse_company_feed((shared_edgar / TWITTER_2016).read_bytes(), base_url=BASE)
    assert b"<accession-nunber>" in (shared_edgar / TWITTER_2016).read_bytes()
    assert len(twitter.filings()) == 40
    no_action = {f.accession_number: f for f in twitter.filings()}["9999999997-16-017561"]
    assert (no_action.form_type, no_action.filing_date) == ("NO ACT", date(2016, 2, 16))
    assert no_action.index_url.startswith(f"{BASE}/Archives/edgar/data/1418091/")
    maquia = parse_company_feed((shared_edgar / MAQUIA).read_bytes(), base_url=BASE).filings()
    assert [f.form_type for f in maquia].count("S-1/A") == 4
    assert all(f.is_amendment for f in maquia if f.form_type == "S-1/A")


def _company_feed(title: str, encoding: str = "ISO-8859-1", name: bytes = b"ACME CORP") -> bytes:
    return (
        (
            f'<?xml version="1.0" encoding="{encoding}" ?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom"><company-info><cik>0000000042</cik>'
            "<conformed-name>"
        ).encode()
        + name
        + (
            "</conformed-name></company-info><title>x</title><entry>"
            '<content type="text/xml"><accession-number>0000000042-23-000007</accession-number>'
            "<filing-date>2023-07-20</filing-date></content>"
            f"<title>{title}</title><updated>2023-07-20T09:26:09-04:00</updated>"
            "</entry></feed>"
        ).encode()
    )


@pytest.mark.parametrize(
    ("title", "form"),
    [
        ("8-K  - Current report", "8-K"),
        ("CORRESP [Cover] - Correspondence", "CORRESP"),
        ("UPLOAD [Cover] - SEC-generated letter", "UPLOAD"),
        ("S-1/A [Amend]  - General form for registration", "S-1/A"),
    ],
)
def test_company_feed_form_type_from_the_title_when_nothing_else_says(
    title: str, form: str
) -> None:
    (filing,) = parse_company_feed(_company_feed(title), base_url=BASE).filings()
    assert filing.form_type == form
    assert filing.accession_number == "0000000042-23-000007"
    assert filing.index_url == (
        f"{BASE}/Archives/edgar/data/42/000000004223000007/0000000042-23-000007-index.htm"
    )


@pytest.mark.parametrize(
    ("encoding", "raw_name", "name"),
    [
        ("ISO-8859-1", "SOCIÉTÉ GÉNÉRALE".encode("latin-1"), "SOCIÉTÉ GÉNÉRALE"),
        ("windows-1252", b"O\x92NEIL \x93QUOTED\x94", "O\u2019NEIL \u201cQUOTED\u201d"),
        ("ISO-8859-1", b"O\x92NEIL", "O\u2019NEIL"),  # cp1252 bytes under a latin-1 label
    ],
)
def test_feeds_in_latin1_and_windows_1252(encoding: str, raw_name: bytes, name: str) -> None:
    company = parse_company_feed(_company_feed("8-K - x", encoding, raw_name), base_url=BASE)
    assert company.filings()[0].companies[0].name == name
    latest = (
        (
            f'<?xml version="1.0" encoding="{encoding}" ?>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Latest</title><entry><title>8-K - '
        ).encode()
        + raw_name
        + (
            b" (0000000042) (Filer)</title>"
            b"<id>urn:tag:sec.gov,2008:accession-number=0000000042-26-000001</id>"
            b"<updated>2026-01-12T11:26:52-05:00</updated></entry></feed>"
        )
    )
    (filing,) = parse_latest_feed(latest, base_url=BASE).filings()
    assert filing.companies[0].name == name
    assert filing.filing_date == date(2026, 1, 12)  # no summary: the acceptance date


def test_truncated_feed_is_a_clear_error(shared_edgar: Path) -> None:
    raw = (shared_edgar / LATEST.format(start=0)).read_bytes()
    with pytest.raises(FeedParseError, match="not well-formed XML at line"):
        parse_latest_feed(raw[: len(raw) // 3], base_url=BASE)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<html><head><title>SEC.gov | File Unavailable</title></head></html>",
        b'{"not": "a feed"}',
    ],
)
def test_what_is_not_an_atom_feed_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="latest-filings feed"):
        parse_latest_feed(body, base_url=BASE)


def test_the_503_page_past_the_depth_is_not_a_feed(shared_edgar: Path) -> None:
    page = shared_edgar / "atom_current/getcurrent_start5100_503_FileUnavailable_2026-01-12.html"
    with pytest.raises(FeedParseError):
        parse_latest_feed(page.read_bytes(), base_url=BASE)


def test_an_unreadable_entry_is_skipped_and_reported() -> None:
    feed = (
        b'<?xml version="1.0" encoding="ISO-8859-1" ?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Latest</title>"
        b"<entry><title>no company here</title><updated>2026-01-12T11:00:00-05:00</updated>"
        b"<id>urn:tag:sec.gov,2008:accession-number=0000000001-26-000001</id></entry>"
        b"<entry><title>4 - DOE JANE (0000000002) (Reporting)</title>"
        b"<updated>2026-01-12T11:00:00-05:00</updated>"
        b"<id>urn:tag:sec.gov,2008:accession-number=0000000002-26-000002</id></entry>"
        b"</feed>"
    )
    page = parse_latest_feed(feed, base_url=BASE)
    assert [f.accession_number for f in page.filings()] == ["0000000002-26-000002"]
    assert len(page.rejected) == 1
    assert "entry 0" in page.rejected[0]
    assert page.raw_entry_count == 2


def test_items_from_summary_lines() -> None:
    summary = (
        "<b>Filed:</b> 2026-01-12 <b>AccNo:</b> 0001104659-26-002736 <b>Size:</b> 1 MB\n"
        "<br />Item 2.02: Results of Operations\n<br />Item 8.01: Other Events\n"
        "<br />Item 9.01: Financial Statements and Exhibits"
    )
    assert items_from_summary(summary) == ("2.02", "8.01", "9.01")
    form_d = "<br>Item 04: Rule 504\n<br>Item 06b: Rule 506(b)\n<br>Item 3C.1: Section 3(c)(1)"
    assert items_from_summary(form_d) == ("04", "06b", "3C.1")  # as EDGAR writes them
    assert items_from_summary("<b>Filed:</b> 2026-01-12") == ()
