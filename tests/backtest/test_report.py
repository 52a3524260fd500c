"""The report's near-misses: a label the classifier rejected, which a route selects."""

from __future__ import annotations

from edgarmon.backtest.report import route_reports
from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.domain.routes import DigestPolicy, parse_routes
from tests.contract.golden_records import golden_record


def test_a_rejected_label_a_route_selects_is_a_near_miss() -> None:
    record = golden_record("v1", "classified_item_8_01_clinical")
    event = codec.decode(record.value, record.headers, FilingClassified)
    items, clinical = event.labels
    rejected = clinical.model_copy(update={"confidence": 0.41})
    event = event.model_copy(update={"labels": (items,), "near_misses": (rejected,)})
    routes = parse_routes(
        {
            "version": 1,
            "routes": [
                {
                    "name": "trials",
                    "match": {"labels": ["clinical_update"]},
                    "deliver": {"slack": ["#c"]},
                },
                {
                    "name": "events",
                    "match": {"labels": ["8k_item_8_01"]},
                    "deliver": {"slack": ["#e"]},
                },
            ],
        },
        tickers=None,
        default_digest=DigestPolicy(interval_seconds=60, max_alerts=10),
    )
    trials, events = route_reports([(event.filing.filing_date, event)], routes)
    assert trials.alerts == ()
    (miss,) = trials.near_misses
    assert (miss.labels, miss.confidence, miss.kind) == (("clinical_update",), 0.41, "near_miss")
    assert "topline results" in miss.evidence
    assert [row.kind for row in events.alerts] == ["alert"]
    assert events.near_misses == ()  # it alerts anyway: not a near-miss
