"""Cases grouped by company across folders, and what a held-out company's fold switches off."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from edgarmon.evaluation.corpus import cases, name_key
from edgarmon.evaluation.crossval import only_used_by, term_support


def test_one_company_is_one_group_across_folders(shared: Path) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    for case in cases(shared):
        groups[case.company].add(case.name)

    def group_of(fragment: str) -> set[str]:
        return next(names for names in groups.values() if any(fragment in n for n in names))

    # an 8-K in edgar/ and the same company's 8-Ks in clinical/ (CIK 1001039)
    assert any("clinical/neg__WaltDisney" in n for n in group_of("1001039_8K_2012"))
    # an 8-K's full submission and the company's letters (CIK 320193 in their headers)
    apple = group_of("aapl-8k")
    assert any("CORRESP_Apple" in n for n in apple)
    assert any("UPLOAD_Apple" in n for n in apple)
    # CORRESP and UPLOAD folders of one ticker
    abbvie = group_of("ABBV_0000000000-18-013671")
    assert any("/corresp/" in n for n in abbvie)
    assert any("/upload/" in n for n in abbvie)
    # both seeds are ImmunoGen's
    assert len(group_of("seeds/")) == 2


def test_names_are_compared_without_legal_suffixes() -> None:
    assert name_key("TYSON FOODS, INC.") == name_key("TysonFoods") == "tysonfoods"
    assert name_key("WALT DISNEY CO/") == name_key("WaltDisney")


def test_a_term_only_the_held_out_company_uses_is_switched_off() -> None:
    support = term_support(
        {"a1": frozenset({"t.shared", "t.only_a"}), "b1": frozenset({"t.shared"})},
        {"a1": "A", "b1": "B"},
    )

    assert only_used_by(support, "A") == {"t.only_a"}
    assert only_used_by(support, "B") == frozenset()
