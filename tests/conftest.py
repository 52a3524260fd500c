"""Fixtures shared by the whole suite: the shared data folder and the real Kafka broker.

The broker is started once per session (``edgarmon broker`` machinery) unless
``EDGARMON_KAFKA_BOOTSTRAP_SERVERS`` names one. Tests give every topic and
consumer group a unique name, so they never share state.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from edgarmon.devbroker import broker

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-skips",
        action="store_true",
        help="fail every test that would be skipped (`make test`: the suite is whole or red)",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.skipped and item.config.getoption("--no-skips") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under --no-skips: {reason}"
    return report


@pytest.fixture(scope="session")
def shared() -> Path:
    """The read-only real data in ``../shared`` (never copied here)."""
    if not (SHARED / "edgar" / "LABELS.tsv").exists():
        pytest.skip(f"the shared data folder {SHARED} is not present")
    return SHARED


@pytest.fixture(scope="session")
def shared_edgar(shared: Path) -> Path:
    """The recorded EDGAR responses in ``../shared/edgar``."""
    return shared / "edgar"


@pytest.fixture(scope="session")
def kafka_bootstrap(request: pytest.FixtureRequest) -> Iterator[str]:
    """A real Kafka broker for the whole session."""
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    if given:
        yield given
        return
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    handle = broker.start(broker.default_home(), log=lambda line: None)
    message = (
        f"Kafka {broker.KAFKA_VERSION} broker at {handle.bootstrap_servers} "
        f"started in {handle.startup_seconds:.2f} s"
    )
    if reporter is not None:
        reporter.write_line(message)
    try:
        yield handle.bootstrap_servers
    finally:
        broker.stop(handle)


@pytest.fixture
def unique() -> str:
    """A short unique suffix for topic and group names."""
    return uuid.uuid4().hex[:10]
