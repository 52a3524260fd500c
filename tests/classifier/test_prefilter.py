"""The literal prefilter only ever skips searches that could not have matched."""

from __future__ import annotations

import re
from pathlib import Path

from edgarmon.classifier.domain.clinical.features import SIGNALS
from edgarmon.classifier.domain.clinical.prefilter import may_match, required_literals
from edgarmon.classifier.domain.document_reading import read_input


def test_literals_every_match_must_contain() -> None:
    crl = required_literals(r"\bcomplete response letter\b")
    assert crl == frozenset({"complete response letter"})
    stops = required_literals(r"\b(?:discontinu|terminat)\w*\b")
    assert stops == frozenset({"discontinu", "terminat"})
    assert required_literals(r"\btop[- ]?line\b") in (frozenset({"top"}), frozenset({"line"}))
    assert required_literals(r"(?-i:\bMTD\b)") == frozenset({"mtd"})
    assert required_literals(r"\d+\s*%") is None  # nothing literal to test for


def test_the_prefilter_never_hides_a_match_in_real_documents(shared: Path) -> None:
    texts = []
    for path in sorted((shared / "clinical").iterdir()):
        if path.suffix in {".txt", ".htm", ".html"}:
            texts += [doc.text for doc in read_input(path.read_bytes(), path.name).documents]
    terms = [term for signal in SIGNALS for term in signal.terms]
    checked = 0
    for text in texts:
        lowered = text.lower()
        for term in terms:
            if re.search(term.pattern, text, 0 if term.case else re.IGNORECASE):
                checked += 1
                assert may_match(term.pattern, lowered), term.name
    assert checked > 200
