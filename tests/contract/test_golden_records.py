"""Consumers keep reading what was released, and what a newer minor version writes.

``golden/v1`` holds records as the 1.0 code produced them (bytes and headers);
``golden/v1-newer-minor`` the same records as a newer producer might write them.
Both are decoded by today's code, validated against the published schemas, and the
newer ones routed and rendered by the notifier.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import (
    AlertChannel,
    AlertSent,
    ClinicalUpdateLabel,
    CorrespondenceLabel,
    DeadLetter,
    DiscoverySource,
    ErrorStage,
    FilingClassified,
    FilingDiscovered,
    Item801Label,
    LabelId,
    OtherLabel,
)
from edgarmon.devtools.schemas import schema_filename
from edgarmon.notifier.domain.alert_view import build_alert_view
from edgarmon.notifier.domain.email_render import alert_html, alert_text
from edgarmon.notifier.domain.route_matching import RouteIndex
from edgarmon.notifier.domain.routes import DigestPolicy, parse_routes
from edgarmon.notifier.domain.slack_blocks import render_alert
from edgarmon.notifier.domain.tickers import TickerMap
from edgarmon.sinks.slack_rules import check_post
from tests.contract.golden_records import GoldenRecord, golden_record, golden_records

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
RELEASED = SCHEMAS / "released" / "1.0"
V1 = golden_records("v1")
NEWER = golden_records("v1-newer-minor")


def validator(folder: Path, record: GoldenRecord) -> Draft202012Validator:
    schema = json.loads((folder / schema_filename(record.message_type)).read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_there_is_a_golden_record_of_every_message_type() -> None:
    assert {r.message_type for r in V1} == {
        FilingDiscovered,
        FilingClassified,
        AlertSent,
        DeadLetter,
    }
    assert {r.message_type for r in NEWER} == {r.message_type for r in V1}


@pytest.mark.parametrize("record", V1 + NEWER, ids=lambda r: r.name)
def test_todays_code_decodes_the_record(record: GoldenRecord) -> None:
    message = codec.decode(record.value, record.headers, record.message_type)
    assert message.kafka_key().encode() == record.key


@pytest.mark.parametrize("record", V1, ids=lambda r: r.name)
def test_a_released_record_is_valid_under_the_released_and_the_current_schema(
    record: GoldenRecord,
) -> None:
    for folder in (RELEASED, SCHEMAS):
        errors = [e.message for e in validator(folder, record).iter_errors(record.body)]
        assert errors == [], folder


@pytest.mark.parametrize("record", NEWER, ids=lambda r: r.name)
def test_a_newer_minor_record_is_valid_under_the_current_schema(record: GoldenRecord) -> None:
    errors = [e.message for e in validator(SCHEMAS, record).iter_errors(record.body)]
    assert errors == []


@pytest.mark.parametrize("record", V1, ids=lambda r: r.name)
def test_a_released_record_reencodes_to_the_same_body(record: GoldenRecord) -> None:
    """Nothing is lost or changed in a round trip, except what interface 1.1 added:
    ``Evidence.kind``, which today's code fills in from ``source``, and an absent
    ``discovered_by``."""
    message = codec.decode(record.value, record.headers, record.message_type)
    again = json.loads(codec.encode(message, source="/x").value)
    if record.message_type is FilingClassified:
        assert again.pop("discovered_by") is None
    for label in [*again.get("labels", []), *again.get("near_misses", [])]:
        for evidence in label["evidence"]:
            assert evidence.pop("kind") == evidence["source"].split(":")[0]
    assert again == record.body


def test_an_unknown_source_decodes_as_unknown_and_is_written_back_unchanged() -> None:
    record = golden_record("v1-newer-minor", "discovered_new_source_and_fields")
    event = codec.decode(record.value, record.headers, FilingDiscovered)
    assert not event.source.known
    assert event.source == "full_text_search"
    assert DiscoverySource.LATEST_FEED.known
    assert json.loads(codec.encode(event, source="/x").value)["source"] == "full_text_search"


def test_a_new_label_and_new_values_keep_the_rest_of_the_record() -> None:
    record = golden_record("v1-newer-minor", "classified_new_label_and_values")
    event = codec.decode(record.value, record.headers, FilingClassified)
    items, clinical, other = event.labels
    assert isinstance(items, Item801Label)
    assert not items.details.decided_by.known
    assert isinstance(clinical, ClinicalUpdateLabel)
    assert [kind.known for kind in clinical.details.event_kinds] == [True, False]
    assert isinstance(other, OtherLabel)
    assert other.id == "trial_halt"
    assert not other.id.known
    assert other.confidence == 0.88
    assert other.details["hold"] == {"by": "FDA"}
    assert other.evidence[0].kind == "exhibit_table"
    assert event.errors[0].stage == "ocr"
    assert not event.errors[0].stage.known
    assert ErrorStage.FETCH.known
    assert event.label(LabelId("trial_halt")) is other
    # A link a consumer must not follow is kept as data: the record is not lost for it.
    assert event.filing.documents[-1].url == "javascript:alert(1)"


def test_the_notifier_routes_and_renders_a_label_it_does_not_know() -> None:
    record = golden_record("v1-newer-minor", "classified_new_label_and_values")
    event = codec.decode(record.value, record.headers, FilingClassified)
    routes = parse_routes(
        {
            "version": 1,
            "routes": [
                {
                    "name": "halts",
                    "match": {"labels": ["trial_halt"]},
                    "deliver": {"slack": ["#a"]},
                },
                {
                    "name": "items",
                    "match": {"labels": ["esg_controversy"]},
                    "deliver": {"slack": ["#b"]},
                },
            ],
        },
        tickers=None,
        default_digest=DigestPolicy(interval_seconds=60, max_alerts=10),
    )
    assert [route.name for route in RouteIndex(routes).match(event)] == ["halts"]
    view = build_alert_view(
        event, route="halts", tickers=TickerMap.from_pairs([]), link_hosts=("www.sec.gov",)
    )
    assert view.labels[-1].title == "Trial halt"
    assert ("Sites", "12") in [(d.name, d.value) for d in view.labels[-1].details]
    assert view.documents[-1].url is None  # shown as text, never linked
    message = render_alert(view, "C0123456789")
    assert check_post(message.payload()) is None
    assert "javascript:" not in json.dumps(message.payload())
    assert "Trial halt" in alert_text(view)
    assert "javascript:alert" not in alert_html(view)


def test_a_correspondence_label_with_a_new_direction_still_renders() -> None:
    record = golden_record("v1-newer-minor", "classified_new_direction")
    event = codec.decode(record.value, record.headers, FilingClassified)
    (label,) = event.labels
    assert isinstance(label, CorrespondenceLabel)
    view = build_alert_view(event, route="r", tickers=TickerMap.from_pairs([]), link_hosts=())
    assert ("Direction", "sec to auditor") in [(d.name, d.value) for d in view.labels[0].details]


def test_an_alert_on_a_new_channel_keeps_its_ledger_key() -> None:
    record = golden_record("v1-newer-minor", "alert_sent_new_channel")
    alert = codec.decode(record.value, record.headers, AlertSent)
    assert alert.channel == "teams"
    assert not alert.channel.known
    assert AlertChannel.SLACK.known
    assert alert.kafka_key().encode() == record.key


def test_a_dead_letter_is_keyed_by_the_accession_number_of_its_record() -> None:
    letter = DeadLetter.model_validate(
        {
            "reason": "broken",
            "error_type": "DecodeError",
            "service": "notifier",
            "failed_at": "2026-03-02T21:40:00+00:00",
            "source_topic": "edgar.filings.classified.v1",
            "source_partition": 0,
            "source_offset": 7,
            "original_key": "0001999999-26-000418",
            "original_headers": {"ce_type": "io.edgarmon.filing.classified.v1"},
        }
    )
    assert letter.kafka_key() == "0001999999-26-000418"
    base = letter.model_dump(exclude={"accession_number"})
    ledger = DeadLetter.model_validate(
        {**base, "original_key": "0001999999-26-000418|route|#a", "original_headers": {}}
    )
    assert ledger.kafka_key() == "0001999999-26-000418"
    unknown = DeadLetter.model_validate({**base, "original_key": "junk", "original_headers": {}})
    assert unknown.kafka_key() == "edgar.filings.classified.v1/0/7"
