"""The import contracts of the tree, read from the source (no import is executed):
the core imports no service and no tool, and a service never imports another."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("poller", "classifier", "notifier")
CORE = ROOT / "src" / "edgarmon" / "core"
TOOLS = (
    "backfill",
    "backtest",
    "history",
    "demo",
    "devtools",
    "evaluation",
    "simulator",
    "sinks",
    "devbroker",
    "testing",
)


def imported(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, dynamically named ones excepted."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def top_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "edgarmon" else None


def test_the_core_imports_no_service_and_no_tool() -> None:
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in CORE.rglob("*.py")
        for module in imported(path)
        if top_package(module) in (*SERVICES, *TOOLS)
    )
    assert wrong == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service_and_no_tool(service: str) -> None:
    package = ROOT / "services" / service / "edgarmon" / service
    others = {*SERVICES, *TOOLS} - {service}
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in package.rglob("*.py")
        for module in imported(path)
        if top_package(module) in others
    )
    assert wrong == []


def test_the_reader_sees_every_static_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import edgarmon.poller.domain.seen\nfrom edgarmon.notifier.domain import routes\n"
        "from . import sibling\ndef f():\n"
        "    from edgarmon.classifier.domain.classify import classify\n"
    )
    found = list(imported(module))
    assert [top_package(name) for name in found] == ["poller", "notifier", "classifier"]


IO_LIBRARIES = frozenset(
    {
        "aiohttp",
        "aiokafka",
        "aiosmtplib",
        "asyncio",
        "http",
        "logging",
        "pathlib",
        "prometheus_client",
        "slack_sdk",
        "smtplib",
        "socket",
        "ssl",
        "structlog",
        "subprocess",
        "time",
        "urllib.request",
    }
)
"""What a pure ``domain`` folder may not import: the network, files, the clock, the log."""


def domain_folders() -> list[tuple[str, Path]]:
    """``(package, folder)`` of the core's domain and each service's."""
    folders = [("edgarmon.core", CORE / "domain")]
    for service in SERVICES:
        package = ROOT / "services" / service / "edgarmon" / service
        folders.append((f"edgarmon.{service}", package / "domain"))
    return folders


def is_io_library(module: str) -> bool:
    return any(module == lib or module.startswith(lib + ".") for lib in IO_LIBRARIES)


@pytest.mark.parametrize(("package", "folder"), domain_folders(), ids=str)
def test_a_domain_imports_no_adapter_and_no_io_library(package: str, folder: Path) -> None:
    assert folder.is_dir()
    allowed = (f"{package}.domain", "edgarmon.core.domain")
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in folder.rglob("*.py")
        for module in imported(path)
        if is_io_library(module)
        or (module.startswith("edgarmon") and not module.startswith(allowed))
    )
    assert wrong == []
