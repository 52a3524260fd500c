"""Reading documents: broken PDF and HTML give clear errors, never a crash."""

from __future__ import annotations

import binascii
from pathlib import Path

import pytest

from edgarmon.classifier.domain.classify import KnownFiling, classify
from edgarmon.classifier.domain.document_reading import read_fetched, read_input
from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.submission import parse_submission
from edgarmon.classifier.domain.text_extraction import (
    MAX_INPUT_BYTES,
    MAX_TEXT_CHARS,
    html_to_text,
    pdf_to_text,
    text_from_bytes,
    uudecode,
)
from edgarmon.core.domain.errors import DocumentTooLarge, EdgarmonError, FeedParseError
from edgarmon.core.domain.filing import EASTERN, Document
from edgarmon.core.domain.messages import Item801Label, ItemReading, ItemSource

BROKEN_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf body"
BINARY_HTML = b"<html><body>\x00\x01\x02\x03" + bytes(range(256)) * 4 + b"</body></html>"


def test_broken_pdf_raises_a_typed_error_naming_the_stage() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        pdf_to_text(BROKEN_PDF, name="filename1.pdf")

    assert caught.value.stage == "pdf"
    assert isinstance(caught.value, FeedParseError)
    assert "filename1.pdf" in str(caught.value)


def test_bytes_that_are_not_a_pdf_are_refused() -> None:
    with pytest.raises(UnreadableDocument, match="no %PDF header"):
        pdf_to_text(b"<html>not a pdf</html>")


def test_binary_html_raises_a_typed_error() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        html_to_text(BINARY_HTML.decode("latin-1"), name="ex99.htm")
    assert caught.value.stage == "html"


def test_oversized_input_is_refused_before_reading() -> None:
    with pytest.raises(DocumentTooLarge):
        read_input(b"a" * (MAX_INPUT_BYTES + 1), "big.htm")


def test_a_broken_exhibit_becomes_an_error_and_the_filing_is_still_labelled() -> None:
    fetched = [
        (
            Document(url="https://www.sec.gov/a/ex99-1.pdf", type="EX-99.1", filename="ex99-1.pdf"),
            BROKEN_PDF,
        ),
        (
            Document(url="https://www.sec.gov/a/ex99-2.htm", type="EX-99.2", filename="ex99-2.htm"),
            BINARY_HTML,
        ),
    ]
    texts, errors = read_fetched(fetched)

    assert texts == ()
    assert [e.stage for e in errors] == ["pdf", "html"]
    assert errors[0].url == "https://www.sec.gov/a/ex99-1.pdf"
    known = KnownFiling(
        form_type="8-K",
        form_source="event",
        item_readings=(ItemReading(source=ItemSource.EVENT, items=("8.01", "9.01")),),
    )
    result = classify(known, texts, errors=errors)
    assert [type(x) for x in result.labels] == [Item801Label]
    assert result.errors == errors


def test_a_broken_pdf_inside_a_submission_is_an_error_not_a_crash() -> None:
    broken = binascii.b2a_uu(BROKEN_PDF[:45]).decode()
    submission = (
        "<SEC-DOCUMENT>x\n<SEC-HEADER>\nCONFORMED SUBMISSION TYPE:\tUPLOAD\n</SEC-HEADER>\n"
        "<DOCUMENT>\n<TYPE>LETTER\n<SEQUENCE>1\n<FILENAME>filename1.pdf\n<TEXT>\n<PDF>\n"
        f"begin 644 filename1\n{broken}end\n</PDF>\n</TEXT>\n</DOCUMENT>\n"
    )
    read = read_input(submission.encode(), "0000000000-30-000001.txt")

    assert read.header is not None
    assert read.header.form_type == "UPLOAD"
    assert read.documents == ()
    assert [e.stage for e in read.errors] == ["pdf"]


def test_every_failure_is_an_edgarmon_error() -> None:
    assert issubclass(UnreadableDocument, EdgarmonError)


def test_uudecode_round_trip() -> None:
    payload = bytes(range(200))
    lines = [binascii.b2a_uu(payload[i : i + 45]).decode() for i in range(0, len(payload), 45)]
    encoded = "begin 644 file\n" + "".join(lines) + "`\nend\n"
    assert uudecode(encoded) == payload
    with pytest.raises(UnreadableDocument):
        uudecode("no block here")


def test_html_keeps_one_line_per_block_and_drops_hidden_xbrl() -> None:
    html = (
        "<html><body><div style='display:none'>dei:DocumentType 8-K</div>"
        "<p>ITEM 8.01&nbsp;OTHER\nEVENTS</p><table><tr><td>Item 9.01</td><td>Exhibits</td></tr>"
        "</table><script>var x = 1;</script></body></html>"
    )
    assert html_to_text(html) == "ITEM 8.01 OTHER EVENTS\nItem 9.01 Exhibits"


def test_text_is_capped() -> None:
    document = text_from_bytes(b"word " * (MAX_TEXT_CHARS // 2), filename="long.txt")
    assert document.truncated
    assert len(document.text) == MAX_TEXT_CHARS


def test_real_upload_pdf_is_read(edgar: Path) -> None:
    path = edgar / "filings/upload/ABBV_0000000000-22-010309/0000000000-22-011560_filename1.pdf"
    text = pdf_to_text(path.read_bytes())
    assert "We have completed our review of your filing" in " ".join(text.split())


def test_sgml_header_companies_roles_and_eastern_acceptance_time(edgar: Path) -> None:
    path = edgar / "filings/upload/0000000000-24-003505_UPLOAD_Apple.txt"
    header = parse_submission(path.read_text(encoding="utf-8")).header

    assert header is not None
    assert header.form_type == "UPLOAD"
    assert header.accession_number == "0000000000-24-003505"
    assert header.accepted_at is not None
    assert header.accepted_at.tzinfo is EASTERN
    assert (header.accepted_at.hour, header.accepted_at.minute) == (12, 36)
    assert [(c.cik, c.role) for c in header.companies] == [(320193, "Filed for")]
    assert header.file_numbers == ("001-36743",)
    assert header.reference_accession == "0000320193-23-000106"


def test_form4_header_keeps_both_roles(edgar: Path) -> None:
    path = edgar / "sgml_headers/0001140361-23-028639_form4_header.txt"
    header = parse_submission(path.read_text(encoding="utf-8")).header

    assert header is not None
    assert [c.role for c in header.companies] == ["Reporting", "Issuer"]
    assert header.accepted_at is not None
    assert header.accepted_at.utcoffset() is not None


def test_nc_header_gives_form_items_and_companies(edgar: Path) -> None:
    path = edgar / "filings/8k/0001493152-25-001317_8-K_AcornEnergy.nc"
    submission = parse_submission(path.read_text(encoding="utf-8", errors="replace"))

    assert submission.header is not None
    assert submission.header.form_type == "8-K"
    assert submission.header.item_numbers == ("5.02", "9.01")
    assert submission.header.companies[0].cik == 880984
    assert submission.documents[0].doc_type == "8-K"
