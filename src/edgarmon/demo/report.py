"""The demo's closing summary: what flowed through each topic, how the numbers add up,
and how fast."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from edgarmon.core.adapters.kafka import replay_topic
from edgarmon.core.domain.messages import (
    AlertSent,
    DeadLetter,
    FilingClassified,
    FilingDiscovered,
)
from edgarmon.core.settings import ServiceSettings
from edgarmon.demo.pipeline import DemoRun
from edgarmon.demo.tally import Tally, count


@dataclass(frozen=True, slots=True)
class Summary:
    run: DemoRun
    tally: Tally
    text: str


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; ``fraction`` in [0, 1]."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def _latency_lines(name: str, delays: Sequence[float], sampled: str) -> list[str]:
    if not delays:
        return [f"  {name}: no samples", f"    ({sampled})"]
    return [
        f"  {name}: p50 {percentile(delays, 0.5):.2f} s, p99 {percentile(delays, 0.99):.2f} s "
        f"(n={len(delays)})",
        f"    (n: {sampled})",
    ]


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counter.items()) or "none"


def _visible_lines(tally: Tally) -> list[str]:
    return [
        f"filings made visible by the simulator: {tally.visible} = {tally.early} before the "
        f"poller's first publish (start-up backlog) + {tally.arrived} arriving later "
        f"+ {tally.featured} featured",
        f"  (not counted: the {tally.history} older filings of the recorded company feeds, "
        "EDGAR's past, the poller's baseline)",
    ]


def _published_lines(tally: Tally, topic: str) -> list[str]:
    lines = [
        f"published to {topic}: {tally.published} ({_counts(tally.by_source)}); "
        f"duplicates: {tally.duplicates}"
    ]
    unpublished = tally.unfindable + len(tally.missed)
    if unpublished:
        lines.append(
            f"  not published: {unpublished} ({tally.unfindable} on no feed the poller reads: "
            f"letters of companies not on the watchlist; {len(tally.missed)} not found "
            "before the services stopped)"
        )
    if tally.published_after_close:
        lines.append(
            f"  published but visible only after EDGAR closed: {tally.published_after_close} "
            "(featured filings scheduled past the time limit)"
        )
    return lines


def _classified_lines(tally: Tally, topic: str) -> list[str]:
    every = "every published filing" if tally.classified == tally.published else "not all"
    return [
        f"classified on {topic}: {tally.classified} ({every}); with an error field: "
        f"{tally.errored}",
        f"  labels: {_counts(tally.labels)} (a filing may have several, or none)",
    ]


def _alert_lines(tally: Tally, topic: str) -> list[str]:
    lines = [
        f"alerts: {tally.slack_messages} Slack messages = {tally.slack_alerts} alerts + "
        f"{tally.slack_digests} digests of {tally.digested_filings} filings; "
        f"{tally.emails} e-mails",
        f"ledger records on {topic}: {tally.ledger}, one per filing, route and destination:",
    ]
    for route in tally.routes:
        parts = [
            f"{value} {name}"
            for value, name in (
                (route.slack, "Slack alerts"),
                (route.email, "e-mails"),
                (route.digested, "filings in digests"),
            )
            if value
        ]
        lines.append(f"  route {route.route}: {route.records} = {' + '.join(parts)}")
    return lines


def render(tally: Tally, topics: Mapping[str, str]) -> str:
    """The summary's numbers, each with what it is made of."""
    lines = [
        "",
        "=" * 72,
        f"edgarmon demo summary ({tally.seconds:.0f} s of simulated EDGAR)",
        "=" * 72,
        *_visible_lines(tally),
        *_published_lines(tally, topics["topic_discovered"]),
        *_classified_lines(tally, topics["topic_classified"]),
        *_alert_lines(tally, topics["topic_alerts_sent"]),
        f"dead letters: {tally.dead_letters}",
        *(f"DOES NOT ADD UP: {problem}" for problem in tally.unreconciled()),
        "latency (from the moment the simulator made a filing visible):",
        *_latency_lines(
            "to the discovered topic",
            tally.detection,
            "the published filings visible after the poller's first publish; the "
            f"{tally.published - len(tally.detection)} of the start-up backlog measure "
            "start-up, not detection",
        ),
        *_latency_lines(
            "to the Slack sink (immediate routes; digests wait their interval)",
            tally.to_slack,
            f"of the {tally.alerted_immediately} filings alerted at once, those visible "
            "after the poller's first publish",
        ),
        "featured filings:",
    ]
    return "\n".join(lines)


async def summarize(run: DemoRun, bootstrap_servers: str) -> Summary:
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
    tally = count(
        run,
        discovered=discovered,
        classified=classified,
        ledger=ledger,
        dead_letters=len(letters),
    )
    alerted = run.deliveries.alerted_accessions()
    classified_by = {m.filing.accession_number: m for m in classified}
    featured = []
    for item in run.featured:
        accession = item.template.accession
        message = classified_by.get(accession)
        got = ", ".join(str(label.id) for label in message.labels) if message else "not classified"
        mark = "alerted" if accession in alerted else "no alert"
        featured.append(
            f"  {accession}  {item.template.form_type:<7} {item.note:<38} {got} [{mark}]"
        )
    return Summary(run=run, tally=tally, text="\n".join([render(tally, topics), *featured]))
