"""The clinical label on kinds of documents, not on particular sentences.

The fixtures in ``fixtures/clinical_kinds/`` were written for these tests by someone
who had not seen the classifier's vocabulary nor the documents in ``../shared``, about
made-up companies and drugs: meeting abstracts, posters, slide decks, letters to
shareholders, milestone headlines (a cohort completed, a safety review, a study
stopped, database lock), and hard negatives that talk about trials without being
clinical news. Preclinical data at a meeting is ``border``, as ``../shared``'s guide
has it, and not scored.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from edgarmon.classifier.domain.classify_input import classify_input

FIXTURES = Path(__file__).with_name("fixtures") / "clinical_kinds"


def rows() -> list[dict[str, str]]:
    with (FIXTURES / "LABELS.tsv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["label"] != "border"]


@pytest.mark.parametrize("row", rows(), ids=lambda row: row["file"])
def test_each_kind_is_labelled_as_its_label_says(row: dict[str, str]) -> None:
    result = classify_input((FIXTURES / row["file"]).read_bytes(), row["file"])
    labelled = any(label.id.value == "clinical_update" for label in result.labels)

    assert labelled == (row["label"] == "pos"), row["reason"]


def test_every_kind_of_the_issue_is_covered() -> None:
    kinds = {row["kind"] for row in rows() if row["label"] == "pos"}

    assert {"abstract", "poster", "slides", "shareholder_letter"} <= kinds
    assert {"milestone_cohort", "milestone_safety_review", "study_stopped"} <= kinds
