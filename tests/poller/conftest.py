"""Fixtures for the poller tests: the shared recordings, a simulated EDGAR with
a fair-access client pointed at it, and every line logged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from structlog.testing import capture_logs
from structlog.typing import EventDict

from edgarmon.testing.local_edgar import SIM_START, simulated_edgar

__all__ = ["BASE", "SHARED_EDGAR", "SIM_START", "simulated_edgar"]

SHARED_EDGAR = Path(__file__).resolve().parents[2] / ".." / "shared" / "edgar"
BASE = "http://edgar.test"


@pytest.fixture
def logs() -> Iterator[list[EventDict]]:
    """Every line logged, whatever level an earlier test configured structlog for."""
    saved = structlog.get_config()
    structlog.reset_defaults()
    with capture_logs() as captured:
        yield captured
    structlog.configure(**saved)
