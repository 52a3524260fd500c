"""8-K item headings wherever they stand: run-in, in tables, combined, oddly spaced.

The small documents here are written for these tests; every 8-K document in
``../shared`` is checked against ``expected_8k_items.tsv``, our own reading of it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from edgarmon.classifier.domain.classify_input import classify_input
from edgarmon.classifier.domain.document_reading import read_input
from edgarmon.classifier.domain.item_headings import item_headings
from edgarmon.classifier.domain.item_label import primary_documents
from edgarmon.classifier.domain.items import items_from_document
from edgarmon.classifier.domain.text_extraction import html_to_text

EXPECTED = Path(__file__).with_name("expected_8k_items.tsv")

UNCLOSED_PARAGRAPHS = (
    "<html><body><p>FORM 8-K<p>CURRENT REPORT"
    "<p>Item 1.01 Entry into a Material Definitive Agreement."
    "<p>On May 1, 2031, Northwind Corp. entered into a credit agreement."
    "<p>Item 2.03&nbsp;&nbsp;Creation of a Direct Financial Obligation."
    "<p>The information set forth under Item 1.01 is incorporated herein by reference."
    "<p>Item&nbsp;8.01 Other Events<p>On May 2, 2031, Northwind announced a dividend."
    "<p>Item 9.01 Financial Statements and Exhibits.<p>(d) Exhibits</body></html>"
)
ONE_PARAGRAPH = (
    "<html><body><div>Pre-commencement communications pursuant to Rule 13e-4(c) under the "
    "Exchange Act (17 CFR 240.13e-4(c)) <font>Item 1.01 Entry into a Material Definitive "
    "Agreement.</font> On March 3, 2031, the Company entered into an indenture. "
    "<font>Item&nbsp;2.03 Creation of a Direct Financial Obligation or an Obligation under an "
    "Off-Balance Sheet Arrangement of a Registrant.</font> The information set forth under "
    "Item 1.01 above is incorporated herein by reference. <b>Item&nbsp;8.01&nbsp;Other "
    "Events.</b> On March 4, 2031, the Company issued a press release. <b>Item 9.01 "
    "Financial Statements and Exhibits.</b> (d) Exhibits.</div></body></html>"
)
TABLE_CELLS = (
    "<html><body><table>"
    "<tr><td>Item&nbsp;7.01</td><td>Regulation FD Disclosure.</td></tr>"
    "<tr><td colspan=2>The Company furnishes the slides attached as Exhibit 99.1.</td></tr>"
    "<tr><td><b>Item 8.01</b></td><td><b>Other Events.</b></td></tr>"
    "<tr><td>On June 1, 2031, the Company announced results of its tender offer.</td></tr>"
    "</table></body></html>"
)


def items_in_html(html: str) -> tuple[str, ...]:
    return items_from_document(html_to_text(html))


def test_html_whose_paragraphs_are_never_closed() -> None:
    assert items_in_html(UNCLOSED_PARAGRAPHS) == ("1.01", "2.03", "8.01", "9.01")


def test_headings_that_run_on_inside_one_paragraph() -> None:
    assert items_in_html(ONE_PARAGRAPH) == ("1.01", "2.03", "8.01", "9.01")


def test_headings_split_over_table_cells() -> None:
    text = html_to_text(TABLE_CELLS)

    assert items_from_document(text) == ("7.01", "8.01")
    assert "Item 8.01 Other Events." in text.splitlines()


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "Items 2.03 and 8.01. Creation of a Direct Financial Obligation; Other Events",
            ("2.03", "8.01"),
        ),
        ("ITEMS 1.01, 2.03 AND 9.01", ("1.01", "2.03", "9.01")),
        ("Item 7.01 Regulation FD Disclosure and Item 8.01 Other Events.", ("7.01", "8.01")),
        ("Item 8.01. On June 1, 2031, Northwind Corp. announced a dividend.", ("8.01",)),
        ("Item 8.01. The Company announced a dividend.", ("8.01",)),
        ("Item 8.01 The Company announced a dividend.", ("8.01",)),
        ("Item 8.01.\nOther Events", ("8.01",)),
        ("ITEM 8.01 - OTHER EVENTS", ("8.01",)),
        ("Item 8.01: Other Events", ("8.01",)),
        ("Item 8.01\u2014Other Events", ("8.01",)),
        ("Item\u00a08.01\u00a0Other\u00a0Events", ("8.01",)),
        ("Item \uff18.\uff10\uff11 Other Events", ("8.01",)),
        ("Item\u200b8.01 Other Events", ("8.01",)),
        ("Section 8 \u2013 Other Events Item 8.01 Other Events", ("8.01",)),
        ("Item 9.01(d) Exhibits", ("9.01",)),
        ("ITEM 8.01\nOTHER EVENTS", ("8.01",)),
    ],
)
def test_heading_layouts(text: str, items: tuple[str, ...]) -> None:
    assert items_from_document(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "The information in Exhibit 99.1 is incorporated by reference into this Item 8.01.",
        "As described under Item 2.02, revenue rose.",
        "The information in Item 2.02 of this report shall not be deemed filed.",
        "This report is furnished pursuant to Items 7.01 and 9.01 of Form 8-K.",
        "The information set forth under\nItem 1.01 above is incorporated herein by reference.",
        "Item 8.01 of this Current Report on Form 8-K is incorporated by reference.",
        "as described in Item 2.03 and Item 8.01 of our report dated May 1.",
        "See Item 5.02 for the appointment.",
        "disclosure required by Item 601(b)(10) of Regulation S-K",
    ],
)
def test_cross_references_are_not_headings(text: str) -> None:
    assert items_from_document(text) == ()


def test_old_numbers_count_only_without_modern_ones() -> None:
    old = "Item 5.  Other Events\nThe Company filed suit.\nItem 7.  Financial Statements"
    modern = "Item 8.01 Other Events\nAs required by old Item 5. The Company filed suit."

    assert items_from_document(old) == ("8.01", "9.01")
    assert all(h.old_number for h in item_headings(old))
    assert items_from_document(modern) == ("8.01",)


def test_the_evidence_is_the_heading_as_written() -> None:
    headings = item_headings(html_to_text(ONE_PARAGRAPH))

    assert [h.text for h in headings][2] == "Item 8.01 Other Events"


def test_a_run_on_8k_gets_every_item_label_end_to_end() -> None:
    result = classify_input(
        (
            "<html><body><p>FORM 8-K</p><p>CURRENT REPORT</p><p>Date of Report: May 1, 2031"
            + ONE_PARAGRAPH.removeprefix("<html><body>")
        ).encode(),
        "run-on.htm",
    )

    assert result.form_type == "8-K"
    assert result.items == ("1.01", "2.03", "8.01", "9.01")
    assert "8k_item_8_01" in {label.id.value for label in result.labels}


def expected_rows() -> list[dict[str, str]]:
    with EXPECTED.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def document_bytes(shared: Path, path: str) -> bytes:
    """A file in ``../shared``, or ``cassette.yaml#name``: the body recorded for ``name``."""
    file, _, recorded = path.partition("#")
    if not recorded:
        return (shared / file).read_bytes()
    cassette = yaml.safe_load((shared / file).read_text(encoding="utf-8"))
    for interaction in cassette["interactions"]:
        if interaction["request"]["uri"].endswith("/" + recorded):
            body: str = interaction["response"]["body"]["string"]
            return body.encode()
    raise AssertionError(f"{recorded} is not recorded in {file}")


def test_every_8k_document_in_shared_gives_exactly_its_items(shared: Path) -> None:
    rows = expected_rows()
    wrong = []
    for row in rows:
        read = read_input(document_bytes(shared, row["path"]), row["path"])
        form = read.header.form_type if read.header else "8-K"
        primary = primary_documents(read.documents, form)[0]
        found = set(items_from_document(primary.text))
        if found != set(row["items"].split(",")):
            wrong.append((row["path"], sorted(found), row["items"]))

    assert len(rows) >= 75
    assert wrong == []
