"""The labelled documents in ``../shared``, each with the company it belongs to.

- ``seeds/``: the staff letter must be ``sec_correspondence`` (SEC to company, two
  numbered comments, 10 business days, Form 10-K for fiscal 2008); the 8-K must be
  ``8k_item_8_01`` and ``clinical_update`` naming huC242-DM4, Phase I / Phase II,
  gastric and colorectal cancer, and the 168 mg/m2 maximum tolerated dose;
- ``edgar/LABELS.tsv``: every row is scored on the labels of its ``scored`` column,
  and the letter direction must match;
- ``clinical/LABELS.tsv``: ``pos`` and ``neg`` rows, on ``clinical_update`` only;
  ``border`` rows are not scored.

Cross-validation holds out whole companies, so every case gets a company key: the
CIK where one can be read (from the clinical source URL, ``MANIFEST.tsv``, the
file name or the file's SGML header), else the company's name; identifiers that
occur together (a name beside a CIK) are merged, so that one company is one
group across the folders.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from edgarmon.classifier.domain.classify import Classification
from edgarmon.classifier.domain.document_reading import ReadResult, read_input
from edgarmon.core.domain.messages import ClinicalUpdateLabel, CorrespondenceLabel, LabelId

LABELS: Final = (
    LabelId.ITEM_8_01.value,
    LabelId.SEC_CORRESPONDENCE.value,
    LabelId.CLINICAL_UPDATE.value,
)
STAFF_LETTER_SEED: Final = "000_d78ed06124df1aa2.txt"
EIGHT_K_SEED: Final = "004_4071176f85cd4a78.txt"
SEED_COMPANY: Final = "ImmunoGen"

_SUFFIXES = re.compile(
    r"\b(?:inc|incorporated|corp|corporation|co|company|companies|ltd|limited|plc|llc|lp|"
    r"the|sa|nv|ag|se|oy)\b"
)
_CIK_IN_URL = re.compile(r"/edgar/data/(\d+)/")
_CIK_IN_TEXT = re.compile(r"\bCIK (\d+)")
_CIK_PREFIX = re.compile(r"(?:^|/)(\d{4,10})_8K_")
_TICKER_FOLDER = re.compile(r"/([A-Z]{1,5})_\d{10}-\d{2}-\d{6}/")
_NAME_IN_FILE = re.compile(r"(?:^|_)([A-Z][A-Za-z]+(?:_[A-Z][A-Za-z]+)?)(?=_|\.|-8-K)")

Check = Callable[[Classification], list[str]]


@dataclass(frozen=True, slots=True)
class Case:
    path: Path
    name: str
    """The path relative to the shared folder, as reports show it."""
    expected: frozenset[str]
    scored: frozenset[str]
    company: str
    direction: str | None = None
    check: Check | None = None


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
    indications = " ".join(details.indications).lower()
    problems += [
        f"no {name}" for name in ("gastric cancer", "colorectal cancer") if name not in indications
    ]
    if not any("168 mg/m" in sentence for sentence in details.decisive_sentences):
        problems.append("the 168 mg/m2 MTD is not among the decisive sentences")
    return problems


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def name_key(name: str) -> str:
    """A company name as a key: "TYSON FOODS, INC." and "TysonFoods" -> "tysonfoods"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    return re.sub(r"[^a-z0-9]", "", _SUFFIXES.sub(" ", spaced.split("(")[0].split("/")[0]))


