"""The demo's closing summary: what flowed through each topic, and how fast."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from edgarmon.core.kafka import replay_topic
from edgarmon.core.messages import (
    AlertSent,
    DeadLetter,
    FilingClassified,
    FilingDiscovered,
)
from edgarmon.core.settings import ServiceSettings
from edgarmon.demo.pipeline import DemoRun, accessions_in, is_digest


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; ``fraction`` in [0, 1]."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def _latency_line(name: str, delays: Sequence[float]) -> str:
    if not delays:
        return f"  {name}: no samples"
    return (
        f"  {name}: p50 {percentile(delays, 0.5):.2f} s, p99 {percentile(delays, 0.99):.2f} s "
        f"(n={len(delays)})"
    )


async def summarize(run: DemoRun, bootstrap_servers: str) -> str:
    settings = ServiceSettings(kafka_bootstrap_servers=bootstrap_servers)
    topics = run.topics
    discovered = [
        m async for m in replay_topic(settings, topics["topic_discovered"], FilingDiscovered)
    ]
    classified = [
        m async for m in replay_topic(settings, topics["topic_classified"], FilingClassified)
    ]
    ledger = [m async for m in replay_topic(settings, topics["topic_alerts_sent"], AlertSent)]
    letters = [m async for m in replay_topic(settings, topics["topic_deadletter"], DeadLetter)]

    visible = run.sim.visibility()
    by_source = Counter(str(m.source) for m in discovered)
    labels = Counter(str(label.id) for m in classified for label in m.labels)
    errored = sum(1 for m in classified if m.errors)
    accessions = [m.filing.accession_number for m in discovered]
    # Filings already visible when the poller came up measure start-up, not detection.
    poller_up = min((m.discovered_at.timestamp() for m in discovered), default=0.0)
    detection = [
        m.discovered_at.timestamp() - visible[m.filing.accession_number]
        for m in discovered
        if visible.get(m.filing.accession_number, 0.0) >= poller_up
    ]
    first_post: dict[str, float] = {}
    immediate: dict[str, float] = {}
    for received, post in run.deliveries.slack:
        for accession in accessions_in(post):
            first_post.setdefault(accession, received)
            if not is_digest(post):
                immediate.setdefault(accession, received)
    to_slack = [
        received - visible[accession]
        for accession, received in immediate.items()
        if visible.get(accession, 0.0) >= poller_up
    ]
    featured = {item.template.accession: item for item in run.featured}
    alerted = set(first_post)
    lines = [
        "",
        "=" * 72,
        f"edgarmon demo summary ({run.stopped_at - run.started_at:.0f} s of simulated EDGAR)",
        "=" * 72,
        f"filings made visible by the simulator: {len(visible)}",
        f"published to {topics['topic_discovered']}: {len(discovered)} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_source.items())) or 'none'}); "
        f"duplicates: {len(accessions) - len(set(accessions))}",
        f"classified on {topics['topic_classified']}: {len(classified)}; with an error field: "
        f"{errored}; labels: {', '.join(f'{k} {v}' for k, v in sorted(labels.items())) or 'none'}",
        f"alerts: {len(run.deliveries.slack)} Slack messages, {len(run.deliveries.mail)} e-mails; "
        f"ledger records on {topics['topic_alerts_sent']}: {len(ledger)}",
        f"dead letters: {len(letters)}",
        "latency (from the moment the simulator made a filing visible):",
        _latency_line("to the discovered topic", detection),
        _latency_line(
            "to the Slack sink (immediate routes; digests wait their interval)", to_slack
        ),
        "featured filings:",
    ]
    classified_by = {m.filing.accession_number: m for m in classified}
    for accession, item in featured.items():
        message = classified_by.get(accession)
        got = ", ".join(str(label.id) for label in message.labels) if message else "not classified"
        mark = "alerted" if accession in alerted else "no alert"
        lines.append(f"  {accession}  {item.template.form_type:<7} {item.note:<38} {got} [{mark}]")
    return "\n".join(lines)
