"""Start-up fails clearly on missing or invalid settings; secrets come from files too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import Field, SecretStr

from edgarmon.core.errors import ConfigurationError
from edgarmon.core.settings import EdgarClientSettings, ServiceSettings, load_settings

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
        [sys.executable, "-m", "tests.support.echo_service"],
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
