"""Shared fixtures: the read-only real data in ``../shared`` (never copied here)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = (REPO_ROOT / ".." / "shared").resolve()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "edgar" / "LABELS.tsv").exists():
        pytest.skip(f"the shared data folder is absent ({SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def edgar(shared: Path) -> Path:
    return shared / "edgar"
