"""Start-up fails clearly on missing or invalid settings; secrets come from files too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import Field, SecretStr

from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.settings import (
    EdgarClientSettings,
    ServiceSettings,
    UnknownVariable,
    load_settings,
    unknown_variables,
)
from edgarmon.notifier.settings import NotifierSettings
from edgarmon.poller.settings import PollerSettings

ROOT = Path(__file__).resolve().parents[2]


class SecretfulSettings(ServiceSettings):
    slack_bot_token: SecretStr


def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("EDGARMON_"):
            monkeypatch.delenv(name)


def test_a_missing_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env(monkeypatch)
    with pytest.raises(ConfigurationError, match="EDGARMON_EDGAR_USER_AGENT is required"):
        load_settings(EdgarClientSettings)


def test_an_invalid_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_HEALTH_PORT", "eighty")
    monkeypatch.setenv("EDGARMON_LOG_LEVEL", "loud")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(ServiceSettings)
    assert "EDGARMON_HEALTH_PORT is invalid" in str(caught.value)
    assert "EDGARMON_LOG_LEVEL is invalid" in str(caught.value)


def test_secrets_are_read_from_files_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env(monkeypatch)
    (tmp_path / "EDGARMON_SLACK_BOT_TOKEN").write_text("xoxb-from-file")
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", str(tmp_path))
    assert load_settings(SecretfulSettings).slack_bot_token.get_secret_value() == "xoxb-from-file"
    monkeypatch.setenv("EDGARMON_SLACK_BOT_TOKEN", "xoxb-from-env")
    assert load_settings(SecretfulSettings).slack_bot_token.get_secret_value() == "xoxb-from-env"


def test_kubernetes_secret_volume_layout_with_symlinks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env(monkeypatch)
    data = tmp_path / "..2026_11_21"
    data.mkdir()
    (data / "EDGARMON_SLACK_BOT_TOKEN").write_text("xoxb-mounted")
    (tmp_path / "..data").symlink_to(data.name)
    (tmp_path / "EDGARMON_SLACK_BOT_TOKEN").symlink_to("..data/EDGARMON_SLACK_BOT_TOKEN")
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", str(tmp_path))
    assert load_settings(SecretfulSettings).slack_bot_token.get_secret_value() == "xoxb-mounted"


def test_a_service_with_a_bad_setting_exits_2_naming_it_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDGARMON_")}
    env["EDGARMON_HEALTH_PORT"] = "-1"
    result = subprocess.run(
        [sys.executable, "-m", "edgarmon.testing.echo_service"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "EDGARMON_HEALTH_PORT is invalid" in result.stderr
    assert "EDGARMON_ECHO_INPUT is required but not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_lists_are_comma_separated_as_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "Example Corp ops@example.com")
    monkeypatch.setenv("EDGARMON_EDGAR_ALLOWED_HOSTS", "www.sec.gov, DATA.sec.gov,")
    settings = load_settings(EdgarClientSettings)
    assert settings.edgar_allowed_hosts == ("www.sec.gov", "data.sec.gov")


def test_an_undeclared_user_agent_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "python-requests/2.31")
    with pytest.raises(ConfigurationError, match="EDGARMON_EDGAR_USER_AGENT is invalid"):
        load_settings(EdgarClientSettings)


def test_an_unparseable_structured_value_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class WithMapping(ServiceSettings):
        labels_by_route: dict[str, str] = Field(default_factory=dict)

    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_LABELS_BY_ROUTE", "{not json")
    with pytest.raises(ConfigurationError, match="EDGARMON_LABELS_BY_ROUTE"):
        load_settings(WithMapping)


def test_a_check_across_variables_names_them_without_an_empty_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "Example Corp ops@example.com")
    monkeypatch.setenv("EDGARMON_SEEN_LOOKBACK_DAYS", "1")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(PollerSettings)
    message = str(caught.value)
    assert message.startswith("invalid configuration: EDGARMON_SEEN_LOOKBACK_DAYS must be")
    assert "EDGARMON_ is" not in message
    assert "Value error" not in message


def test_a_bad_value_is_quoted_in_words_a_user_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "Example Corp ops@example.com")
    monkeypatch.setenv("EDGARMON_WATCHLIST_CIKS", "320193,apple")
    monkeypatch.setenv("EDGARMON_HEALTH_PORT", "http")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(PollerSettings)
    message = str(caught.value)
    assert "EDGARMON_WATCHLIST_CIKS is invalid (got '320193,apple'): CIKs are numbers" in message
    assert "EDGARMON_HEALTH_PORT is invalid (got 'http')" in message
    assert "invalid literal" not in message


def test_a_bad_secret_is_named_but_never_quoted(monkeypatch: pytest.MonkeyPatch) -> None:
    class WithNumericSecret(ServiceSettings):
        slack_bot_token: int

    clean_env(monkeypatch)
    monkeypatch.setenv("EDGARMON_SLACK_BOT_TOKEN", "xoxb-very-secret")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(WithNumericSecret)
    assert "EDGARMON_SLACK_BOT_TOKEN is invalid" in str(caught.value)
    assert "xoxb-very-secret" not in str(caught.value)


def test_unknown_variables_are_found_with_the_closest_known_name() -> None:
    environ = {
        "EDGARMON_EDGAR_REQUEST_PER_SECOND": "2",
        "EDGARMON_EDGAR_REQUESTS_PER_SECOND": "2",
        "EDGARMON_ROUTES_FILE": "/etc/routes.yaml",
        "EDGARMON_SECRETS_DIR": "/run/secrets/edgarmon",
        "EDGARMON_BANANA": "yes",
        "HOME": "/root",
    }
    found = unknown_variables(environ, [PollerSettings, NotifierSettings])
    assert found == [
        UnknownVariable("EDGARMON_BANANA", None),
        UnknownVariable("EDGARMON_EDGAR_REQUEST_PER_SECOND", "EDGARMON_EDGAR_REQUESTS_PER_SECOND"),
    ]


def run_service_command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "edgarmon.cli", *args],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("EDGARMON_")} | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_misspelt_variable_is_warned_about_at_start_up(tmp_path: Path) -> None:
    result = run_service_command(
        "classifier",
        env={
            "EDGARMON_EDGAR_USER_AGENT": "Example Corp ops@example.com",
            "EDGARMON_EDGAR_REQUEST_PER_SECOND": "2",
            "EDGARMON_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
            "EDGARMON_KAFKA_STARTUP_TIMEOUT_SECONDS": "0.1",
            "EDGARMON_HEALTH_PORT": "0",
            "EDGARMON_LOG_FORMAT": "json",
        },
    )
    warnings = [
        json.loads(line)
        for line in result.stderr.splitlines()
        if line.startswith("{") and '"unknown setting ignored"' in line
    ]
    assert [(w["variable"], w["did_you_mean"]) for w in warnings] == [
        ("EDGARMON_EDGAR_REQUEST_PER_SECOND", "EDGARMON_EDGAR_REQUESTS_PER_SECOND")
    ]


@pytest.mark.parametrize("service", ["poller", "classifier", "notifier"])
def test_service_help_says_what_it_does_and_where_the_settings_are(service: str) -> None:
    result = run_service_command(service, "--help", env={})
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: edgarmon {service}\n")
    assert "edgarmon config-reference" in result.stdout
    wrong = run_service_command(service, "--verbose", env={})
    assert wrong.returncode == 2
    assert f"see `edgarmon {service} --help`" in wrong.stderr


def test_a_bad_routes_file_is_refused_before_the_notifier_starts(tmp_path: Path) -> None:
    routes = tmp_path / "routes.yaml"
    routes.write_text("")
    result = run_service_command(
        "notifier", env={"EDGARMON_ROUTES_FILE": str(routes), "EDGARMON_HEALTH_PORT": "0"}
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"edgarmon notifier: routes file {routes}: is empty; it needs `version: 1` and a "
        "`routes:` list (see deploy/base/routes.yaml)"
    ]
    assert "started" not in result.stdout + result.stderr
