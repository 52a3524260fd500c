"""The classifier service's settings: Kafka and EDGAR fair access from the core, plus
the label threshold and fetch limits. Every field is an ``EDGARMON_<FIELD>`` variable."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from edgarmon.core.settings import EdgarClientSettings, ServiceSettings


class ClassifierSettings(ServiceSettings, EdgarClientSettings):
    consumer_group: str = "edgarmon-classifier"
    transactional_id: Annotated[
        str, Field(description="Kafka transactional.id prefix; one per replica")
    ] = "edgarmon-classifier"
    label_threshold: Annotated[
        float,
        Field(ge=0.0, le=1.0, description="Labels at or above go to labels; below, near_misses"),
    ] = 0.5
    max_documents_per_filing: Annotated[int, Field(ge=1, le=20)] = 6
    classifier_version: str = "rules-1"
