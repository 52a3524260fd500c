"""Hostile documents end in a bounded outcome: a normal result or a one-line error.

Each input is built here, at test time, at the size that made the reading or the
labelling run for minutes before (a backtracking regular expression, a parse or a
scan quadratic in the input). Nothing here times anything: a regression shows as a
slow suite (and the suite's timeout), not as a flaky assertion.
"""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime

import pytest

from edgarmon.classifier.domain.classify import classify
from edgarmon.classifier.domain.classify_input import classify_input, classify_read
from edgarmon.classifier.domain.document_reading import read_fetched, read_input
from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.html_text import MAX_NESTING, bounded_nesting
from edgarmon.classifier.domain.item_headings import item_headings
from edgarmon.classifier.domain.text_extraction import pdf_to_text
from edgarmon.core.domain.filing import Company, Document, Filing
from edgarmon.core.domain.messages import ClassificationError

MILLION = 1_000_000
HEADING = b"<html><body><p>Item 8.01 Other Events</p>"


MIB = 1024 * 1024
TEXT_CONTENT = b"BT /F1 12 Tf 72 720 Td (Item 8.01 Other Events) Tj ET\n"


def pdf_with_shared_content(stream: bytes, pages: int, *, content_form: bool = False) -> bytes:
    """A PDF whose ``pages`` pages all draw one deflated content stream, directly or
    (``content_form``) through one form XObject."""
    resources = b"/Font << /F1 4 0 R >>" + (b" /XObject << /X1 3 0 R >>" if content_form else b"")
    if content_form:
        content = b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
        content += b"/Resources << /Font << /F1 4 0 R >> >> "
    else:
        content = b"<< "
    content += b"/Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << %s >> " % resources
    page += b"/Contents %d 0 R >>" % (5 + pages if content_form else 3)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        content + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *[page] * pages,
    ]
    if content_form:
        draw = zlib.compress(b"/X1 Do\n")
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(draw) + draw)
        objects[-1] += b"\nendstream"
    return pdf_file(*objects)


def pdf_file(*objects: bytes) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) and its xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def deflated_zeros(mib: int) -> bytes:
    packer = zlib.compressobj(1)
    return b"".join(packer.compress(bytes(MIB)) for _ in range(mib)) + packer.flush()


def test_60_pages_sharing_one_70_mib_zero_stream_are_refused_with_one_line() -> None:
    data = pdf_with_shared_content(deflated_zeros(70), pages=60)

    read = read_input(data, "letter.pdf")

    assert read.documents == ()
    assert read.errors == (
        ClassificationError(
            stage="pdf", message="pdf: the PDF decompresses to more than 8 MiB (letter.pdf)"
        ),
    )


def test_a_shared_stream_counts_once_for_every_page_that_draws_it() -> None:
    stream = zlib.compress(TEXT_CONTENT)
    data = pdf_with_shared_content(stream, pages=3)
    budget = 3 * len(TEXT_CONTENT)

    assert (
        pdf_to_text(data, max_decompressed_bytes=budget).splitlines()
        == ["Item 8.01 Other Events"] * 3
    )
    with pytest.raises(UnreadableDocument, match="decompresses to more than"):
        pdf_to_text(data, max_decompressed_bytes=budget - 1)


def test_a_form_drawn_by_every_page_counts_for_every_page() -> None:
    data = pdf_with_shared_content(zlib.compress(TEXT_CONTENT), pages=4, content_form=True)
    drawing = len(b"/X1 Do\n")
    budget = 4 * (len(TEXT_CONTENT) + drawing)

    assert pdf_to_text(data, max_decompressed_bytes=budget) == "\n".join(
        ["Item 8.01 Other Events"] * 4
    )
    with pytest.raises(UnreadableDocument, match="decompresses to more than"):
        pdf_to_text(data, max_decompressed_bytes=budget - 1)


def test_a_zero_stream_within_the_budget_is_a_pdf_without_text() -> None:
    data = pdf_with_shared_content(deflated_zeros(1), pages=8)

    (error,) = read_input(data, "letter.pdf").errors

    assert error.message == "pdf: the PDF has no text layer (a scanned image?) (letter.pdf)"


def html_text_of(data: bytes) -> str:
    (document,) = read_input(data, "ex99.htm").documents
    assert document.kind == "html"
    return document.text


def test_150k_nested_divs_keep_their_text_and_the_heading() -> None:
    data = HEADING + b"<div>" * 150_000 + b"A dividend." + b"</div>" * 150_000 + b"<p>After.</p>"

    result = classify_input(data, "8k.htm", form_type="8-K")

    assert html_text_of(data) == "Item 8.01 Other Events\nA dividend.\nAfter."
    assert result.items == ("8.01",)


def test_100k_unclosed_pres_keep_their_text() -> None:
    data = HEADING + b"<pre>" * 100_000 + b"The Company\n\n  announced"

    assert html_text_of(data) == "Item 8.01 Other Events\nThe Company\nannounced"


def test_200k_unterminated_hr_tags_are_one_broken_tag() -> None:
    assert html_text_of(HEADING + b"<hr x" * 200_000) == "Item 8.01 Other Events"


