"""One evaluation of the classifier over ``../shared`` for the whole session (about 10 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.evaluation.main import Evaluation, evaluate


@pytest.fixture(scope="session")
def evaluation(shared: Path) -> Evaluation:
    return evaluate(shared)
