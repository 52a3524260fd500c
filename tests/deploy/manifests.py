"""Rendering the kustomize overlays and reading what the rendered manifests say.

kustomize is the binary ``scripts/deploy-check`` installs into ``.tools/bin`` (or one
named by ``EDGARMON_KUSTOMIZE``, or on ``PATH``). Everything else here is plain
functions over the parsed YAML documents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
OVERLAYS = tuple(sorted(path.name for path in (DEPLOY / "overlays").iterdir() if path.is_dir()))

Manifest = dict[str, Any]

# The kinds that run a service's pods.
WORKLOAD_KINDS = ("Deployment", "StatefulSet")


def kustomize_binary() -> Path | None:
    candidates = [os.environ.get("EDGARMON_KUSTOMIZE"), str(ROOT / ".tools" / "bin" / "kustomize")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    found = shutil.which("kustomize")
    return Path(found) if found else None


def render(kustomize: Path, directory: Path) -> list[Manifest]:
    completed = subprocess.run(
        [str(kustomize), "build", str(directory)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if completed.returncode != 0:
        raise AssertionError(f"kustomize build {directory} failed:\n{completed.stderr}")
    return [doc for doc in yaml.safe_load_all(completed.stdout) if doc]


@dataclass(frozen=True)
class Rendered:
    """One overlay's rendered resources."""

    overlay: str
    docs: tuple[Manifest, ...]

    def of_kind(self, kind: str) -> list[Manifest]:
        return [doc for doc in self.docs if doc["kind"] == kind]

    def named(self, kind: str, name: str) -> Manifest:
        for doc in self.of_kind(kind):
            if doc["metadata"]["name"] == name:
                return doc
        raise AssertionError(f"{self.overlay}: no {kind} named {name}")

    def workload(self, service: str) -> Manifest:
        """The service's one Deployment or StatefulSet, ``edgarmon-<service>``."""
        name = f"edgarmon-{service}"
        found = [
            doc
            for doc in self.docs
            if doc["kind"] in WORKLOAD_KINDS and doc["metadata"]["name"] == name
        ]
        assert len(found) == 1, f"{self.overlay}: {len(found)} workloads named {name}"
        return found[0]

    def hpa_for(self, workload: Manifest) -> Manifest | None:
        for hpa in self.of_kind("HorizontalPodAutoscaler"):
            target = hpa["spec"]["scaleTargetRef"]
            if (
                target["apiVersion"] == workload["apiVersion"]
                and target["kind"] == workload["kind"]
                and target["name"] == workload["metadata"]["name"]
            ):
                return hpa
        return None

    def container_env(self, workload: Manifest) -> dict[str, str | None]:
        """Every variable the service's container gets, from ``envFrom`` and ``env``.

        Values from ``valueFrom`` are ``None``. Later sources win, as in Kubernetes.
        """
        container = service_container(workload)
        env: dict[str, str | None] = {}
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                config_map = self.named("ConfigMap", source["configMapRef"]["name"])
                env.update({key: str(value) for key, value in config_map["data"].items()})
            elif "secretRef" in source:
                secret = self.named("Secret", source["secretRef"]["name"])
                env.update(dict.fromkeys(secret.get("data", {})))
        for variable in container.get("env", []):
            env[variable["name"]] = variable.get("value")
        return env

    def secret_files(self, workload: Manifest, mount_path: str) -> set[str]:
        """Names of the files a Secret volume puts at ``mount_path`` (if it is rendered)."""
        container = service_container(workload)
        volumes = {volume["name"]: volume for volume in pod_spec(workload)["volumes"]}
        names: set[str] = set()
        for mount in container.get("volumeMounts", []):
            volume = volumes[mount["name"]]
            if mount["mountPath"] != mount_path or "secret" not in volume:
                continue
            if "items" in volume["secret"]:
                names.update(item["path"] for item in volume["secret"]["items"])
                continue
            secret_name = volume["secret"]["secretName"]
            for secret in self.of_kind("Secret"):
                if secret["metadata"]["name"] == secret_name:
                    names.update(secret.get("data", {}))
                    names.update(secret.get("stringData", {}))
        return names


def pod_spec(workload: Manifest) -> Manifest:
    pod: Manifest = workload["spec"]["template"]["spec"]
    return pod


def service_container(workload: Manifest) -> Manifest:
    containers: list[Manifest] = pod_spec(workload)["containers"]
    assert len(containers) == 1, "one container per service pod"
    return containers[0]


def named_port(container: Manifest, port: int | str) -> int:
    """Resolve a probe's or Service's port (a number or a container port name)."""
    if isinstance(port, int):
        return port
    for declared in container.get("ports", []):
        if declared.get("name") == port:
            return int(declared["containerPort"])
    raise AssertionError(f"container {container['name']} has no port named {port!r}")


def selects(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """Whether a Kubernetes label selector (matchLabels/matchExpressions) matches labels."""
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        key, operator = expression["key"], expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def policies_for(rendered: Rendered, workload: Manifest) -> Iterator[Manifest]:
    labels = workload["spec"]["template"]["metadata"]["labels"]
    for policy in rendered.of_kind("NetworkPolicy"):
        if selects(policy["spec"]["podSelector"], labels):
            yield policy


def egress_ports(rendered: Rendered, workload: Manifest) -> set[tuple[str, int]]:
    """(protocol, port) pairs the NetworkPolicies let the pod reach."""
    allowed: set[tuple[str, int]] = set()
    for policy in policies_for(rendered, workload):
        for rule in policy["spec"].get("egress", []):
            for port in rule.get("ports", []):
                allowed.add((port.get("protocol", "TCP"), int(port["port"])))
    return allowed


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_yaml_documents(path: Path) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
