"""NotifierSettings from the environment and the secrets directory, and start-up routing."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.settings import load_settings
from edgarmon.notifier.route_loading import load_routing
from edgarmon.notifier.settings import NotifierSettings

ROUTES = """
routes:
  - name: letters
    match: {labels: [sec_correspondence], tickers: [AAPL]}
    deliver: {slack: ["#compliance"], email: [analyst@example.com]}
"""
TICKERS = '{"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."}}'


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("SLACK_BOT_TOKEN", "SMTP_PASSWORD", "SMTP_HOST", "SMTP_FROM", "TICKERS_FILE"):
        monkeypatch.delenv(f"EDGARMON_{name}", raising=False)
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", str(tmp_path / "secrets"))
    routes = tmp_path / "routes.yaml"
    routes.write_text(ROUTES)
    monkeypatch.setenv("EDGARMON_ROUTES_FILE", str(routes))
    return monkeypatch


def test_settings_from_the_environment(env: pytest.MonkeyPatch) -> None:
    env.setenv("EDGARMON_SLACK_API_URL", "http://127.0.0.1:9999/api/")
    env.setenv("EDGARMON_SLACK_BOT_TOKEN", "xoxb-from-env")
    env.setenv("EDGARMON_ALERT_LINK_HOSTS", "www.sec.gov, 127.0.0.1")
    env.setenv("EDGARMON_SMTP_FROM", "edgarmon <alerts@corp.example>")
    settings = load_settings(NotifierSettings)
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-env"
    assert "xoxb-from-env" not in repr(settings)
    assert settings.alert_link_hosts == ("www.sec.gov", "127.0.0.1")
    assert settings.message_id_domain() == "corp.example"
    assert settings.smtp_port == 587
    assert settings.smtp_starttls is True


def test_secrets_come_from_files_and_the_environment_wins(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "EDGARMON_SLACK_BOT_TOKEN").write_text("xoxb-from-file")
    (secrets / "EDGARMON_SMTP_PASSWORD").write_text("smtp-from-file")
    settings = load_settings(NotifierSettings)
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-file"
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "smtp-from-file"
    env.setenv("EDGARMON_SMTP_PASSWORD", "smtp-from-env")
    overridden = load_settings(NotifierSettings)
    assert overridden.smtp_password is not None
    assert overridden.smtp_password.get_secret_value() == "smtp-from-env"


def test_required_and_invalid_settings_are_named(env: pytest.MonkeyPatch) -> None:
    env.delenv("EDGARMON_ROUTES_FILE")
    with pytest.raises(ConfigurationError, match="EDGARMON_ROUTES_FILE is required"):
        load_settings(NotifierSettings)
    env.setenv("EDGARMON_ROUTES_FILE", "/etc/routes.yaml")
    env.setenv("EDGARMON_SMTP_IMPLICIT_TLS", "true")
    with pytest.raises(ConfigurationError, match="cannot both be true"):
        load_settings(NotifierSettings)
    env.delenv("EDGARMON_SMTP_IMPLICIT_TLS")
    env.setenv("EDGARMON_SMTP_FROM", "alerts@example.com\r\nBcc: x@evil.example")
    with pytest.raises(ConfigurationError, match="EDGARMON_SMTP_FROM is invalid"):
        load_settings(NotifierSettings)


def test_routing_loads_when_every_destination_is_configured(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tickers = tmp_path / "company_tickers.json"
    tickers.write_text(TICKERS)
    env.setenv("EDGARMON_TICKERS_FILE", str(tickers))
    with pytest.raises(ConfigurationError) as caught:
        load_routing(load_settings(NotifierSettings))
    message = str(caught.value)
    assert "EDGARMON_SLACK_BOT_TOKEN is required by routes ['letters']" in message
    assert "EDGARMON_SMTP_HOST is required" in message
    assert "EDGARMON_SMTP_FROM is required" in message

    env.setenv("EDGARMON_SLACK_BOT_TOKEN", "xoxb-x")
    env.setenv("EDGARMON_SMTP_HOST", "smtp.example.com")
    env.setenv("EDGARMON_SMTP_FROM", "alerts@example.com")
    routing = load_routing(load_settings(NotifierSettings))
    assert routing.route("letters").ciks == frozenset({320193})
    assert routing.tickers.ticker(320193) == "AAPL"
