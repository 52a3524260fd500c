"""``edgarmon notifier`` start-up: settings and routes are checked before any connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.notifier.main import run


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", str(tmp_path / "secrets"))
    monkeypatch.setenv("EDGARMON_HEALTH_PORT", "0")
    monkeypatch.setenv("EDGARMON_HEALTH_HOST", "127.0.0.1")
    monkeypatch.setenv("EDGARMON_LOG_FORMAT", "json")
    monkeypatch.setenv("EDGARMON_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
    monkeypatch.delenv("EDGARMON_SLACK_BOT_TOKEN", raising=False)
    return monkeypatch


def test_a_bad_routes_file_stops_start_up_with_a_clear_error(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  - name: Bad Name\n    match: {forms: [8-K]}\n")
    env.setenv("EDGARMON_ROUTES_FILE", str(routes))
    assert run([]) == 2
    error = capsys.readouterr().err
    assert "edgarmon notifier: routes file" in error
    assert "'Bad Name'" in error
    assert "deliver" in error


def test_a_route_that_needs_slack_without_a_token_stops_start_up(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes = tmp_path / "routes.yaml"
    routes.write_text("routes:\n  - {name: r, match: {forms: [8-K]}, deliver: {slack: ['#a']}}\n")
    env.setenv("EDGARMON_ROUTES_FILE", str(routes))
    assert run([]) == 2
    assert "EDGARMON_SLACK_BOT_TOKEN is required by routes ['r']" in capsys.readouterr().err


def test_missing_settings_and_arguments_are_refused(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("EDGARMON_ROUTES_FILE", raising=False)
    assert run([]) == 2
    assert "EDGARMON_ROUTES_FILE is required" in capsys.readouterr().err
    assert run(["--verbose"]) == 2
