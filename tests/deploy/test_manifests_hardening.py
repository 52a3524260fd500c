"""The rendered pods are locked down: security context, secrets as files, disruption
budgets, and network policies that allow only the traffic each service needs."""

from __future__ import annotations

import base64

import pytest

from edgarmon.core.settings import DEFAULT_SECRETS_DIR
from tests.deploy.manifests import (
    Rendered,
    egress_ports,
    pod_spec,
    policies_for,
    selects,
    service_container,
)
from tests.deploy.settings_catalogue import SECRETS_DIR_VARIABLE, SERVICES

SECRET_SETTINGS = ("EDGARMON_SLACK_BOT_TOKEN", "EDGARMON_SMTP_PASSWORD")
DNS = {("UDP", 53), ("TCP", 53)}
KAFKA = {("TCP", 9092)}
HTTPS = {("TCP", 443)}
SMTP_SUBMISSION = {("TCP", 587)}
EXPECTED_EGRESS = {
    "poller": DNS | KAFKA | HTTPS,  # EDGAR
    "classifier": DNS | KAFKA | HTTPS,  # EDGAR
    "notifier": DNS | KAFKA | HTTPS | SMTP_SUBMISSION,  # Slack, SMTP
}
PRIVATE_RANGES = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"}


@pytest.mark.parametrize("service", SERVICES)
def test_pods_run_non_root_read_only_without_capabilities(rendered: Rendered, service: str) -> None:
    workload = rendered.workload(service)
    pod = pod_spec(workload)
    container = service_container(workload)
    pod_context = pod["securityContext"]
    context = container["securityContext"]

    assert pod_context["runAsNonRoot"] is True
    assert pod_context["runAsUser"] > 0
    assert pod_context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context.get("privileged", False) is False
    assert context["capabilities"]["drop"] == ["ALL"]
    assert not context["capabilities"].get("add")
    assert context.get("seccompProfile", pod_context["seccompProfile"]) == {
        "type": "RuntimeDefault"
    }
    assert pod["automountServiceAccountToken"] is False

    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    tmp = [mount for mount in container["volumeMounts"] if mount["mountPath"] == "/tmp"]
    assert len(tmp) == 1, "a writable /tmp on a read-only root"
    assert "emptyDir" in volumes[tmp[0]["name"]]


@pytest.mark.parametrize("service", SERVICES)
def test_containers_state_requests_and_limits(rendered: Rendered, service: str) -> None:
    resources = service_container(rendered.workload(service))["resources"]
    for kind in ("cpu", "memory"):
        assert resources["requests"][kind]
        assert resources["limits"][kind]


def test_secrets_are_files_from_a_secret_never_plain_settings(rendered: Rendered) -> None:
    notifier = rendered.workload("notifier")
    env = rendered.container_env(notifier)
    for secret in SECRET_SETTINGS:
        assert secret not in env, f"{secret} must be a file in the secrets directory"
    for config_map in rendered.of_kind("ConfigMap"):
        for key in config_map.get("data", {}):
            assert not any(word in key for word in ("TOKEN", "PASSWORD", "SECRET")), key

    secrets_dir = env.get(SECRETS_DIR_VARIABLE) or str(DEFAULT_SECRETS_DIR)
    container = service_container(notifier)
    volumes = {volume["name"]: volume for volume in pod_spec(notifier)["volumes"]}
    mounts = [m for m in container["volumeMounts"] if m["mountPath"] == secrets_dir]
    assert len(mounts) == 1, f"no volume at the secrets directory {secrets_dir}"
    assert mounts[0]["readOnly"] is True
    secret_volume = volumes[mounts[0]["name"]]["secret"]
    assert secret_volume["secretName"].startswith("edgarmon-notifier-secrets")
    assert secret_volume["defaultMode"] & 0o007 == 0, "secret files are not world-readable"


def test_a_rendered_secret_has_exactly_the_secret_settings(rendered: Rendered) -> None:
    secrets = rendered.of_kind("Secret")
    if not secrets:
        assert rendered.overlay == "prod", "only prod creates its Secret out of band"
        return
    (secret,) = secrets
    assert sorted(secret["data"]) == sorted(SECRET_SETTINGS)
    files = rendered.secret_files(rendered.workload("notifier"), str(DEFAULT_SECRETS_DIR))
    assert files == set(SECRET_SETTINGS)
    for value in secret["data"].values():
        assert base64.b64decode(value).startswith(b"placeholder-"), "no real secret in git"


def test_the_notifier_reads_routes_from_the_mounted_config_map(rendered: Rendered) -> None:
    notifier = rendered.workload("notifier")
    routes_file = rendered.container_env(notifier)["EDGARMON_ROUTES_FILE"]
    assert routes_file
    container = service_container(notifier)
    volumes = {volume["name"]: volume for volume in pod_spec(notifier)["volumes"]}
    (mount,) = [
        m for m in container["volumeMounts"] if routes_file.startswith(m["mountPath"] + "/")
    ]
    config_map = rendered.named("ConfigMap", volumes[mount["name"]]["configMap"]["name"])
    file_name = routes_file.removeprefix(mount["mountPath"] + "/")
    assert "version: 1" in config_map["data"][file_name]


@pytest.mark.parametrize("service", SERVICES)
def test_every_workload_has_a_disruption_budget(rendered: Rendered, service: str) -> None:
    workload = rendered.workload(service)
    labels = workload["spec"]["template"]["metadata"]["labels"]
    budgets = [
        pdb
        for pdb in rendered.of_kind("PodDisruptionBudget")
        if selects(pdb["spec"]["selector"], labels)
    ]
    assert len(budgets) == 1
    spec = budgets[0]["spec"]
    assert ("minAvailable" in spec) != ("maxUnavailable" in spec)
    hpa = rendered.hpa_for(workload)
    fewest = hpa["spec"]["minReplicas"] if hpa else workload["spec"]["replicas"]
    if "minAvailable" in spec:
        assert spec["minAvailable"] < fewest, "a budget that blocks every drain"


@pytest.mark.parametrize("service", SERVICES)
def test_network_policies_allow_only_the_needed_egress(rendered: Rendered, service: str) -> None:
    workload = rendered.workload(service)
    policies = list(policies_for(rendered, workload))
    assert any(
        set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
        for p in policies
    ), "no default-deny policy selects the pod"
    assert egress_ports(rendered, workload) == EXPECTED_EGRESS[service]

    for policy in policies:
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):
                if "ipBlock" in peer:
                    assert set(peer["ipBlock"].get("except", [])) >= PRIVATE_RANGES
    ingress_ports = {
        int(port["port"])
        for policy in policies
        for rule in policy["spec"].get("ingress", [])
        for port in rule.get("ports", [])
    }
    assert ingress_ports == {8080}, "only probes and scrapes come in"


def test_the_namespace_enforces_the_restricted_pod_security_standard(rendered: Rendered) -> None:
    (namespace,) = rendered.of_kind("Namespace")
    labels = namespace["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    for doc in rendered.docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == namespace["metadata"]["name"]
