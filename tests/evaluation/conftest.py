"""One evaluation of the classifier over ``../shared`` for the whole session (about 10 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.evaluation.main import Evaluation, evaluate

SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "edgar" / "LABELS.tsv").exists():
        pytest.skip(f"the shared data folder is absent ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def evaluation(shared: Path) -> Evaluation:
    return evaluate(shared)
