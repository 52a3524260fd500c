"""Grouped cross-validation: leave one company out, for everything that is tuned.

What is tuned on the labelled documents is (a) the clinical model's weights and
(b) the vocabulary: clinical terms and letter phrases were written while reading
documents, and a term written for a document is tuned on it. So for each company
in turn:

- the model is trained on the other companies' cases only;
- every vocabulary term that fires in no other company's documents is switched
  off (a term only that company uses is as if it had never been written);
- the company's cases are classified by the same code path as ``edgarmon classify``,
  with that model and that vocabulary.

The 8-K item reader has nothing fitted to data (it reads item numbers the form
defines, by rules of English); its cross-validated figures equal its
all-documents ones, and it is tested on hand-written layouts besides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from edgarmon.classifier.domain.classify import Classification
from edgarmon.classifier.domain.classify_input import classify_read
from edgarmon.classifier.domain.clinical.features import SIGNALS, feature_values
from edgarmon.classifier.domain.clinical.model import ClinicalModel
from edgarmon.classifier.domain.form_inference import COMPANY_PHRASES, STAFF_PHRASES, phrases_found
from edgarmon.classifier.domain.tuning import Tuning
from edgarmon.evaluation.corpus import Case, read_case_file
from edgarmon.evaluation.training import Example, clinical_readings, train


@dataclass(frozen=True, slots=True)
class Prediction:
    case: Case
    result: Classification
    clinical_probability: float
    """The most clinical unit's probability, also where no label or near-miss is given."""


def case_terms(case: Case, example: Example | None) -> frozenset[str]:
    """Every vocabulary term that fires in a case: clinical terms in the units the
    clinical label reads, letter phrases anywhere in its documents."""
    read = read_case_file(case.path)
    letters = frozenset().union(*(phrases_found(doc.text) for doc in read.documents))
    clinical = frozenset().union(*(r.terms for r in example.readings)) if example else frozenset()
    return letters | clinical


def vocabulary_notes() -> dict[str, str]:
    """Every vocabulary term's name, with its note (the class of documents it is for)."""
    clinical = {term.name: term.note for signal in SIGNALS for term in signal.terms}
    letters = {phrase.name: phrase.note for phrase in (*STAFF_PHRASES, *COMPANY_PHRASES)}
    return clinical | letters


def term_support(
    terms_by_case: dict[str, frozenset[str]], company: dict[str, str]
) -> dict[str, set[str]]:
    """Term -> the companies whose documents use it."""
    support: dict[str, set[str]] = defaultdict(set)
    for name, terms in terms_by_case.items():
        for term in terms:
            support[term].add(company[name])
    return support


def only_used_by(support: dict[str, set[str]], held_out: str) -> frozenset[str]:
    """The terms no company but ``held_out`` uses."""
    return frozenset(term for term, users in support.items() if users <= {held_out})


def probability(
    model: ClinicalModel, case: Case, example: Example | None, disabled: frozenset[str]
) -> float:
    """The case's most clinical unit's probability under ``model``, its units read with
    ``disabled`` terms off (read again only when one of them fired in it)."""
    if example is None:
        return 0.0
    readings = example.readings
    if any(disabled & reading.terms for reading in readings):
        readings = clinical_readings(case, disabled)
    return max((model.probability(feature_values(r)) for r in readings), default=0.0)


def vocabulary_support(
    all_cases: Sequence[Case], training: Sequence[Example]
) -> dict[str, set[str]]:
    """Term -> the companies whose documents use it, over every case."""
    by_name = {example.case.name: example for example in training}
    terms = {case.name: case_terms(case, by_name.get(case.name)) for case in all_cases}
    return term_support(terms, {case.name: case.company for case in all_cases})


def single_company_terms(support: dict[str, set[str]]) -> dict[str, str]:
    """Terms that exactly one company's documents use, with the class of documents that
    justifies each ("" where nothing does)."""
    notes = vocabulary_notes()
    return {term: notes.get(term, "") for term, users in support.items() if len(users) == 1}


def leave_one_company_out(
    all_cases: Sequence[Case], training: Sequence[Example], support: dict[str, set[str]]
) -> Iterator[Prediction]:
    """A prediction for every case, each made by a classifier that never saw its company."""
    by_name = {example.case.name: example for example in training}
    companies = sorted({case.company for case in all_cases})
    full: ClinicalModel | None = None
    for company in companies:
        rest = [example for example in training if example.case.company != company]
        if len(rest) == len(training):
            full = full or train(training)
            model = full
        else:
            model = train(rest)
        disabled = only_used_by(support, company)
        tuning = Tuning(model, disabled)
        for case in all_cases:
            if case.company != company:
                continue
            result = classify_read(read_case_file(case.path), tuning=tuning)
            example = by_name.get(case.name)
            yield Prediction(case, result, probability(model, case, example, disabled))
