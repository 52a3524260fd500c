"""The alert rules and the Grafana dashboard use only the metrics the services export,
and the rules cover what an operator must know.

promtool checks the PromQL and unit-tests the alerts in scripts/deploy-check; this
file checks the names and the structure without it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.deploy.manifests import DEPLOY, load_yaml

OBSERVABILITY = DEPLOY / "observability"
RULES: dict[str, Any] = load_yaml(OBSERVABILITY / "prometheus-rules.yaml")
DASHBOARD: dict[str, Any] = json.loads(
    (OBSERVABILITY / "grafana-dashboard.json").read_text(encoding="utf-8")
)

# The metric contract in the common brief (name: type).
DOCUMENTED_METRICS = {
    "edgarmon_edgar_requests_total": "counter",
    "edgarmon_edgar_block_active": "gauge",
    "edgarmon_edgar_blocks_total": "counter",
    "edgarmon_edgar_request_seconds": "histogram",
    "edgarmon_filings_published_total": "counter",
    "edgarmon_poll_errors_total": "counter",
    "edgarmon_last_publish_timestamp_seconds": "gauge",
    "edgarmon_detection_delay_seconds": "histogram",
    "edgarmon_filings_classified_total": "counter",
    "edgarmon_labels_total": "counter",
    "edgarmon_classification_errors_total": "counter",
    "edgarmon_alerts_sent_total": "counter",
    "edgarmon_alert_failures_total": "counter",
    "edgarmon_alerts_duplicates_suppressed_total": "counter",
    "edgarmon_deadletters_total": "counter",
    "edgarmon_consumer_lag": "gauge",
    "edgarmon_records_processed_total": "counter",
}
# Exported beyond that contract and used by an alert rule (not required on the dashboard).
ALERTED_METRICS = {
    "edgarmon_poller_entries_skipped_total": "counter",
    "edgarmon_poller_daily_index_missing_total": "counter",
}
METRIC = re.compile(r"(?<![\w:])edgarmon_[a-z0-9_]+")
RECORDED = re.compile(r"(?<![\w:])edgarmon:[a-z0-9_:]+")


def exported_series() -> set[str]:
    names = set()
    for name, kind in {**DOCUMENTED_METRICS, **ALERTED_METRICS}.items():
        names.add(name)
        if kind == "histogram":
            names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return names


def rules() -> list[dict[str, Any]]:
    return [rule for group in RULES["groups"] for rule in group["rules"]]


def alerts() -> dict[str, dict[str, Any]]:
    return {rule["alert"]: rule for rule in rules() if "alert" in rule}


def dashboard_expressions() -> list[str]:
    exprs = []
    for panel in DASHBOARD["panels"]:
        exprs += [target["expr"] for target in panel.get("targets", [])]
    return exprs


def test_rules_use_only_exported_metrics_and_recorded_series() -> None:
    recorded = {rule["record"] for rule in rules() if "record" in rule}
    for rule in rules():
        assert set(METRIC.findall(rule["expr"])) <= exported_series(), rule["expr"]
        assert set(RECORDED.findall(rule["expr"])) <= recorded, rule["expr"]


def test_the_dashboard_uses_only_exported_metrics() -> None:
    exprs = dashboard_expressions()
    assert exprs
    used = {name for expr in exprs for name in METRIC.findall(expr)}
    assert used <= exported_series()
    # Every documented metric is on the dashboard somewhere.
    assert {name.removesuffix("_bucket") for name in used} >= set(DOCUMENTED_METRICS)


def test_the_dashboard_is_importable() -> None:
    ids = [panel["id"] for panel in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids))
    assert DASHBOARD["uid"]
    datasource = DASHBOARD["templating"]["list"][0]
    assert datasource["type"] == "datasource"
    for panel in DASHBOARD["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}"


@pytest.mark.parametrize(
    ("concern", "metric", "needle"),
    [
        ("no filings in business hours", "edgarmon_last_publish_timestamp_seconds", "business"),
        ("an SEC block", "edgarmon_edgar_block_active", "== 1"),
        ("consumer lag", "edgarmon_consumer_lag", ">"),
        ("dead letters growing", "edgarmon_deadletters_total", "increase("),
        ("skipped feed entries", "edgarmon_poller_entries_skipped_total", "increase("),
        ("a missing daily index", "edgarmon_poller_daily_index_missing_total", "increase("),
        ("Slack failures", "edgarmon_alert_failures_total", 'channel="slack"'),
        ("e-mail failures", "edgarmon_alert_failures_total", 'channel="email"'),
    ],
)
def test_an_alert_covers(concern: str, metric: str, needle: str) -> None:
    matching = [
        name for name, rule in alerts().items() if metric in rule["expr"] and needle in rule["expr"]
    ]
    assert matching, f"no alert covers {concern}"


def test_every_alert_has_a_severity_and_a_summary() -> None:
    for name, rule in alerts().items():
        assert name.startswith("Edgarmon")
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["description"]


def test_business_hours_are_edgars_in_us_eastern_time() -> None:
    (rule,) = [r for r in rules() if r.get("record") == "edgarmon:edgar_business_hours"]
    expr = rule["expr"]
    assert ">= 1" in expr, "Monday"
    assert "<= 5" in expr, "to Friday"
    assert ">= 6" in expr, "from 06:00"
    assert "< 22" in expr, "to 22:00"
    (clock,) = [r for r in rules() if r.get("record") == "edgarmon:us_eastern_clock_seconds"]
    assert "5 - edgarmon:us_eastern_dst" in clock["expr"], "UTC-5, or UTC-4 in summer"
