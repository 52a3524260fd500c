"""The rendered manifests agree with the code: setting names, probes, ports, drain time,
replica limits and the EDGAR request budget."""

from __future__ import annotations

import re

import pytest

from edgarmon.core.adapters import health
from edgarmon.core.domain.edgar_rules import BUDGET_PER_SECOND, SEC_LIMIT_PER_SECOND
from edgarmon.core.settings import DEFAULT_SECRETS_DIR, EdgarClientSettings, ServiceSettings
from tests.deploy.manifests import (
    DEPLOY,
    Rendered,
    named_port,
    pod_spec,
    service_container,
)
from tests.deploy.settings_catalogue import (
    SECRETS_DIR_VARIABLE,
    SERVICES,
    KnownSettings,
    known_settings,
)

EDGAR_SERVICES = ("poller", "classifier")
VARIABLE = re.compile(r"^EDGARMON_[A-Z0-9_]+$")


def default(settings_type: type[ServiceSettings] | type[EdgarClientSettings], field: str) -> str:
    return str(settings_type.model_fields[field].default)


def effective(env: dict[str, str | None], variable: str, fallback: str) -> str:
    value = env.get(variable)
    return fallback if value is None else value


def used_names(rendered: Rendered, service: str) -> set[str]:
    workload = rendered.workload(service)
    env = rendered.container_env(workload)
    secrets_dir = effective(env, SECRETS_DIR_VARIABLE, str(DEFAULT_SECRETS_DIR))
    return set(env) | rendered.secret_files(workload, secrets_dir)


def test_the_checker_rejects_a_name_no_settings_class_reads() -> None:
    known = known_settings("notifier")
    assert known.unknown(["EDGARMON_SMTP_HOST", "EDGARMON_SMTP_HOTS", "EDGARMON_LOG_LEVEL"]) == [
        "EDGARMON_SMTP_HOTS"
    ]
    assert known_settings("poller").unknown(["EDGARMON_ROUTES_FILE"]) == ["EDGARMON_ROUTES_FILE"]


