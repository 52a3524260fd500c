from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import DecodeError
from edgarmon.core.domain.filing import EASTERN, Company, Filing
from edgarmon.core.domain.messages import (
    AlertChannel,
    AlertSent,
    DiscoverySource,
    FilingClassified,
    FilingDiscovered,
)


def make_filing(accession: str = "0001104659-26-002736", form: str = "8-K") -> Filing:
    return Filing(
        accession_number=accession,
        form_type=form,
        companies=(
            Company(cik=2074440, name="Example Corp", role="Filer"),
            Company(cik=1071287, name="Doe Jane", role="Reporting"),
        ),
        items=("8.01", "9.01"),
        accepted_at=datetime(2026, 1, 12, 8, 25, 36, tzinfo=EASTERN),
        filing_date=date(2026, 1, 12),
        index_url="https://www.sec.gov/Archives/edgar/data/2074440/000110465926002736/0001104659-26-002736-index.htm",
    )


def discovered(filing: Filing | None = None) -> FilingDiscovered:
    return FilingDiscovered(
        filing=filing or make_filing(),
        source=DiscoverySource.LATEST_FEED,
        discovered_at=datetime(2026, 1, 12, 13, 25, 40, tzinfo=UTC),
    )


def test_round_trip_keeps_the_message_and_sets_cloudevents_headers() -> None:
    message = discovered()
    record = codec.encode(message, source="/edgarmon/poller")

    headers = dict(record.headers)
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_id"] == b"0001104659-26-002736"
    assert headers["ce_source"] == b"/edgarmon/poller"
    assert headers["ce_type"] == b"io.edgarmon.filing.discovered.v1"
    assert headers["ce_time"] == b"2026-01-12T13:25:40+00:00"
    assert headers["content-type"] == b"application/json"
    assert record.key == b"0001104659-26-002736"
    assert codec.decode(record.value, record.headers, FilingDiscovered) == message


def test_the_body_carries_the_schema_version_and_amendment_flag() -> None:
    body = json.loads(codec.encode(discovered(make_filing(form="8-K/A")), source="x").value)
    assert body["schema_version"] == 1
    assert body["filing"]["schema_version"] == 1
    assert body["filing"]["is_amendment"] is True
    assert body["filing"]["base_form_type"] == "8-K"


def test_acceptance_time_stays_eastern_and_aware() -> None:
    record = codec.encode(discovered(), source="x")
    decoded = codec.decode(record.value, record.headers, FilingDiscovered)
    assert decoded.filing.accepted_at.utcoffset() is not None
    assert decoded.filing.accepted_at_eastern().hour == 8


def test_alert_ledger_records_are_keyed_by_accession_route_and_destination() -> None:
    sent = AlertSent(
        accession_number="0001104659-26-002736",
        route="biotech",
        channel=AlertChannel.SLACK,
        destination="C123",
        sent_at=datetime(2026, 1, 12, tzinfo=UTC),
    )
    record = codec.encode(sent, source="/edgarmon/notifier")
    assert record.key == b"0001104659-26-002736|biotech|C123"
    assert codec.decode(record.value, record.headers, AlertSent) == sent


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda v, h: (v, {**h, "ce_type": b"io.edgarmon.other.v1"}), "ce_type"),
        (lambda v, h: (v, {**h, "ce_specversion": b"0.3"}), "ce_specversion"),
        (lambda v, h: (v, {**h, "content-type": b"text/plain"}), "content-type"),
        (lambda v, h: (b"{not json", h), "invalid"),
        (lambda v, h: (None, h), "no value"),
        (lambda v, h: (v, {**h, "ce_id": b"0000000000-00-000000"}), "ce_id"),
        (
            lambda v, h: (v.replace(b'"accession_number":"0001', b'"accession_number":"X001'), h),
            "filing.accession_number",
        ),
    ],
)
def test_decode_rejects_with_a_reason(mutate: object, reason: str) -> None:
    record = codec.encode(discovered(), source="x")
    value, headers = mutate(record.value, dict(record.headers))  # type: ignore[operator]
    with pytest.raises(DecodeError) as caught:
        codec.decode(value, list(headers.items()), FilingDiscovered)
    assert reason in caught.value.reason


def test_decode_rejects_a_message_of_another_type() -> None:
    record = codec.encode(discovered(), source="x")
    with pytest.raises(DecodeError, match="ce_type"):
        codec.decode(record.value, record.headers, FilingClassified)


def test_consumers_ignore_fields_added_by_newer_producers() -> None:
    record = codec.encode(discovered(), source="x")
    body = json.loads(record.value)
    body["added_later"] = {"anything": 1}
    body["filing"]["new_field"] = "x"
    decoded = codec.decode(json.dumps(body).encode(), record.headers, FilingDiscovered)
    assert decoded == discovered()
