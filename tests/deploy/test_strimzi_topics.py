"""The optional Strimzi component declares the public topics exactly as the code does.

kubernetes-validate has no schema for Strimzi's KafkaTopic, so its structure is
checked here: the fields the Topic Operator reads, with the values from
``edgarmon.core.domain.topics.public_topics``.
"""

from __future__ import annotations

from typing import Any

import pytest

from edgarmon.core.domain.topics import TopicSpec, public_topics
from edgarmon.core.settings import ServiceSettings
from tests.deploy.manifests import DEPLOY, Manifest, Rendered, load_yaml, load_yaml_documents

COMPONENT = DEPLOY / "components" / "strimzi-topics"
SPEC_FIELDS = {"topicName", "partitions", "replicas", "config"}


def declared_topics() -> dict[str, Manifest]:
    docs = load_yaml_documents(COMPONENT / "kafka-topics.yaml")
    return {doc["spec"]["topicName"]: doc for doc in docs}


def code_topics() -> dict[str, TopicSpec]:
    settings = ServiceSettings.model_validate({})
    return {spec.name: spec for spec in public_topics(settings)}


def test_the_component_declares_every_public_topic_and_no_other() -> None:
    assert set(declared_topics()) == set(code_topics())


@pytest.mark.parametrize("name", sorted(code_topics()))
def test_partitions_retention_and_compaction_match_the_code(name: str) -> None:
    topic = declared_topics()[name]
    spec = code_topics()[name]
    assert topic["apiVersion"] == "kafka.strimzi.io/v1beta2"
    assert topic["kind"] == "KafkaTopic"
    assert set(topic["spec"]) <= SPEC_FIELDS
    assert topic["metadata"]["labels"]["strimzi.io/cluster"]
    assert topic["spec"]["partitions"] == spec.partitions
    config: dict[str, Any] = topic["spec"]["config"]
    for key, value in spec.config.items():
        assert str(config[key]) == value, f"{name}: {key}"
    replicas = topic["spec"]["replicas"]
    assert int(config["min.insync.replicas"]) < replicas, "one broker may be down"


def test_the_sent_ledger_is_compacted() -> None:
    ledger = declared_topics()[ServiceSettings.model_validate({}).topic_alerts_sent]
    assert ledger["spec"]["config"]["cleanup.policy"] == "compact"


def test_the_component_hands_topic_creation_to_the_operator() -> None:
    component = load_yaml(COMPONENT / "kustomization.yaml")
    assert component["kind"] == "Component"
    (generator,) = component["configMapGenerator"]
    assert generator["behavior"] == "merge"
    assert "EDGARMON_KAFKA_CREATE_TOPICS=false" in generator["literals"]


def test_overlays_with_kafka_topics_do_not_create_topics_themselves(rendered: Rendered) -> None:
    shared = [
        cm
        for cm in rendered.of_kind("ConfigMap")
        if cm["metadata"]["name"].startswith("edgarmon-shared")
    ]
    (config_map,) = shared
    creates = config_map["data"]["EDGARMON_KAFKA_CREATE_TOPICS"] == "true"
    assert creates != bool(rendered.of_kind("KafkaTopic"))
