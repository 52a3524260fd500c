"""``edgarmon evaluate [--shared PATH] [--details PATH]``: score the classifier on the
labelled real documents in ``../shared``.

Two figures per label. **Cross-validated by company** (leave one company out: a
model trained without it, and the vocabulary only it uses switched off; see
:mod:`edgarmon.evaluation.crossval`) is the estimate of accuracy on companies
nobody here has seen. **All documents**, with the shipped model and every term,
is an upper bound: the rules were written while reading these documents. The
command fails (exit 1) when a cross-validated figure is under its floor.

Then: the reliability of the cross-validated clinical confidences, the exact-match
accuracy of the clinical details, vocabulary terms that only one company's
documents use, and every case that came out wrong.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from edgarmon.classifier.domain.classify import Classification
from edgarmon.classifier.domain.classify_input import classify_read
from edgarmon.evaluation import crossval, scoring
from edgarmon.evaluation.corpus import LABELS, cases, read_case_file
from edgarmon.evaluation.shared_folder import default_shared, project_root
from edgarmon.evaluation.training import examples

FLOORS: Final = {
    "8k_item_8_01": (1.0, 1.0),
    "sec_correspondence": (1.0, 1.0),
    "clinical_update": (0.97, 0.95),
}
"""(precision, recall) the cross-validated figures must reach."""
DETAILS_FILE: Final = Path("tests") / "classifier" / "clinical_details.tsv"


@dataclass
class Evaluation:
    all_documents: scoring.Scores
    cross_validated: scoring.Scores
    reliability: list[scoring.ReliabilityBin]
    details: dict[str, tuple[int, int]]
    detail_misses: list[str]
    single_company_terms: dict[str, str]
    companies: int

    def meets_floors(self) -> bool:
        return all(
            self.cross_validated.counts[label].precision >= precision
            and self.cross_validated.counts[label].recall >= recall
            for label, (precision, recall) in FLOORS.items()
        )


def evaluate(shared: Path, details_file: Path | None = None) -> Evaluation:
    all_cases = cases(shared)
    training = examples(all_cases)
    plain: dict[str, Classification] = {
        case.name: classify_read(read_case_file(case.path)) for case in all_cases
    }
    support = crossval.vocabulary_support(all_cases, training)
    predictions = list(crossval.leave_one_company_out(all_cases, training, support))
    by_name = {example.case.name: example for example in training}
    pairs = [
        (p.clinical_probability, "clinical_update" in p.case.expected)
        for p in predictions
        if p.case.name in by_name
    ]
    details_path = details_file or project_root() / DETAILS_FILE
    accuracy, misses = scoring.detail_accuracy(scoring.detail_labels(details_path), plain)
    return Evaluation(
        all_documents=scoring.score((case, plain[case.name]) for case in all_cases),
        cross_validated=scoring.score((p.case, p.result) for p in predictions),
        reliability=scoring.reliability(pairs),
        details=accuracy,
        detail_misses=misses,
        single_company_terms=crossval.single_company_terms(support),
        companies=len({case.company for case in all_cases}),
    )


def _label_rows(evaluation: Evaluation) -> list[str]:
    lines = [
        f"{'':20} {'all documents (upper bound)':>34}   {'cross-validated by company':>34}",
        f"{'label':<20} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}   "
        f"{'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}  floor",
    ]
    for label in LABELS:
        a, c = evaluation.all_documents.counts[label], evaluation.cross_validated.counts[label]
        precision, recall = FLOORS[label]
        met = c.precision >= precision and c.recall >= recall
        lines.append(
            f"{label:<20} {a.tp:>4} {a.fp:>4} {a.fn:>4} {a.precision:>10.2f} {a.recall:>7.2f}   "
            f"{c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>10.2f} {c.recall:>7.2f}  "
            f"P>={precision:.2f} R>={recall:.2f} {'met' if met else 'NOT MET'}"
        )
    return lines


def format_evaluation(evaluation: Evaluation) -> str:
    lines = [
        f"{evaluation.all_documents.cases} labelled inputs from {evaluation.companies} companies",
        "",
        *_label_rows(evaluation),
        "",
        "clinical_update confidence, cross-validated (reliability):",
        f"  {'confidence':<12} {'n':>4} {'mean conf':>10} {'positive':>9}",
    ]
    for b in evaluation.reliability:
        lines.append(
            f"  {b.low:.1f}-{b.high:.1f}{'':4} {b.count:>4} {b.mean_confidence:>10.2f} "
            f"{b.positive_rate:>9.2f}"
        )
    error = scoring.expected_calibration_error(evaluation.reliability)
    lines += [f"  expected calibration error {error:.3f}", "", "clinical details, exact match:"]
    for name, (right, total) in evaluation.details.items():
        lines.append(f"  {name:<12} {right:>3}/{total:<3} {right / (total or 1):.2f}")
    lines += [f"    {miss}" for miss in evaluation.detail_misses]
    lines += ["", f"terms only one company uses: {len(evaluation.single_company_terms)}"]
    lines += [f"  {term}: {why}" for term, why in sorted(evaluation.single_company_terms.items())]
    for title, scores in (
        ("wrong, cross-validated", evaluation.cross_validated),
        ("wrong, all documents", evaluation.all_documents),
    ):
        lines += ["", f"{title}: {len(scores.wrong)}", *(f"  {line}" for line in scores.wrong)]
    return "\n".join(lines)


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="edgarmon evaluate",
        description="Score the classifier on the labelled documents in ../shared: "
        "cross-validated by company (the estimate, with floors) and on all documents "
        "(an upper bound), with the reliability of the clinical confidences and the "
        "accuracy of the clinical details. Exits 1 under a floor.",
    )
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--details", type=Path, default=None, help="clinical details labels")
    args = parser.parse_args(list(argv))
    shared: Path = args.shared or default_shared()
    if not (shared / "edgar" / "LABELS.tsv").exists():
        print(f"edgarmon evaluate: no labelled data under {shared}")
        return 2
    evaluation = evaluate(shared, args.details)
    print(format_evaluation(evaluation))
    return 0 if evaluation.meets_floors() else 1
