"""``edgarmon train-clinical [--shared PATH] [--check]``: fit the clinical model.

One example per labelled case the clinical label reads (letters are not read for
it): its units' features, and whether a person labelled it a clinical update.
A filing is as clinical as its most clinical unit, so training alternates: pick
each case's most clinical unit under the current model (the domain prior at
first), fit the weights to those units, and again until the picks stop changing.

The fit is a logistic regression whose weights start from, and are pulled back
to, the domain prior (:data:`~edgarmon.classifier.domain.clinical.features.PRIOR`) with a
fixed strength chosen before looking at any result, not tuned. The result is
written to the classifier's ``clinical/model.json`` with its provenance: the
labelled files it was fitted on (their SHA-256), the number of cases, positives
and companies. ``--check`` fails when the packaged model is not what the data
gives, so the shipped weights can always be reproduced with this one command.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from edgarmon.classifier.domain.classify import KnownFiling, clinical_documents, decide_form
from edgarmon.classifier.domain.clinical import model as clinical_model
from edgarmon.classifier.domain.clinical.features import (
    PRIOR,
    PRIOR_BIAS,
    UnitReading,
    feature_values,
    read_unit,
)
from edgarmon.classifier.domain.clinical.model import ClinicalModel, prior_model
from edgarmon.classifier.domain.clinical.units import units
from edgarmon.evaluation.corpus import Case, cases, read_case_file
from edgarmon.evaluation.logistic import fit
from edgarmon.evaluation.shared_folder import default_shared, model_path

PRIOR_STRENGTH: Final = 1.0
"""How hard the weights are pulled back to the prior (a Gaussian prior's precision)."""
ROUNDS: Final = 6
LABEL_FILES: Final = ("clinical/LABELS.tsv", "edgar/LABELS.tsv", "seeds/README.md")
MODEL_VERSION: Final = "clinical-lr-1"


@dataclass(frozen=True, slots=True)
class Example:
    case: Case
    positive: bool
    readings: tuple[UnitReading, ...]
    units: tuple[dict[str, float], ...]


def clinical_readings(
    case: Case, disabled: frozenset[str] = frozenset()
) -> tuple[UnitReading, ...]:
    """The units the clinical label reads in a case's file, as the one-shot CLI reads it."""
    read = read_case_file(case.path)
    known = KnownFiling.from_header(read.header) if read.header else KnownFiling()
    form = decide_form(known, read.documents, disabled)
    documents = clinical_documents(form, read.documents)
    return tuple(read_unit(unit, disabled) for doc in documents for unit in units(doc))


def examples(all_cases: Sequence[Case]) -> list[Example]:
    """One example per case scored on ``clinical_update`` that has a unit to read."""
    found = []
    for case in all_cases:
        if "clinical_update" not in case.scored:
            continue
        readings = clinical_readings(case)
        if readings:
            values = tuple(feature_values(reading) for reading in readings)
            found.append(Example(case, "clinical_update" in case.expected, readings, values))
    return found


def most_clinical_unit(model: ClinicalModel, example: Example) -> int:
    logits = [model.logit(values) for values in example.units]
    return logits.index(max(logits))


def train(
    training: Sequence[Example], *, provenance: dict[str, object] | None = None
) -> ClinicalModel:
    """Fit the model to ``training`` (multiple-instance: each case's best unit)."""
    current = prior_model()
    picks: list[int] | None = None
    for _ in range(ROUNDS):
        chosen = [most_clinical_unit(current, example) for example in training]
        if chosen == picks:
            break
        picks = chosen
        result = fit(
            [
                (example.units[i], example.positive)
                for example, i in zip(training, chosen, strict=True)
            ],
            PRIOR,
            PRIOR_BIAS,
            strength=PRIOR_STRENGTH,
            start=current.weights,
            start_bias=current.bias,
        )
        current = ClinicalModel(MODEL_VERSION, result.weights, result.bias, provenance or {})
    return current


def provenance(shared: Path, training: Sequence[Example]) -> dict[str, object]:
    digests = {
        name: hashlib.sha256((shared / name).read_bytes()).hexdigest()[:16] for name in LABEL_FILES
    }
    return {
        "trained_by": "edgarmon train-clinical",
        "labels": digests,
        "cases": len(training),
        "positives": sum(example.positive for example in training),
        "companies": len({example.case.company for example in training}),
        "prior_strength": PRIOR_STRENGTH,
    }


def trained_model(shared: Path) -> ClinicalModel:
    training = examples(cases(shared))
    return train(training, provenance=provenance(shared, training))


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="edgarmon train-clinical",
        description="Fit the clinical model to the labelled documents in ../shared and "
        "write it to the classifier's clinical/model.json (--check: fail if it is stale).",
    )
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--check", action="store_true", help="fail if model.json is stale")
    args = parser.parse_args(list(argv))
    shared: Path = args.shared or default_shared()
    if not (shared / "clinical" / "LABELS.tsv").exists():
        print(f"edgarmon train-clinical: no labelled data under {shared}", file=sys.stderr)
        return 2
    text = trained_model(shared).to_json()
    target = model_path()
    if args.check:
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is not what the labelled data gives; run edgarmon train-clinical")
            return 1
        print(f"{target} is up to date")
        return 0
    target.write_text(text, encoding="utf-8")
    clinical_model.packaged_model.cache_clear()
    print(f"wrote {target}")
    return 0
