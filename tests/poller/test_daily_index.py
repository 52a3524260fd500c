"""Parsing the daily index files (company, form, master, crawler) on the real recordings."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import EASTERN
from edgarmon.poller.domain.daily_index import parse_daily_index
from edgarmon.poller.domain.feed_entries import ROLE_NOT_STATED
from edgarmon.poller.domain.skipped_entries import SkipReason

from .conftest import BASE


def _index(shared_edgar: Path, name: str) -> bytes:
    return (shared_edgar / "index" / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "flavor", "day", "counts"),
    [
        ("company.20221003.idx", "company", date(2022, 10, 3), (4925, 3195)),
        ("company.20230703.idx", "company", date(2023, 7, 3), (4539, 2870)),
        ("crawler.20230703.idx", "crawler", date(2023, 7, 3), (4539, 2870)),
        ("form.20200318.idx", "form", date(2020, 3, 18), (4084, 2666)),
        ("form_empty_2025-03-29.idx", "form", date(2025, 3, 29), (0, 0)),
        ("master.20181231_fragment.idx", "master", date(2018, 12, 31), (10, 10)),
        ("master_1993QTR4_fragment.idx", "master", date(1993, 12, 31), (20, 19)),
    ],
)
def test_every_flavor_parses_completely(
    shared_edgar: Path, name: str, flavor: str, day: date, counts: tuple[int, int]
) -> None:
    rows, filings = counts
    index = parse_daily_index(_index(shared_edgar, name), base_url=BASE)
    assert index.flavor == flavor
    assert index.last_data_received == day
    assert (len(index.rows), len(index.filings), index.rejected) == (rows, filings, ())
    assert len(index.accessions) == filings


def test_one_filing_per_accession_with_every_cik(shared_edgar: Path) -> None:
    index = parse_daily_index(_index(shared_edgar, "company.20230703.idx"), base_url=BASE)
    by_accession = {f.accession_number: f for f in index.filings}
    aetos = by_accession["0001104659-23-060767"]
    assert aetos.form_type == "CORRESP"
    assert [c.cik for c in aetos.companies] == [1169578, 1169583, 1169580]
    assert {c.role for c in aetos.companies} == {ROLE_NOT_STATED}
    biggest = max(index.filings, key=lambda filing: len(filing.companies))
    assert (biggest.accession_number, len(biggest.companies)) == ("0001741773-23-002234", 54)


def test_letters_released_late_keep_their_original_date(shared_edgar: Path) -> None:
    index = parse_daily_index(_index(shared_edgar, "company.20230703.idx"), base_url=BASE)
    letters = [f for f in index.filings if f.form_type in {"CORRESP", "UPLOAD"}]
    assert Counter(f.form_type for f in letters) == {"CORRESP": 43, "UPLOAD": 34}
    assert all(f.filing_date < date(2023, 7, 3) for f in letters)


def test_acceptance_time_stands_in_as_midnight_eastern_of_the_filing_date(
    shared_edgar: Path,
) -> None:
    index = parse_daily_index(_index(shared_edgar, "company.20230703.idx"), base_url=BASE)
    aetos = {f.accession_number: f for f in index.filings}["0001104659-23-060767"]
    assert aetos.filing_date == date(2023, 5, 15)
    assert aetos.accepted_at == datetime(2023, 5, 15, 0, 0, tzinfo=EASTERN)
    assert aetos.accepted_at.utcoffset() is not None


def test_crawler_and_company_agree_and_links_are_canonical(shared_edgar: Path) -> None:
    company = parse_daily_index(_index(shared_edgar, "company.20230703.idx"), base_url=BASE)
    crawler = parse_daily_index(_index(shared_edgar, "crawler.20230703.idx"), base_url=BASE)
    assert company.accessions == crawler.accessions
    # the crawler's URL has no accession folder; the filing's index_url always has one
    filing = {f.accession_number: f for f in crawler.filings}["0001975393-23-000001"]
    assert filing.index_url == (
        f"{BASE}/Archives/edgar/data/1975393/000197539323000001/0001975393-23-000001-index.htm"
    )
    assert filing.folder_url.endswith("/000197539323000001/")


def test_form_index_with_truncated_form_names_and_quarterly_dates(shared_edgar: Path) -> None:
    daily = parse_daily_index(_index(shared_edgar, "form.20200318.idx"), base_url=BASE)
    staff = [f for f in daily.filings if f.form_type.startswith("SEC STAFF")]
    assert len(staff) == 96
    assert all(f.accession_number.startswith("9999999997-") for f in staff)
    quarterly = parse_daily_index(
        _index(shared_edgar, "form_idx_fragment_2021Q1_badform.idx.txt"), base_url=BASE
    )
    listed_twice = {f.accession_number: f for f in quarterly.filings}["0001477932-21-001700"]
    assert listed_twice.form_type == "1-A"  # the first of its two rows
    assert listed_twice.filing_date == date(2021, 3, 26)


def test_rows_that_cannot_be_read_are_reported_not_guessed() -> None:
    text = (
        "Description:           Daily Index of EDGAR Dissemination Feed\n"
        "Last Data Received:    Jul  3, 2023\n\n"
        "CIK|Company Name|Form Type|Date Filed|File Name\n"
        "--------------------------------------------------------------------------------\n"
        "1000228|HENRY SCHEIN INC|4|20230703|edgar/data/1000228/0001209191-23-064398.txt\n"
        "1000275|ROYAL BANK OF CANADA|424B2|2023070\n"
        "notacik|X|4|20230703|edgar/data/1/0001209191-23-064399.txt\n"
    )
    index = parse_daily_index(text, base_url=BASE)
    assert [f.accession_number for f in index.filings] == ["0001209191-23-064398"]
    assert [(skip.reason, skip.entry_id) for skip in index.skipped] == [
        (SkipReason.BAD_LAYOUT, "1000275|ROYAL BANK OF CANADA|424B2|2023070"),
        (SkipReason.BAD_CIK, "0001209191-23-064399"),
    ]
    assert index.skipped[0].detail.startswith("line 7 ")
    assert len(index.rejected) == 2


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><title>SEC.gov | Page Not Found</title></html>", b"Description: x\n\n"],
)
def test_what_is_not_an_index_is_a_clear_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="not an EDGAR index"):
        parse_daily_index(body, base_url=BASE)


def test_index_filings_say_their_acceptance_time_is_an_estimate() -> None:
    text = (
        "Description: Master Index\n\nCIK|Company Name|Form Type|Date Filed|Filename\n"
        "--------------------------------------------------------------------------------\n"
        "320193|Apple Inc.|CORRESP|2024-04-29|edgar/data/320193/0000320193-24-000061.txt\n"
    )
    index = parse_daily_index(text.encode(), base_url="https://www.sec.gov")
    (filing,) = index.filings
    assert filing.accepted_at_estimated is True
