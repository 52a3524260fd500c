"""The classifier's fixtures: the recorded EDGAR responses of ``../shared`` (see the
root conftest's ``shared``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def edgar(shared: Path) -> Path:
    return shared / "edgar"