@pytest.mark.parametrize("service", SERVICES)
def test_every_setting_the_manifests_pass_is_one_the_service_reads(
    rendered: Rendered, service: str
) -> None:
    names = used_names(rendered, service)
    assert names, f"{service} gets no settings at all"
    assert all(VARIABLE.match(name) for name in names), sorted(names)
    known: KnownSettings = known_settings(service)
    unknown = known.unknown(names)
    origin = "its settings class" if known.from_service_class else "the shared settings classes"
    assert not unknown, (
        f"{rendered.overlay}: {service} is given {unknown}, which {origin} do not read"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_probes_and_ports_are_the_ones_the_service_serves(rendered: Rendered, service: str) -> None:
    workload = rendered.workload(service)
    container = service_container(workload)
    env = rendered.container_env(workload)
    port = int(effective(env, "EDGARMON_HEALTH_PORT", default(ServiceSettings, "health_port")))
    assert port == ServiceSettings.model_fields["health_port"].default == 8080

    liveness = container["livenessProbe"]["httpGet"]
    readiness = container["readinessProbe"]["httpGet"]
    assert liveness["path"] == health.LIVEZ
    assert readiness["path"] == health.READYZ
    assert named_port(container, liveness["port"]) == port
    assert named_port(container, readiness["port"]) == port

    annotations = workload["spec"]["template"]["metadata"].get("annotations", {})
    assert annotations.get("prometheus.io/path") == health.METRICS
    assert int(annotations["prometheus.io/port"]) == port

    service_port = rendered.named("Service", f"edgarmon-{service}")["spec"]["ports"][0]
    assert named_port(container, service_port["targetPort"]) == port
    assert service_port["name"] in {"http", "metrics"}


@pytest.mark.parametrize("service", SERVICES)
def test_the_grace_period_outlasts_the_drain(rendered: Rendered, service: str) -> None:
    workload = rendered.workload(service)
    env = rendered.container_env(workload)
    drain = float(
        effective(
            env,
            "EDGARMON_SHUTDOWN_TIMEOUT_SECONDS",
            default(ServiceSettings, "shutdown_timeout_seconds"),
        )
    )
    grace = pod_spec(workload)["terminationGracePeriodSeconds"]
    assert grace >= drain + 5, f"{service}: {grace} s grace for a {drain} s drain"


@pytest.mark.parametrize("service", SERVICES)
def test_the_container_runs_its_own_service(rendered: Rendered, service: str) -> None:
    container = service_container(rendered.workload(service))
    assert container.get("args") == [service]
    assert "command" not in container, "the image's entrypoint is the edgarmon command"


def test_the_poller_is_one_writer(rendered: Rendered) -> None:
    poller = rendered.workload("poller")
    assert poller["spec"]["replicas"] == 1
    assert poller["spec"]["strategy"]["type"] == "Recreate"
    assert rendered.hpa_for(poller) is None


@pytest.mark.parametrize("service", ["classifier", "notifier"])
def test_consumers_scale_on_cpu_up_to_the_partition_count(rendered: Rendered, service: str) -> None:
    workload = rendered.workload(service)
    hpa = rendered.hpa_for(workload)
    assert hpa is not None, f"{service} has no HorizontalPodAutoscaler"
    assert "replicas" not in workload["spec"], "the HPA owns the replica count"
    env = rendered.container_env(workload)
    partitions = int(
        effective(
            env,
            "EDGARMON_KAFKA_TOPIC_PARTITIONS",
            default(ServiceSettings, "kafka_topic_partitions"),
        )
    )
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"] <= partitions
    resources = [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
    assert resources == ["cpu"]
    assert service_container(workload)["resources"]["requests"]["cpu"]


def test_edgar_request_rates_add_up_to_well_under_ten_per_second(rendered: Rendered) -> None:
    total = 0.0
    for service in EDGAR_SERVICES:
        workload = rendered.workload(service)
        env = rendered.container_env(workload)
        per_process = float(
            effective(
                env,
                "EDGARMON_EDGAR_REQUESTS_PER_SECOND",
                default(EdgarClientSettings, "edgar_requests_per_second"),
            )
        )
        hpa = rendered.hpa_for(workload)
        processes = hpa["spec"]["maxReplicas"] if hpa else workload["spec"]["replicas"]
        total += per_process * processes
    assert total <= BUDGET_PER_SECOND < SEC_LIMIT_PER_SECOND, (
        f"{rendered.overlay}: up to {total} EDGAR requests/s at full scale"
    )


def test_the_budget_is_written_down_once_with_the_codes_number() -> None:
    root = DEPLOY.parent
    budget = (DEPLOY / "README.md").read_text()
    assert f"must be {BUDGET_PER_SECOND:g} or less**" in budget
    for doc in ("README.md", "docs/poller.md", "docs/classifier.md"):
        assert "README.md#the-edgar-request-budget" in (root / doc).read_text(), doc


@pytest.mark.parametrize("service", EDGAR_SERVICES)
def test_edgar_users_declare_a_user_agent(rendered: Rendered, service: str) -> None:
    env = rendered.container_env(rendered.workload(service))
    user_agent = env.get("EDGARMON_EDGAR_USER_AGENT") or ""
    assert re.search(r"\S+ .*\S+@\S+\.\S+", user_agent), user_agent


def test_settings_values_parse_with_the_settings_classes(rendered: Rendered) -> None:
    """The literal values in the ConfigMaps are valid for the shared settings classes."""
    for service in SERVICES:
        env = rendered.container_env(rendered.workload(service))
        fields = {
            name.removeprefix("EDGARMON_").lower(): value
            for name, value in env.items()
            if value is not None and name != SECRETS_DIR_VARIABLE
        }
        shared = {k: v for k, v in fields.items() if k in ServiceSettings.model_fields}
        ServiceSettings.model_validate(shared)
        if service in EDGAR_SERVICES:
            edgar = {k: v for k, v in fields.items() if k in EdgarClientSettings.model_fields}
            EdgarClientSettings.model_validate(edgar)
