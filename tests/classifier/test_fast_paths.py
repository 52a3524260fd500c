"""The classifier's fast paths give what the slow ones gave: a term tried only where a
match may start finds what a search finds, the text lexbor takes from a marked tree
has the lines of the walk over it, a boilerplate line is what the pattern says, and a
filing the clinical label skips (no trial context) is one it would have turned down."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from edgarmon.classifier.domain.clinical.features import SIGNALS, read_unit
from edgarmon.classifier.domain.clinical.label import (
    LABEL_AT,
    assess_documents,
    clinical_label,
    labelled_only_in_context,
)
from edgarmon.classifier.domain.clinical.layout import (
    BOILERPLATE_LINE,
    SENTENCE_END,
    is_boilerplate,
)
from edgarmon.classifier.domain.clinical.model import ClinicalModel, packaged_model, prior_model
from edgarmon.classifier.domain.clinical.prefilter import match_starts, start_literals
from edgarmon.classifier.domain.clinical.terms import occurs
from edgarmon.classifier.domain.clinical.units import units
from edgarmon.classifier.domain.document_reading import read_input
from edgarmon.classifier.domain.html_text import (
    MAX_MARKED,
    _marks,
    _visible_root,
    _walk,
    bounded_nesting,
    visible_text,
)
from edgarmon.classifier.domain.text_extraction import DocumentText, decode_bytes, tidy_lines

TERMS = [term for signal in SIGNALS for term in signal.terms]


def test_literals_every_match_starts_with() -> None:
    assert start_literals(r"\b(?:complete|partial)\s+responses?\b") == frozenset(
        {"complete", "partial"}
    )
    assert start_literals(r"(?<!jury )\btrials?\b") == frozenset({"trial"})
    assert start_literals(r"\b(?:independent\s+)?data monitoring") == frozenset(
        {"independent", "data monitoring"}
    )
    assert start_literals(r"\bp\s*[=<]") is None  # too short to be worth finding
    assert start_literals(r"\w+ trial") is None


def test_no_start_is_known_where_lowering_misleads() -> None:
    pattern = r"\bstudy\b"
    assert match_starts(pattern, "a study", "a study") == [2]
    long_s = "a \u017ftudy"  # re.IGNORECASE reads it as "study"; lower() does not
    assert re.search(pattern, long_s, re.IGNORECASE)
    assert match_starts(pattern, long_s, long_s.lower()) is None
    dotted = "\u0130 study"  # lower() makes it two characters
    assert match_starts(pattern, dotted, dotted.lower()) is None


def _texts(shared: Path) -> list[str]:
    texts = []
    for path in sorted((shared / "clinical").iterdir()):
        if path.suffix in {".txt", ".htm", ".html"}:
            texts += [doc.text for doc in read_input(path.read_bytes(), path.name).documents]
    return texts


def test_terms_find_what_a_search_finds_in_real_documents(shared: Path) -> None:
    found = 0
    for text in _texts(shared):
        lowered = text.lower()
        for term in TERMS:
            expected = next(
                (
                    m.span()
                    for m in re.finditer(term.pattern, text, 0 if term.case else re.IGNORECASE)
                    if term.accepts(text, m.start(), m.end())
                ),
                None,
            )
            match = term.first(text, lowered)
            assert (match.span() if match else None) == expected, term.name
            found += expected is not None
    assert found > 200


def _html_inputs(shared: Path) -> list[Path]:
    return sorted(
        path
        for folder in (shared / "clinical", shared / "edgar" / "filings")
        for path in folder.rglob("*")
        if path.suffix in {".htm", ".html"}
    )


def test_marked_text_has_the_walks_lines_in_real_documents(shared: Path) -> None:
    paths = _html_inputs(shared)
    for path in paths:
        html = decode_bytes(path.read_bytes())
        walked = _walk(_visible_root(bounded_nesting(html), path.name))
        assert tidy_lines(visible_text(html)) == tidy_lines(walked), path.name
    assert len(paths) > 40


def test_preformatted_text_and_marks_in_the_text_are_walked() -> None:
    pre = "<body><p>a  b</p><pre>x   y\n  z</pre><table><tr><td>1</td><td>2</td></tr></table>"
    assert tidy_lines(visible_text(pre)) == "a b\nx y\nz\n1 2"
    marked = "<body><p>one\ue000two</p><div>three</div></body>"
    assert tidy_lines(visible_text(marked)) == "one\ue000two\nthree"


def test_boilerplate_lines_are_the_patterns_in_real_documents(shared: Path) -> None:
    lines = [line for text in _texts(shared) for line in text.splitlines()]
    lines += ["Tel. (617) 555-1212", "x" * 40 + " 617.555.1212", "617-555-1212 " + "y" * 40]
    lines += ["(617) 555-1212" + "z" * n for n in range(25, 35)]
    for line in lines:
        assert is_boilerplate(line) == bool(BOILERPLATE_LINE.match(line)), line
    assert sum(map(is_boilerplate, lines)) > 100


def _judged_in_full(
    documents: list[DocumentText], model: ClinicalModel
) -> tuple[float, str] | None:
    """What clinical_label gave before: every unit read in full, then judged."""
    best = assess_documents(documents, model)
    if best is None or (best.confidence < LABEL_AT and not best.reading.has_context):
        return None
    return best.confidence, best.rationale


def _judged(documents: list[DocumentText], model: ClinicalModel) -> tuple[float, str] | None:
    label = clinical_label(documents, model)
    return None if label is None else (label.confidence, label.rationale)


def test_a_filing_without_trial_context_is_not_read_in_full_and_gets_the_same_label(
    shared: Path,
) -> None:
    model = packaged_model()
    assert labelled_only_in_context(model)
    assert labelled_only_in_context(prior_model())
    keen = replace(model, weights={**model.weights, "topic:deal": 5.0})
    assert not labelled_only_in_context(keen)
    skipped = 0
    for path in sorted((shared / "clinical").iterdir()):
        if path.suffix in {".txt", ".htm", ".html"}:
            documents = list(read_input(path.read_bytes(), path.name).documents)
            readings = [read_unit(u) for d in documents for u in units(d)]
            skipped += not any(r.has_context for r in readings)
            for tried in (model, keen):
                assert _judged(documents, tried) == _judged_in_full(documents, tried), path.name
    assert skipped > 20


def test_a_document_of_more_blocks_than_are_marked_is_walked() -> None:
    html = "<body>" + "<p>x" * (MAX_MARKED + 1) + "</body>"
    root = _visible_root(html, None)
    assert _marks(root) is None
    assert tidy_lines(visible_text(html)) == "\n".join(["x"] * (MAX_MARKED + 1))


def test_a_signal_occurs_where_it_finds_a_term_in_real_documents(shared: Path) -> None:
    for text in _texts(shared):
        for signal in SIGNALS:
            assert occurs(signal, text) == bool(signal.found(text)), signal.name


_SENTENCE_END_AS_WRITTEN = re.compile(
    r"(?<!\b[A-Z]\.)(?<!\bInc\.)(?<!\bCorp\.)(?<!\bNo\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)"
    r"(?<!\bSt\.)(?<!\bvs\.)(?<=[.!?])[\"\u201d]?\s+(?=[A-Z\"\u201c(])|\n"
)


def test_sentences_end_where_they_did_in_real_documents(shared: Path) -> None:
    for text in [*_texts(shared), "Dr. No. 1 ran. Then Inc. Mr. X. Y vs. Z! \u201cA\u201d"]:
        assert SENTENCE_END.split(text) == _SENTENCE_END_AS_WRITTEN.split(text)
