"""The backtest's report: per route, the alerts it would have sent, day by day, and
the near-misses a lower threshold would have caught. Pure: classified filings and
routes in, a report and its renderings (text, CSV, JSON) out."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Final

from edgarmon.core.domain.messages import FilingClassified, Label
from edgarmon.notifier.domain.alert_view import primary_company
from edgarmon.notifier.domain.plain_text import clean_line
from edgarmon.notifier.domain.route_matching import RouteIndex
from edgarmon.notifier.domain.routes import Route

EVIDENCE_CHARS: Final = 160
CSV_COLUMNS: Final = (
    "route",
    "kind",
    "day",
    "accession_number",
    "company",
    "form_type",
    "labels",
    "confidence",
    "evidence",
)


@dataclass(frozen=True, slots=True)
class Row:
    """One filing a route would have alerted on (``kind`` "alert"), or would have with
    a lower threshold ("near_miss": ``labels`` names the rejected label). ``day`` is
    the day whose index listed the filing."""

    route: str
    kind: str
    day: date
    accession_number: str
    company: str
    form_type: str
    labels: tuple[str, ...]
    confidence: float
    evidence: str


@dataclass(frozen=True, slots=True)
class RouteReport:
    route: str
    alerts: tuple[Row, ...]
    near_misses: tuple[Row, ...]

    def alerts_per_day(self, days: Sequence[date]) -> list[tuple[date, int]]:
        counts = Counter(row.day for row in self.alerts)
        return [(day, counts[day]) for day in days]


@dataclass(frozen=True, slots=True)
class BacktestReport:
    start: date
    end: date
    days: tuple[date, ...]
    """The days whose index was read (business days with an index)."""
    filings: int
    requests: int
    cached: int
    routes: tuple[RouteReport, ...]


def _row(
    route: str, kind: str, day: date, classified: FilingClassified, labels: Sequence[Label]
) -> Row:
    filing = classified.filing
    evidence = next((e.text for label in labels for e in label.evidence), "")
    return Row(
        route=route,
        kind=kind,
        day=day,
        accession_number=filing.accession_number,
        company=clean_line(primary_company(filing).name, 80),
        form_type=filing.form_type,
        labels=tuple(str(label.id) for label in labels),
        confidence=max((label.confidence for label in labels), default=1.0),
        evidence=clean_line(evidence, EVIDENCE_CHARS),
    )


def route_reports(
    classified: Sequence[tuple[date, FilingClassified]], routes: Sequence[Route]
) -> tuple[RouteReport, ...]:
    """What each route would have sent, and what it would have with each near-miss
    taken as a label. Each filing comes with the day whose index listed it (a letter
    is listed on the day it is released, weeks after its filing date)."""
    index = RouteIndex(routes)
    alerts: dict[str, list[Row]] = {route.name: [] for route in routes}
    near: dict[str, list[Row]] = {route.name: [] for route in routes}
    for day, event in classified:
        matched = {route.name for route in index.match(event)}
        for name in matched:
            alerts[name].append(_row(name, "alert", day, event, event.labels))
        for miss in event.near_misses:
            promoted = event.model_copy(update={"labels": (*event.labels, miss)})
            for route in index.match(promoted):
                if route.name not in matched:
                    near[route.name].append(_row(route.name, "near_miss", day, event, (miss,)))
    return tuple(
        RouteReport(route.name, tuple(alerts[route.name]), tuple(near[route.name]))
        for route in routes
    )


def render_text(report: BacktestReport) -> str:
    lines = [
        f"backtest {report.start} .. {report.end}: {len(report.days)} days with an index, "
        f"{report.filings} filings; {report.requests} EDGAR requests, "
        f"{report.cached} answers from the cache",
    ]
    for route in report.routes:
        lines += [
            "",
            f"route {route.route}: {len(route.alerts)} alerts, "
            f"{len(route.near_misses)} near-misses",
        ]
        per_day = ", ".join(
            f"{day:%m-%d} {count}" for day, count in route.alerts_per_day(report.days)
        )
        lines.append(f"  per day: {per_day or 'no days'}")
        for row in (*route.alerts, *route.near_misses):
            mark = "  " if row.kind == "alert" else "~ "
            lines.append(
                f"  {mark}{row.day} {row.accession_number} {row.form_type:<8} "
                f"{row.company[:40]:<40} {','.join(row.labels)} ({row.confidence:.2f})"
            )
            if row.evidence:
                lines.append(f"      {row.evidence}")
    lines += ["", "~ near-miss: the label was rejected; a lower threshold would have sent it"]
    return "\n".join(lines) + "\n"


def render_csv(report: BacktestReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for route in report.routes:
        for row in (*route.alerts, *route.near_misses):
            writer.writerow(
                [
                    row.route,
                    row.kind,
                    row.day.isoformat(),
                    row.accession_number,
                    row.company,
                    row.form_type,
                    " ".join(row.labels),
                    f"{row.confidence:.2f}",
                    row.evidence,
                ]
            )
    return out.getvalue()


def render_json(report: BacktestReport) -> str:
    def rows(items: Sequence[Row]) -> list[dict[str, object]]:
        return [{**asdict(row), "day": row.day.isoformat()} for row in items]

    body = {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "days": [day.isoformat() for day in report.days],
        "filings": report.filings,
        "requests": report.requests,
        "cached": report.cached,
        "routes": [
            {
                "route": route.route,
                "alerts_per_day": {
                    day.isoformat(): count for day, count in route.alerts_per_day(report.days)
                },
                "alerts": rows(route.alerts),
                "near_misses": rows(route.near_misses),
            }
            for route in report.routes
        ],
    }
    return json.dumps(body, indent=2) + "\n"


RENDERERS: Final = {"table": render_text, "csv": render_csv, "json": render_json}
