"""Planning: which filings need documents, and which documents, from a real index.json."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from edgarmon.classifier.domain.planning import documents_to_fetch, exhibit_type, needs_documents
from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import EASTERN, Company, Document, Filing


def filing(form_type: str, items: tuple[str, ...] = (), **extra: object) -> Filing:
    return Filing.model_validate(
        {
            "accession_number": "0001213900-24-004875",
            "form_type": form_type,
            "companies": [Company(cik=1648960, name="Example Corp", role="Filer")],
            "items": items,
            "accepted_at": datetime(2024, 1, 19, 16, 21, 45, tzinfo=EASTERN),
            "filing_date": date(2024, 1, 19),
            "index_url": "https://www.sec.gov/Archives/edgar/data/1648960/000121390024004875/"
            "0001213900-24-004875-index.htm",
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("form_type", "items", "needed"),
    [
        ("10-Q", (), False),
        ("4", (), False),
        ("10-K", (), False),
        ("S-1", (), False),
        ("8-K", (), True),  # items unknown (daily index): read the document
        ("8-K", ("5.02",), False),  # an officer change: no label needs the text
        ("8-K", ("2.02", "9.01"), False),  # an earnings release is never a clinical update
        ("8-K", ("8.01",), True),
        ("8-K/A", ("7.01", "9.01"), True),
        ("8-K", ("1.01", "9.01"), True),
        ("6-K", (), True),
        ("CORRESP", (), True),
        ("UPLOAD", (), True),
    ],
)
def test_needs_documents(form_type: str, items: tuple[str, ...], needed: bool) -> None:
    assert needs_documents(filing(form_type, items)) is needed


def test_an_8k_index_gives_the_primary_document_and_ex99_exhibits_only(edgar: Path) -> None:
    index = (edgar / "filing_index/0001213900-24-004875-index.json").read_bytes()

    chosen = documents_to_fetch(filing("8-K", ("8.01", "9.01")), index)

    folder = "https://www.sec.gov/Archives/edgar/data/1648960/000121390024004875/"
    assert [(d.type, d.filename) for d in chosen] == [
        ("8-K", "ea191807-8k_datchat.htm"),
        ("EX-99.1", "ea191807ex99-1_datchat.htm"),
        ("EX-99.2", "ea191807ex99-2_datchat.htm"),
        ("EX-99.3", "ea191807ex99-3_datchat.htm"),
    ]
    assert chosen[0].url == folder + "ea191807-8k_datchat.htm"
    assert chosen[1].size == 9363


def test_an_upload_index_gives_the_letter_pdf(edgar: Path) -> None:
    index = edgar / "filings/upload/ABBV_0000000000-18-013671/0000000000-18-013671_index.json"
    chosen = documents_to_fetch(filing("UPLOAD"), index.read_bytes())

    assert [(d.type, d.filename) for d in chosen] == [("LETTER", "filename1.pdf")]


def test_a_corresp_index_gives_the_letter(edgar: Path) -> None:
    index = edgar / "filings/corresp/ABBV_0000000000-18-013671/0001104659-18-032238_index.json"
    chosen = documents_to_fetch(filing("CORRESP"), index.read_bytes())

    assert [(d.type, d.filename) for d in chosen] == [("CORRESP", "filename1.htm")]


def test_metadata_only_filings_cost_no_request(edgar: Path) -> None:
    index = (edgar / "filing_index/0001140361-25-000228_index.json").read_bytes()
    assert documents_to_fetch(filing("10-Q"), index) == ()
    assert documents_to_fetch(filing("8-K", ("5.02",)), b"not even json") == ()


def test_documents_already_listed_on_the_filing_are_used(edgar: Path) -> None:
    listed = (
        Document(url="https://www.sec.gov/x/d8k.htm", type="8-K", filename="d8k.htm"),
        Document(url="https://www.sec.gov/x/ex1.htm", type="EX-1.1", filename="ex1.htm"),
        Document(url="https://www.sec.gov/x/ex99.htm", type="EX-99.1", filename="ex99.htm"),
    )
    chosen = documents_to_fetch(filing("8-K", ("8.01",), documents=listed), b"")
    assert [d.type for d in chosen] == ["8-K", "EX-99.1"]


def test_a_listing_that_is_not_one_is_a_feed_parse_error() -> None:
    with pytest.raises(FeedParseError):
        documents_to_fetch(filing("8-K"), b'{"directory": {}}')
    with pytest.raises(FeedParseError):
        documents_to_fetch(filing("8-K"), b"<html>")


@pytest.mark.parametrize(
    ("name", "doc_type"),
    [
        ("ea191807ex99-1_datchat.htm", "EX-99.1"),
        ("d435686dex991.htm", "EX-99.1"),
        ("acst-ex99_1.htm", "EX-99.1"),
        ("a2109906zex-99_1.htm", "EX-99.1"),
        ("ex99.htm", "EX-99"),
        ("ea191807ex1-1_datchat.htm", None),
        ("d8k.htm", None),
    ],
)
def test_exhibit_types_from_file_names(name: str, doc_type: str | None) -> None:
    assert exhibit_type(name) == doc_type
