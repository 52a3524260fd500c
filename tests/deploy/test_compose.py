"""docker-compose.yml describes the laptop stack correctly.

There is no Docker engine here, so the file is checked as data: the services, the
KRaft broker, the mail catcher, and settings the services really read.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from edgarmon.core.adapters import health
from edgarmon.core.settings import ServiceSettings
from tests.deploy.manifests import ROOT, load_yaml
from tests.deploy.settings_catalogue import SERVICES, known_settings

COMPOSE: dict[str, Any] = load_yaml(ROOT / "docker-compose.yml")
SERVICES_BLOCK: dict[str, Any] = COMPOSE["services"]
INTERPOLATION = re.compile(r"\$\{(\w+)(:?[-?][^}]*)?\}")


def environment(service: str) -> dict[str, str]:
    env = SERVICES_BLOCK[service].get("environment", {})
    assert isinstance(env, dict), "environment as a mapping, so YAML merge keys work"
    return {str(k): str(v) for k, v in env.items()}


def test_the_stack_has_kafka_the_services_and_a_mail_catcher() -> None:
    assert {"kafka", "mailpit", *SERVICES} <= set(SERVICES_BLOCK)
    assert SERVICES_BLOCK["kafka"]["image"].startswith("apache/kafka:")
    assert SERVICES_BLOCK["mailpit"]["image"].startswith("axllent/mailpit:")
    for service in SERVICES_BLOCK.values():
        image = service.get("image", "")
        assert not image.endswith(":latest")


def test_kafka_runs_in_kraft_mode_with_one_node() -> None:
    env = environment("kafka")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert not any("ZOOKEEPER" in key for key in env)
    # The classifier publishes in transactions: one broker must be enough for them.
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "1"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert "zookeeper" not in SERVICES_BLOCK


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_the_one_image_running_its_command(service: str) -> None:
    spec = SERVICES_BLOCK[service]
    assert spec["build"] == "."
    assert spec["command"] == [service]
    assert spec["read_only"] is True
    assert spec["cap_drop"] == ["ALL"]
    assert spec["depends_on"]["kafka"]["condition"] == "service_healthy"
    env = environment(service)
    assert env["EDGARMON_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    drain = float(env.get("EDGARMON_SHUTDOWN_TIMEOUT_SECONDS", "20"))
    grace = int(str(spec["stop_grace_period"]).removesuffix("s"))
    assert grace > drain


@pytest.mark.parametrize("service", SERVICES)
def test_every_setting_is_one_the_service_reads(service: str) -> None:
    unknown = known_settings(service).unknown(environment(service))
    assert not unknown, f"{service} is given {unknown}, which it does not read"


@pytest.mark.parametrize("service", SERVICES)
def test_health_is_checked_on_the_readiness_path_and_port(service: str) -> None:
    spec = SERVICES_BLOCK[service]
    port = int(environment(service).get("EDGARMON_HEALTH_PORT", "8080"))
    assert port == ServiceSettings.model_fields["health_port"].default
    check = " ".join(spec["healthcheck"]["test"])
    assert f"127.0.0.1:{port}{health.READYZ}" in check
    published = [str(mapping).rsplit(":", 1)[1] for mapping in spec["ports"]]
    assert published == [str(port)]
    assert all(str(mapping).startswith("127.0.0.1:") for mapping in spec["ports"])


def test_the_notifier_mails_the_catcher_and_reads_a_mounted_routes_file() -> None:
    env = environment("notifier")
    assert env["EDGARMON_SMTP_HOST"] == "mailpit"
    assert env["EDGARMON_SMTP_PORT"] == "1025"
    mounts = {
        volume.split(":")[1]: volume.split(":")[0]
        for volume in SERVICES_BLOCK["notifier"]["volumes"]
    }
    source = mounts[env["EDGARMON_ROUTES_FILE"]]
    assert (ROOT / source).is_file()
    assert "EDGARMON_SLACK_BOT_TOKEN" not in env


def test_every_mounted_file_exists_in_the_repository() -> None:
    for spec in SERVICES_BLOCK.values():
        for volume in spec.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source


def test_the_only_interpolated_variable_is_the_required_user_agent() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    found = {(m.group(1), (m.group(2) or "")[:2]) for m in INTERPOLATION.finditer(text)}
    assert found == {("EDGARMON_EDGAR_USER_AGENT", ":?")}, "fail fast without a User-Agent"
