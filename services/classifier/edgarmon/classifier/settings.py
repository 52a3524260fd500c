"""The classifier service's settings: Kafka and EDGAR fair access from the core, plus
the label threshold, fetch limits and the transactional id. Every field is an
``EDGARMON_<FIELD>`` variable."""

from __future__ import annotations

import socket
from typing import Annotated

from pydantic import Field

from edgarmon.core.settings import EdgarClientSettings, ServiceSettings

TRANSACTIONAL_ID_PREFIX = "edgarmon-classifier"


class ClassifierSettings(ServiceSettings, EdgarClientSettings):
    consumer_group: Annotated[
        str, Field(min_length=1, description="Consumer group of every classifier replica")
    ] = "edgarmon-classifier"
    transactional_id: Annotated[
        str | None,
        Field(
            description="Kafka transactional.id, stable and unique per replica (a StatefulSet "
            "pod name); unset: edgarmon-classifier-<hostname>"
        ),
    ] = None
    label_threshold: Annotated[
        float,
        Field(ge=0.0, le=1.0, description="Labels at or above go to labels; below, near_misses"),
    ] = 0.5
    max_documents_per_filing: Annotated[
        int, Field(ge=1, le=20, description="Documents fetched per filing at most")
    ] = 6
    classifier_version: Annotated[
        str, Field(min_length=1, description="Stamped on every classified event")
    ] = "rules-2"
    consumer_batch_size: Annotated[
        int,
        Field(
            ge=1,
            le=500,
            description="Records per Kafka transaction; their events are published together",
        ),
    ] = 10
    submission_max_bytes: Annotated[
        int,
        Field(
            ge=0,
            le=64 * 1024 * 1024,
            description="Largest full submission .txt fetched as the filing's one request; "
            "a larger one, or 0, fetches index.json and each document",
        ),
    ] = 4 * 1024 * 1024
    fetch_attempts: Annotated[
        int,
        Field(ge=1, le=5, description="Tries per document when EDGAR answers 5xx or times out"),
    ] = 3
    fetch_retry_seconds: Annotated[
        float, Field(ge=0, le=60, description="Wait before the 2nd try; doubled for each next")
    ] = 2.0


def transactional_id_for(settings: ClassifierSettings, hostname: str | None = None) -> str:
    """The replica's transactional id: the setting, else ``edgarmon-classifier-<hostname>``.

    It must be stable across restarts of the same replica (so that a restarted process
    fences its predecessor and aborts its open transaction) and unique per replica
    (two live producers with one id fence each other in turn)."""
    if settings.transactional_id:
        return settings.transactional_id
    return f"{TRANSACTIONAL_ID_PREFIX}-{hostname or socket.gethostname()}"
