"""``edgarmon evaluate [--shared PATH]``: score the classifier on the labelled real
documents in ``../shared`` and list the files it got wrong.

- ``seeds/``: the staff letter must be ``sec_correspondence`` (SEC to company, two
  numbered comments, 10 business days, Form 10-K for fiscal 2008); the 8-K must be
  ``8k_item_8_01`` and ``clinical_update`` naming huC242-DM4, Phase I / Phase II,
  gastric and colorectal cancer, and the 168 mg/m2 maximum tolerated dose.
- ``edgar/LABELS.tsv``: every row is scored on all three labels (``-``: none), and
  the letter direction must match.
- ``clinical/LABELS.tsv``: ``pos`` and ``neg`` rows, on ``clinical_update`` only;
  ``border`` rows are not scored.

Every input is classified as the one-shot CLI would, with no ``--form`` or
``--items``: the form and items are read from the documents themselves.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from edgarmon.classifier.classify import Classification
from edgarmon.classifier.single_input import classify_input
from edgarmon.core.messages import (
    ClinicalUpdateLabel,
    CorrespondenceLabel,
    LabelId,
)

LABELS: Final = (
    LabelId.ITEM_8_01.value,
    LabelId.SEC_CORRESPONDENCE.value,
    LabelId.CLINICAL_UPDATE.value,
)
TARGETS: Final = {
    LabelId.ITEM_8_01.value: (1.0, 1.0),
    LabelId.SEC_CORRESPONDENCE.value: (1.0, 1.0),
    LabelId.CLINICAL_UPDATE.value: (0.95, 0.90),
}
"""(precision, recall) each label must reach."""
STAFF_LETTER_SEED: Final = "000_d78ed06124df1aa2.txt"
EIGHT_K_SEED: Final = "004_4071176f85cd4a78.txt"


@dataclass(frozen=True, slots=True)
class Case:
    path: Path
    expected: frozenset[str]
    scored: frozenset[str]
    direction: str | None = None
    check: Callable[[Classification], list[str]] | None = None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    counts: dict[str, Counts] = field(default_factory=lambda: {label: Counts() for label in LABELS})
    wrong: list[str] = field(default_factory=list)
    cases: int = 0

    def meets_targets(self) -> bool:
        return all(
            self.counts[label].precision >= precision and self.counts[label].recall >= recall
            for label, (precision, recall) in TARGETS.items()
        )


def check_staff_letter_seed(result: Classification) -> list[str]:
    label = next((x for x in result.labels if isinstance(x, CorrespondenceLabel)), None)
    if label is None:
        return ["no sec_correspondence label"]
    details, problems = label.details, []
    if details.direction.value != "sec_to_company":
        problems.append(f"direction {details.direction.value}")
    if details.comment_count != 2:
        problems.append(f"{details.comment_count} comments, not 2")
    if details.response_deadline != "10 business days":
        problems.append(f"deadline {details.response_deadline!r}")
    reviewed = details.reviewed_filing
    if not reviewed or reviewed.form_type != "10-K" or reviewed.fiscal_year != 2008:
        problems.append(f"reviewed filing {reviewed!r}")
    return problems


def check_eight_k_seed(result: Classification) -> list[str]:
    label = next((x for x in result.labels if isinstance(x, ClinicalUpdateLabel)), None)
    if label is None:
        return ["no clinical_update label"]
    details, problems = label.details, []
    if "huC242-DM4" not in details.drugs:
        problems.append(f"drugs {details.drugs}")
    if not {"Phase I", "Phase II"} <= set(details.phases):
        problems.append(f"phases {details.phases}")
    found = " ".join(details.indications).lower()
    problems += [
        f"no {name}" for name in ("gastric cancer", "colorectal cancer") if name not in found
    ]
    if not any("168 mg/m" in sentence for sentence in details.decisive_sentences):
        problems.append("the 168 mg/m2 MTD is not among the decisive sentences")
    return problems


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def cases(shared: Path) -> list[Case]:
    everything = frozenset(LABELS)
    found = [
        Case(
            shared / "seeds" / STAFF_LETTER_SEED,
            frozenset({"sec_correspondence"}),
            everything,
            "sec_to_company",
            check_staff_letter_seed,
        ),
        Case(
            shared / "seeds" / EIGHT_K_SEED,
            frozenset({"8k_item_8_01", "clinical_update"}),
            everything,
            None,
            check_eight_k_seed,
        ),
    ]
    for row in _rows(shared / "edgar" / "LABELS.tsv"):
        expected = frozenset() if row["expect"] == "-" else frozenset(row["expect"].split(","))
        scored = frozenset(s for s in row["scored"].split(",") if s) or everything
        found.append(
            Case(shared / "edgar" / row["path"], expected, scored, row["direction"] or None)
        )
    for row in _rows(shared / "clinical" / "LABELS.tsv"):
        if row["label"] == "border":
            continue
        expected = frozenset({"clinical_update"}) if row["label"] == "pos" else frozenset()
        found.append(
            Case(shared / "clinical" / row["file"], expected, frozenset({"clinical_update"}))
        )
    return found


def evaluate(shared: Path) -> Report:
    report = Report()
    for case in cases(shared):
        result = classify_input(case.path.read_bytes(), case.path.name)
        got = {label.id.value for label in result.labels}
        report.cases += 1
        problems: list[str] = []
        for label in sorted(case.scored):
            counts = report.counts[label]
            if label in got and label in case.expected:
                counts.tp += 1
            elif label in got:
                counts.fp += 1
                problems.append(f"unexpected {label}")
            elif label in case.expected:
                counts.fn += 1
                near = next((n for n in result.near_misses if n.id.value == label), None)
                why = f" (near-miss {near.confidence:.2f}: {near.rationale})" if near else ""
                problems.append(f"missed {label}{why}")
        letter = next((x for x in result.labels if isinstance(x, CorrespondenceLabel)), None)
        if case.direction and letter and letter.details.direction.value != case.direction:
            problems.append(f"direction {letter.details.direction.value}, not {case.direction}")
        if case.check:
            problems += case.check(result)
        if problems:
            report.wrong.append(f"{case.path.relative_to(shared)}: {'; '.join(problems)}")
    return report


def format_report(report: Report) -> str:
    lines = [
        f"{report.cases} labelled inputs",
        "",
        f"{'label':<20} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}  target",
    ]
    for label in LABELS:
        c = report.counts[label]
        precision, recall = TARGETS[label]
        ok = c.precision >= precision and c.recall >= recall
        lines.append(
            f"{label:<20} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>10.2f} {c.recall:>7.2f}  "
            f"P>={precision:.2f} R>={recall:.2f} {'met' if ok else 'NOT MET'}"
        )
    lines += ["", f"wrong: {len(report.wrong)}", *(f"  {line}" for line in report.wrong)]
    return "\n".join(lines)


def default_shared() -> Path:
    """``../shared`` next to the project root (the directory holding pyproject.toml)."""
    here = Path(__file__).resolve()
    root = next((p for p in here.parents if (p / "pyproject.toml").exists()), Path.cwd())
    return root.parent / "shared"


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="edgarmon evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder")
    args = parser.parse_args(list(argv))
    shared: Path = args.shared or default_shared()
    if not (shared / "edgar" / "LABELS.tsv").exists():
        print(f"edgarmon evaluate: no labelled data under {shared}")
        return 2
    report = evaluate(shared)
    print(format_report(report))
    return 0 if report.meets_targets() else 1
