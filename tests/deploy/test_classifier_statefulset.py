"""The classifier runs as a StatefulSet so that its Kafka transactional ids are stable.

Each replica's id is ``edgarmon-classifier-<hostname>`` (``transactional_id_for``), and a
StatefulSet pod's hostname is its name, ``<statefulset>-<ordinal>``: a replica rescheduled
onto another node keeps it, fences its predecessor and aborts the transaction that one
left open. aiokafka has no KIP-447, so the id is the only fence (docs/classifier.md).
The poller and the notifier publish no transactions and stay Deployments.
"""

from __future__ import annotations

import pytest

from edgarmon.classifier.settings import ClassifierSettings, transactional_id_for
from tests.deploy.manifests import Rendered, pod_spec, selects
from tests.deploy.settings_catalogue import SERVICES

WORKLOAD_KINDS = {"poller": "Deployment", "classifier": "StatefulSet", "notifier": "Deployment"}


def rendered_settings(rendered: Rendered) -> ClassifierSettings:
    """The classifier's settings from the literal values its container is given."""
    env = rendered.container_env(rendered.workload("classifier"))
    fields = {
        name.removeprefix("EDGARMON_").lower(): value
        for name, value in env.items()
        if value is not None
    }
    return ClassifierSettings.model_validate(fields)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_as_the_workload_kind_it_needs(rendered: Rendered, service: str) -> None:
    assert rendered.workload(service)["kind"] == WORKLOAD_KINDS[service]


def test_classifier_pods_get_stable_names_and_the_hpa_scales_the_statefulset(
    rendered: Rendered,
) -> None:
    statefulset = rendered.workload("classifier")
    name = statefulset["metadata"]["name"]
    spec = statefulset["spec"]
    labels = spec["template"]["metadata"]["labels"]

    assert statefulset["apiVersion"] == "apps/v1"
    assert statefulset["kind"] == "StatefulSet"
    assert spec["podManagementPolicy"] == "Parallel"
    assert spec.get("updateStrategy", {}).get("type", "RollingUpdate") == "RollingUpdate"
    assert selects(spec["selector"], labels)
    # On the host network the hostname would be the node's, shared by its replicas.
    assert not pod_spec(statefulset).get("hostNetwork", False)
    # No volumeClaimTemplates: the name is the only state a replica keeps.
    assert "volumeClaimTemplates" not in spec

    governing = rendered.named("Service", spec["serviceName"])
    assert governing["spec"]["clusterIP"] == "None", "a StatefulSet's Service is headless"
    assert selects({"matchLabels": governing["spec"]["selector"]}, labels)

    hpa = rendered.hpa_for(statefulset)
    assert hpa is not None, "no HorizontalPodAutoscaler scales the classifier StatefulSet"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "name": name,
    }
    assert "replicas" not in spec, "the HPA owns the replica count"

    env = rendered.container_env(statefulset)
    assert "EDGARMON_TRANSACTIONAL_ID" not in env, (
        "one id set for every replica would make them fence each other in turn"
    )
    settings = rendered_settings(rendered)
    assert settings.transactional_id is None
    # The pods the HPA can run, and the id each one's hostname gives its producer.
    pods = [f"{name}-{ordinal}" for ordinal in range(hpa["spec"]["maxReplicas"])]
    ids = [transactional_id_for(settings, hostname=pod) for pod in pods]
    assert ids[0] == "edgarmon-classifier-edgarmon-classifier-0"
    assert len(set(ids)) == len(pods), "one transactional id per live replica"
