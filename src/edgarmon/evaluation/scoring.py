"""Scores: precision and recall per label, the reliability of confidences, and the
exact-match accuracy of the clinical details against ``tests/classifier/clinical_details.tsv``."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from edgarmon.classifier.domain.classify import Classification
from edgarmon.core.domain.messages import ClinicalDetails, ClinicalUpdateLabel, CorrespondenceLabel
from edgarmon.evaluation.corpus import LABELS, Case

DETAIL_FIELDS: Final = ("drugs", "phases", "indications", "meeting")


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
class Scores:
    counts: dict[str, Counts] = field(default_factory=lambda: {label: Counts() for label in LABELS})
    wrong: list[str] = field(default_factory=list)
    cases: int = 0


def problems(case: Case, result: Classification) -> list[str]:
    """What is wrong with one case's result, label by label; counted into nothing."""
    got = {label.id.value for label in result.labels}
    found = [f"unexpected {label}" for label in sorted(case.scored) if label in got - case.expected]
    for label in sorted(case.scored & case.expected - got):
        near = next((n for n in result.near_misses if n.id.value == label), None)
        why = f" (near-miss {near.confidence:.2f}: {near.rationale})" if near else ""
        found.append(f"missed {label}{why}")
    letter = next((x for x in result.labels if isinstance(x, CorrespondenceLabel)), None)
    if case.direction and letter and letter.details.direction.value != case.direction:
        found.append(f"direction {letter.details.direction.value}, not {case.direction}")
    if case.check:
        found += case.check(result)
    return found


def score(results: Iterable[tuple[Case, Classification]]) -> Scores:
    scores = Scores()
    for case, result in results:
        scores.cases += 1
        got = {label.id.value for label in result.labels}
        for label in case.scored:
            counts = scores.counts[label]
            if label in got and label in case.expected:
                counts.tp += 1
            elif label in got:
                counts.fp += 1
            elif label in case.expected:
                counts.fn += 1
        if found := problems(case, result):
            scores.wrong.append(f"{case.name} [{case.company}]: {'; '.join(found)}")
    return scores


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    positive_rate: float


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> list[ReliabilityBin]:
    """Confidence bins: how many predictions fell in each, their mean confidence, and how
    often the label was really there. Calibrated means the last two agree."""
    found = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        inside = [(c, y) for c, y in pairs if low <= c < high or (index == bins - 1 and c == 1.0)]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            rate = sum(y for _, y in inside) / len(inside)
            found.append(ReliabilityBin(low, high, len(inside), mean, rate))
    return found


def expected_calibration_error(table: Sequence[ReliabilityBin]) -> float:
    total = sum(b.count for b in table)
    return sum(b.count * abs(b.mean_confidence - b.positive_rate) for b in table) / (total or 1)


# --- clinical details ---------------------------------------------------------


def _values(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _norm(text: str) -> str:
    """One spelling per value: straight quotes, single spaces, lower case, and a plural
    last word made singular ("solid tumors" is "solid tumor")."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text).strip().lower()
    return re.sub(r"(?<=[a-z]{3})s$", "", text)


@dataclass(frozen=True, slots=True)
class DetailLabels:
    file: str
    values: dict[str, list[str]]
    aliases: dict[str, list[str]]


def detail_labels(path: Path) -> list[DetailLabels]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    found = []
    for row in csv.DictReader(lines, delimiter="\t"):
        values = {name: _values(row[name]) for name in DETAIL_FIELDS}
        aliases = {
            name: _values(row.get(f"{name[:-1] if name.endswith('s') else name}_aliases") or "")
            for name in DETAIL_FIELDS
        }
        found.append(DetailLabels(row["file"], values, aliases))
    return found


def field_matches(expected: Sequence[str], aliases: Sequence[str], got: Sequence[str]) -> bool:
    """Exact match of a field: every value given is one of the expected values or their
    aliases, and as many values are given as are expected."""
    allowed = {_norm(v) for v in (*expected, *aliases)}
    given = {_norm(v) for v in got}
    return len(given) == len({_norm(v) for v in expected}) and given <= allowed


def detail_values(details: ClinicalDetails) -> dict[str, list[str]]:
    return {
        "drugs": list(details.drugs),
        "phases": list(details.phases),
        "indications": list(details.indications),
        "meeting": [details.meeting] if details.meeting else [],
    }


def detail_accuracy(
    labels: Sequence[DetailLabels], results: dict[str, Classification]
) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Per field (right, labelled), and the mismatches."""
    tally = {name: [0, 0] for name in DETAIL_FIELDS}
    misses: list[str] = []
    for row in labels:
        result = results.get(row.file)
        if result is None:
            continue
        label = next((x for x in result.labels if isinstance(x, ClinicalUpdateLabel)), None)
        got = detail_values(label.details) if label else {name: [] for name in DETAIL_FIELDS}
        for name in DETAIL_FIELDS:
            tally[name][1] += 1
            if field_matches(row.values[name], row.aliases[name], got[name]):
                tally[name][0] += 1
            else:
                misses.append(f"{row.file}: {name} {got[name]} (expected {row.values[name]})")
    return {name: (right, total) for name, (right, total) in tally.items()}, misses