def test_200k_options_of_a_select_keep_their_text() -> None:
    data = HEADING + b"<select>" + b"<option>x" * 200_000 + b"</select><p>After.</p>"

    text = html_text_of(data)

    assert text.splitlines() == ["Item 8.01 Other Events", "x" * 200_000, "After."]


def test_nesting_is_cut_at_the_limit_and_ordinary_html_is_left_alone() -> None:
    deep = "<div>" * (MAX_NESTING + 9000) + "x"
    few_tags = deep[:5000]
    ordinary = "<p>one<p>two<br><img src=a.png>" * 3000 + "<svg>" + "<path d='M0 0'/>" * 3000

    assert bounded_nesting(deep) == "<div>" * MAX_NESTING + "x"
    assert bounded_nesting(ordinary) == ordinary
    assert bounded_nesting(few_tags) is few_tags


def test_a_heading_followed_by_a_million_blank_lines_is_read_as_two_lines() -> None:
    data = b"Item 8.01 Other Events" + b"\n" * MILLION + b"The Company announced a dividend."

    read = read_input(data, "8k.txt")
    result = classify_read(read, form_type="8-K")

    assert [d.text for d in read.documents] == [
        "Item 8.01 Other Events\nThe Company announced a dividend."
    ]
    assert result.items == ("8.01",)
    assert [label.id.value for label in result.labels] == ["8k_item_8_01"]


def test_a_million_lines_of_spaces_and_carriage_returns_are_read_as_blank() -> None:
    data = b"Item 8.01 Other Events" + b" \t\r\n" * MILLION + b"<PAGE>\r\nThe Company."

    read = read_input(data, "8k.txt")

    assert [d.text for d in read.documents] == ["Item 8.01 Other Events\nThe Company."]


def test_a_submission_header_value_with_a_million_spaces_inside_is_read() -> None:
    spaces = " " * MILLION
    data = (
        "<SEC-DOCUMENT>0000000000-31-000001.txt\n<SEC-HEADER>\n"
        "ACCESSION NUMBER:\t\t0000000000-31-000001\n"
        "CONFORMED SUBMISSION TYPE:\t8-K\n"
        f"ITEM INFORMATION:\tOther Events{spaces}\n"
        f"ITEM INFORMATION:\tFinancial Statements{spaces}and Exhibits\n"
        "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n"
        f"Item 8.01 Other Events{chr(10) * MILLION}</TEXT>\n</DOCUMENT>\n"
    ).encode()

    read = read_input(data, "0000000000-31-000001.txt")
    result = classify_read(read)

    assert read.header is not None
    assert read.header.form_type == "8-K"
    assert read.header.item_names == (
        "Other Events",
        f"Financial Statements{spaces}and Exhibits",
    )
    assert result.items == ("8.01", "9.01")


def test_one_line_of_forty_thousand_item_mentions_is_read_in_one_pass() -> None:
    text = "Item 8.01 " * 40_000

    headings = item_headings(text)

    assert [(h.number, h.start, h.end) for h in headings] == [("8.01", 0, len("Item 8.01"))]
    assert headings[0].text.startswith("Item 8.01 Item 8.01")
    assert len(headings[0].text) == 200


def test_an_8k_of_one_long_line_of_item_mentions_is_labelled() -> None:
    result = classify_input(b"Item 8.01 Other Events. " * 16_000, "8k.txt", form_type="8-K")

    assert result.items == ("8.01",)
    assert [label.id.value for label in result.labels] == ["8k_item_8_01"]


EMPTY_DOCUMENTS = {
    "empty.htm": b"",
    "space.txt": b"  \r\n\n\t  \n",
    "markup.htm": b"<html><head><title>Press release</title></head><body><div><p> </p></div>",
    "wrapped.txt": b"<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n\n</TEXT>\n</DOCUMENT>\n",
}


def test_a_fetched_document_without_text_is_a_read_error_on_the_event() -> None:
    folder = "https://www.sec.gov/Archives/edgar/data/1/000000000031000001"
    fetched = [
        (Document(url=f"{folder}/{name}", type="EX-99.1", filename=name), data)
        for name, data in EMPTY_DOCUMENTS.items()
    ]
    filing = Filing(
        accession_number="0000000000-31-000001",
        form_type="8-K",
        companies=(Company(cik=1, name="Northwind Bio", role="Filed for"),),
        items=("8.01",),
        accepted_at=datetime(2031, 5, 1, 14, 0, tzinfo=UTC),
        filing_date=date(2031, 5, 1),
        index_url=f"{folder}/0000000000-31-000001-index.htm",
    )

    texts, errors = read_fetched(fetched)
    result = classify(filing, texts, errors=errors)

    assert texts == ()
    assert result.errors == tuple(
        ClassificationError(
            stage="read", message=f"read: no text to classify ({name})", url=f"{folder}/{name}"
        )
        for name in EMPTY_DOCUMENTS
    )
    assert [label.id.value for label in result.labels] == ["8k_item_8_01"]


def test_one_empty_input_still_reads_as_no_text_for_edgarmon_classify() -> None:
    read = read_input(b"", "empty.htm")

    assert (read.errors, [d.text for d in read.documents]) == ((), [""])
