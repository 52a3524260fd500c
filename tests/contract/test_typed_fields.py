"""The documented enumerations name every value the classifier writes."""

from __future__ import annotations

from edgarmon.classifier.domain.clinical.features import KIND_NAMES
from edgarmon.core.domain.messages import ClinicalEventKind, Evidence, EvidenceKind


def test_every_kind_of_clinical_news_is_a_known_event_kind() -> None:
    assert [kind.value for kind in ClinicalEventKind] == list(KIND_NAMES)


def test_evidence_kind_is_read_from_its_source() -> None:
    assert Evidence(source="document:EX-99.1:item 8.01", text="x").kind is EvidenceKind.DOCUMENT
    assert Evidence(source="sgml_header", text="x").kind is EvidenceKind.SGML_HEADER
    stated = Evidence(source="document:EX-99.1", kind="exhibit_table", text="x")
    assert stated.kind == "exhibit_table"
    assert not stated.kind.known
