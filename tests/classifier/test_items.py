"""8-K items from every source, old wording included, and their reconciliation."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.classifier.domain.classify import KnownFiling, classify
from edgarmon.classifier.domain.classify_input import classify_input
from edgarmon.classifier.domain.item_label import item_801_label
from edgarmon.classifier.domain.items import (
    item_from_name,
    items_from_document,
    items_from_header_values,
    reconcile,
)
from edgarmon.classifier.domain.text_extraction import DocumentText
from edgarmon.core.domain.messages import Item801Label, ItemReading, ItemSource, LabelId


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("Other Events", "8.01"),
        ("Other events", "8.01"),  # old Item 5, in 1994-2004 headers
        ("Financial statements and exhibits", "9.01"),
        ("Acquisition or disposition of assets", "2.01"),  # old Item 2
        ("Regulation FD Disclosure", "7.01"),
        ("Results of Operations and Financial Condition", "2.02"),
        (
            "Departure of Directors or Certain Officers; Election of Directors; Appointment of "
            "Certain Officers: Compensatory Arrangements of Certain Officers",
            "5.02",
        ),
        ("Submission of Matters to a Vote of Security Holders", "5.07"),
        ("", None),
        ("Something else entirely", None),
    ],
)
def test_header_names_map_to_item_numbers(name: str, number: str | None) -> None:
    assert item_from_name(name) == number


def test_bare_old_numbers_of_1994_headers_map_to_todays_items() -> None:
    assert items_from_header_values(["7"]) == ("9.01",)
    assert items_from_header_values(["2; 7"]) == ("2.01", "9.01")
    assert items_from_header_values(["5", "7"]) == ("8.01", "9.01")


def test_nc_numbers_and_blank_lines() -> None:
    assert items_from_header_values(["5.02", "9.01"]) == ("5.02", "9.01")
    assert items_from_header_values(["", "  "]) == ()


def test_document_headings_are_items_but_references_are_not() -> None:
    text = "\n".join(
        [
            "FORM 8-K",
            "Item 1.01 Entry into a Material Definitive Agreement",
            "On May 1 the Company entered into an agreement.",
            "Item 2.03 Creation of a Direct Financial Obligation",
            "The information set forth under",
            "Item 1.01 above is hereby incorporated by reference.",
            "ITEM 8.01. OTHER EVENTS",
            "The information in this Item 8.01 is furnished.",
            "Item 9.01(d) Exhibits",
        ]
    )
    assert items_from_document(text) == ("1.01", "2.03", "8.01", "9.01")


def test_old_document_headings_use_the_old_numbers() -> None:
    text = "Item 5.  Other Events\nThe Company filed suit.\nItem 7.  Financial Statements"
    assert items_from_document(text) == ("8.01", "9.01")


def test_reconcile_prefers_given_then_event_then_header_then_document() -> None:
    readings = [
        ItemReading(source=ItemSource.DOCUMENT, items=("8.01",)),
        ItemReading(source=ItemSource.SGML_HEADER, items=("7.01",)),
        ItemReading(source=ItemSource.EVENT, items=("2.02", "9.01")),
    ]
    assert reconcile(readings) == (("2.02", "9.01"), ItemSource.EVENT)
    assert reconcile(readings[:2]) == (("7.01",), ItemSource.SGML_HEADER)
    given = [ItemReading(source=ItemSource.GIVEN, items=("8.01",)), *readings]
    assert reconcile(given) == (("8.01",), ItemSource.GIVEN)
    assert reconcile([ItemReading(source=ItemSource.SGML_HEADER, items=())]) == ((), None)


def test_disagreeing_sources_lower_the_confidence_and_say_so() -> None:
    agree = item_801_label(
        [
            ItemReading(source=ItemSource.EVENT, items=("8.01", "9.01")),
            ItemReading(source=ItemSource.DOCUMENT, items=("8.01", "9.01")),
        ]
    )
    disagree = item_801_label(
        [
            ItemReading(source=ItemSource.EVENT, items=("8.01",)),
            ItemReading(source=ItemSource.DOCUMENT, items=("7.01",)),
        ]
    )
    assert agree is not None
    assert disagree is not None
    assert agree.confidence > disagree.confidence >= 0.5
    assert "document" in disagree.rationale


def test_a_source_the_decider_overrules_gives_a_near_miss() -> None:
    near = item_801_label(
        [
            ItemReading(source=ItemSource.EVENT, items=("7.01",)),
            ItemReading(source=ItemSource.DOCUMENT, items=("8.01",)),
        ]
    )
    assert near is not None
    assert near.confidence < 0.5
    assert near.details.decided_by is ItemSource.EVENT
    assert "does not list Item 8.01" in near.rationale


def test_old_other_events_in_a_real_2001_header_is_item_8_01(edgar: Path) -> None:
    path = edgar / "filings/8k_sgml/1000695_8K_2001_0000950117-01-501228.txt"
    result = classify_input(path.read_bytes(), path.name)

    assert result.form_type == "8-K"
    label = next(x for x in result.labels if isinstance(x, Item801Label))
    assert label.details.decided_by is ItemSource.SGML_HEADER
    assert label.evidence[0].source == "sgml_header"
    assert "Other events" in label.evidence[0].text


def test_blank_header_items_fall_back_to_old_document_headings(edgar: Path) -> None:
    path = edgar / "filings/8k_sgml/1000685_8K_1998_0001000685-98-000002.txt"
    result = classify_input(path.read_bytes(), path.name)

    label = next(x for x in result.labels if isinstance(x, Item801Label))
    assert label.details.decided_by is ItemSource.DOCUMENT
    assert label.details.items == ("8.01",)
    assert any(r.source is ItemSource.SGML_HEADER and r.items == () for r in result.item_readings)


def test_nc_items_without_8_01_give_no_label(edgar: Path) -> None:
    path = edgar / "filings/8k/0001493152-25-001317_8-K_AcornEnergy.nc"
    result = classify_input(path.read_bytes(), path.name)

    assert result.form_type == "8-K"
    assert result.items == ("5.02", "9.01")
    assert not [x for x in result.labels if x.id is LabelId.ITEM_8_01]


def test_feed_items_decide_for_a_filing_from_the_event() -> None:
    body = DocumentText(
        "8-K", "d8k.htm", "FORM 8-K\nCURRENT REPORT\nItem 7.01 Regulation FD", "html"
    )
    known = KnownFiling(
        form_type="8-K",
        form_source="event",
        item_readings=(ItemReading(source=ItemSource.EVENT, items=("8.01", "9.01")),),
    )
    result = classify(known, [body])

    label = next(x for x in result.labels if isinstance(x, Item801Label))
    assert label.details.decided_by is ItemSource.EVENT
    assert label.evidence[0].source == "feed_summary"
    assert result.items == ("8.01", "9.01")