class _Groups:
    """Union-find over company identifiers ("cik:320193", "name:apple")."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._label: dict[str, str] = {}

    def find(self, key: str) -> str:
        self._parent.setdefault(key, key)
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def join(self, keys: Iterable[str], label: str) -> str:
        roots = [self.find(key) for key in keys]
        for root in roots[1:]:
            self._parent[root] = roots[0]
        self._label.setdefault(roots[0], label)
        return roots[0]

    def label(self, key: str) -> str:
        root = self.find(key)
        labels = [label for other, label in self._label.items() if self.find(other) == root]
        return next(
            (label for label in labels if not label.isdigit()), labels[0] if labels else root
        )


@cache
def read_case_file(path: Path) -> ReadResult:
    """A labelled file, read once per run however many times the evaluation asks."""
    return read_input(path.read_bytes(), path.name)


def _header_cik(path: Path) -> str | None:
    if path.suffix.lower() not in {".txt", ".nc"}:
        return None
    read = read_case_file(path)
    companies = read.header.companies if read.header else ()
    return str(companies[0].cik) if companies else None


def _edgar_identifiers(path: str, description: str, file: Path) -> tuple[list[str], str]:
    ciks = [m.group(1) for m in (_CIK_IN_TEXT.search(description), _CIK_PREFIX.search(path)) if m]
    if not ciks and (header := _header_cik(file)):
        ciks.append(header)
    names: list[str] = []
    if ticker := _TICKER_FOLDER.search("/" + path):
        names.append(ticker.group(1))
    elif found := _NAME_IN_FILE.search(re.sub(r"_(?:CORRESP|UPLOAD)_", "_", Path(path).name)):
        names.append(found.group(1))
    keys = [f"cik:{int(cik)}" for cik in ciks] + [f"name:{name_key(n)}" for n in names]
    return keys or [f"path:{path}"], (names or ciks or [path])[0]


def cases(shared: Path) -> list[Case]:
    """Every labelled case in ``shared``, with its company resolved across folders."""
    groups = _Groups()
    everything = frozenset(LABELS)
    pending: list[tuple[Case, str]] = []
    seed_key = groups.join([f"name:{name_key(SEED_COMPANY)}"], SEED_COMPANY)
    seeds = shared / "seeds"
    pending += [
        (
            Case(
                seeds / STAFF_LETTER_SEED,
                f"seeds/{STAFF_LETTER_SEED}",
                frozenset({"sec_correspondence"}),
                everything,
                seed_key,
                "sec_to_company",
                check_staff_letter_seed,
            ),
            seed_key,
        ),
        (
            Case(
                seeds / EIGHT_K_SEED,
                f"seeds/{EIGHT_K_SEED}",
                frozenset({"8k_item_8_01", "clinical_update"}),
                everything,
                seed_key,
                None,
                check_eight_k_seed,
            ),
            seed_key,
        ),
    ]
    manifest = {
        row["local_path"]: row["description"] for row in rows(shared / "edgar" / "MANIFEST.tsv")
    }
    for row in rows(shared / "edgar" / "LABELS.tsv"):
        file = shared / "edgar" / row["path"]
        keys, label = _edgar_identifiers(row["path"], manifest.get(row["path"], ""), file)
        key = groups.join(keys, label)
        expected = frozenset() if row["expect"] == "-" else frozenset(row["expect"].split(","))
        scored = frozenset(s for s in row["scored"].split(",") if s) or everything
        case = Case(file, f"edgar/{row['path']}", expected, scored, key, row["direction"] or None)
        pending.append((case, key))
    for row in rows(shared / "clinical" / "LABELS.tsv"):
        if row["label"] == "border":
            continue
        keys = [f"name:{name_key(row['file'].split('__')[1])}", f"name:{name_key(row['company'])}"]
        if cik := _CIK_IN_URL.search(row["source"]):
            keys.append(f"cik:{int(cik.group(1))}")
        key = groups.join(keys, row["company"])
        expected = frozenset({"clinical_update"}) if row["label"] == "pos" else frozenset()
        file = shared / "clinical" / row["file"]
        pending.append(
            (
                Case(
                    file, f"clinical/{row['file']}", expected, frozenset({"clinical_update"}), key
                ),
                key,
            )
        )
    return [
        Case(c.path, c.name, c.expected, c.scored, groups.label(key), c.direction, c.check)
        for c, key in pending
    ]
