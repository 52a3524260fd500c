"""Every record valid under the published schemas is accepted by our consumers.

Records are generated from the JSON Schemas in ``schemas/`` (hypothesis-jsonschema),
encoded as a producer must (UTF-8 JSON; ``ce_id`` naming the filing), and handed to
the code that consumes each topic: the codec, then the classifier's planning and
metadata labelling for discovered filings, and the notifier's routing and rendering
for classified ones. What the model would refuse, the schema must say.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis_jsonschema import from_schema

from edgarmon.classifier.domain.classify import classify
from edgarmon.classifier.domain.planning import needs_documents
from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import DecodeError
from edgarmon.core.domain.messages import (
    MESSAGE_TYPES,
    AlertSent,
    DeadLetter,
    FilingClassified,
    FilingDiscovered,
    Message,
)
from edgarmon.devtools.schemas import schema_filename
from edgarmon.notifier.domain.alert_view import build_alert_view
from edgarmon.notifier.domain.email_render import alert_html, alert_subject, alert_text
from edgarmon.notifier.domain.route_matching import RouteIndex
from edgarmon.notifier.domain.routes import DigestPolicy, parse_routes
from edgarmon.notifier.domain.slack_blocks import render_alert
from edgarmon.notifier.domain.tickers import TickerMap

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
EXAMPLES = 100

ROUTES = RouteIndex(
    parse_routes(
        {
            "version": 1,
            "routes": [
                {"name": "every-label", "match": {"forms": ["8-K"]}, "deliver": {"slack": ["#a"]}},
                {
                    "name": "clinical",
                    "match": {"labels": ["clinical_update", "sec_correspondence"]},
                    "deliver": {"email": ["a@example.com"]},
                },
                {"name": "words", "match": {"keywords": ["trial"]}, "deliver": {"slack": ["#b"]}},
            ],
        },
        tickers=None,
        default_digest=DigestPolicy(interval_seconds=60, max_alerts=10),
    )
)


def published(message_type: type[Message]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / schema_filename(message_type)).read_text())
    return loaded


def record_of(message_type: type[Message], body: dict[str, Any]) -> tuple[bytes, list[Any]]:
    """The bytes and headers a producer following the README writes for ``body``."""
    try:
        value = json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        assume(False)  # a lone surrogate: not text, so no UTF-8 record can carry it
        raise
    if "filing" in body:
        event_id = body["filing"]["accession_number"]
    elif message_type is AlertSent:
        event_id = body["accession_number"]
    else:  # a dead letter's or a job's id is derived: the model says which
        event_id = message_type.model_validate_json(value).event_id()
    return value, _headers(message_type, event_id)


def _headers(message_type: type[Message], event_id: str) -> list[Any]:
    return [
        ("ce_specversion", b"1.0"),
        ("ce_id", event_id.encode()),
        ("ce_type", message_type.CE_TYPE.encode()),
        ("content-type", b"application/json"),
    ]


def consume(message_type: type[Message], body: dict[str, Any]) -> Message:
    value, headers = record_of(message_type, body)
    if message_type is DeadLetter:
        return codec.decode(value, headers, DeadLetter)
    message = codec.decode(value, headers, message_type)
    if isinstance(message, FilingDiscovered):
        needs_documents(message.filing)
        classify(message.filing)
    if isinstance(message, FilingClassified):
        for route in ROUTES.match(message):
            view = build_alert_view(
                message,
                route=route.name,
                tickers=TickerMap.from_pairs([]),
                link_hosts=("www.sec.gov",),
            )
            render_alert(view, "C0123456789")
            alert_subject(view)
            alert_text(view)
            alert_html(view)
    return message


@pytest.mark.parametrize("message_type", MESSAGE_TYPES, ids=lambda t: t.CE_TYPE)
def test_every_schema_valid_record_is_accepted(message_type: type[Message]) -> None:
    # hypothesis-jsonschema resolves "#/$defs/..." against "$id"; a URN there cannot be.
    schema = {k: v for k, v in published(message_type).items() if k != "$id"}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(body=from_schema(schema))
    def check(body: dict[str, Any]) -> None:
        message = consume(message_type, body)
        assert message.kafka_key()

    check()


def test_a_record_the_schema_refuses_is_a_clear_decode_error() -> None:
    """The converse: the codec names the field of a schema-invalid record."""
    value, headers = record_of(FilingDiscovered, {"filing": {"accession_number": "x"}})
    with pytest.raises(DecodeError, match="filing"):
        codec.decode(value, headers, FilingDiscovered)
