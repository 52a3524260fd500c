"""The ``8k_item_8_01`` label: an 8-K or 8-K/A that reports Item 8.01 (Other Events).

The items are reconciled across sources (see :mod:`edgarmon.classifier.domain.items`);
the label says which source decided, keeps every reading, and is less confident
when the sources disagree about Item 8.01. When the deciding source lacks Item
8.01 but another source states it, the label is returned as a near-miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from edgarmon.classifier.domain.document_reading import LETTER_TYPES
from edgarmon.classifier.domain.item_headings import item_headings
from edgarmon.classifier.domain.items import describe_item, reconcile
from edgarmon.classifier.domain.text_extraction import DocumentText
from edgarmon.core.domain.messages import (
    Evidence,
    Item801Details,
    Item801Label,
    ItemReading,
    ItemSource,
)

OTHER_EVENTS: Final = "8.01"
_EVIDENCE_SOURCE: Final = {
    ItemSource.EVENT: "feed_summary",
    ItemSource.SGML_HEADER: "sgml_header",
    ItemSource.GIVEN: "given",
}


def primary_documents(
    documents: Sequence[DocumentText], form_type: str | None
) -> list[DocumentText]:
    """The filing's own documents (not exhibits, not letters)."""
    form = (form_type or "").upper()
    return [
        d
        for d in documents
        if not d.is_exhibit
        and d.doc_type.upper() not in LETTER_TYPES
        and (not d.doc_type or d.doc_type.upper() == form or d.doc_type.upper().startswith("8-K"))
    ]


def item_readings_from_documents(
    documents: Sequence[DocumentText], form_type: str | None
) -> tuple[ItemReading, ...]:
    found: list[str] = []
    for document in primary_documents(documents, form_type):
        found += [h.number for h in item_headings(document.text) if h.number not in found]
    return (ItemReading(source=ItemSource.DOCUMENT, items=tuple(found)),) if found else ()


def _evidence(
    source: ItemSource, header_lines: Sequence[str], documents: Sequence[DocumentText]
) -> Evidence:
    if source is ItemSource.DOCUMENT:
        for document in primary_documents(documents, None) or documents:
            for heading in item_headings(document.text):
                if heading.number == OTHER_EVENTS:
                    return Evidence(source=document.source, text=heading.text)
    if source is ItemSource.SGML_HEADER and header_lines:
        matching = [line for line in header_lines if "other event" in line.lower()]
        return Evidence(source="sgml_header", text="; ".join(matching or header_lines)[:2000])
    return Evidence(
        source=_EVIDENCE_SOURCE.get(source, source.value), text=describe_item(OTHER_EVENTS)
    )


def item_801_label(
    readings: Sequence[ItemReading],
    header_lines: Sequence[str] = (),
    documents: Sequence[DocumentText] = (),
) -> Item801Label | None:
    """The label (or a near-miss) for an 8-K, from its item readings; ``None`` when no
    source states Item 8.01."""
    items, decided_by = reconcile(readings)
    if decided_by is None:
        return None
    reported = OTHER_EVENTS in items
    others = [r for r in readings if r.source != decided_by and r.items]
    agreeing = [r.source.value for r in others if (OTHER_EVENTS in r.items) == reported]
    disagreeing = [r.source.value for r in others if (OTHER_EVENTS in r.items) != reported]
    details = Item801Details(items=items, decided_by=decided_by, readings=tuple(readings))
    if reported:
        confidence = 0.8 if disagreeing else min(0.99, 0.96 + 0.01 * len(agreeing))
        rationale = f"Item 8.01 is reported, per the {decided_by.value.replace('_', ' ')}"
        if disagreeing:
            rationale += f"; the {', '.join(disagreeing)} reading(s) lack it"
        evidence = [_evidence(decided_by, header_lines, documents)]
        evidence += [_evidence(ItemSource(source), header_lines, documents) for source in agreeing]
        return Item801Label(
            confidence=confidence, evidence=tuple(evidence), rationale=rationale, details=details
        )
    if not disagreeing:
        return None
    return Item801Label(
        confidence=0.35,
        evidence=tuple(_evidence(ItemSource(s), header_lines, documents) for s in disagreeing),
        rationale=(
            f"the {decided_by.value.replace('_', ' ')} does not list Item 8.01, "
            f"though the {', '.join(disagreeing)} reading(s) do"
        ),
        details=details,
    )
