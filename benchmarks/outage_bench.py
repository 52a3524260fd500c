"""The notifier while the mail server is down: do the Slack alerts wait? (issue 11, part 3)

Runs the notifier in-process against the real broker, the local Slack sink and an
aiosmtpd sink with STARTTLS and AUTH. ``FilingClassified`` records are produced at a
steady rate (``--rate``, 2/s); every fourth is a clinical update routed to Slack *and*
e-mail, the rest go to Slack only, spread over 20 channels so that the per-channel rate
limit does not queue. From ``--outage-at`` seconds on, for ``--outage-seconds`` (60), the
SMTP port refuses every connection; then the mail server is back.

It prints, with n, the p50/p90/p99/max from a record being produced to its Slack post,
for the Slack-only alerts produced before, during and after the outage; when each
e-mail arrived relative to the server's return; and the duplicates (posts, mails and
ledger keys seen twice), which must be 0. Starts its own broker unless
``EDGARMON_KAFKA_BOOTSTRAP_SERVERS`` is set.

Usage: ``python benchmarks/outage_bench.py [--rate 2] [--seconds 120] [--outage-at 20]
[--outage-seconds 60]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import trustme
import yaml
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from edgarmon.core.adapters.health import Health
from edgarmon.core.adapters.kafka import Publisher, ensure_topics, open_producer
from edgarmon.core.domain.filing import Company, Filing
from edgarmon.core.domain.messages import (
    ClinicalDetails,
    ClinicalUpdateLabel,
    Evidence,
    FilingClassified,
)
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.core.logs import configure_logging
from edgarmon.devbroker import broker
from edgarmon.notifier.service import notifier_topics, serve
from edgarmon.notifier.settings import NotifierSettings
from edgarmon.sinks.slack_server import SlackPost, SlackSink
from edgarmon.sinks.smtp_server import ReceivedMail, SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls

TOKEN = "xoxb-outage-bench"  # noqa: S105 -- the local sink's token
CHANNELS = 20
ANALYST = "analyst@example.com"
USER, PASSWORD = "edgarmon", "bench-password"


def classified(serial: int) -> FilingClassified:
    cik = 2_000_000 + serial % CHANNELS
    filing = Filing(
        accession_number=f"0009999998-26-{serial:06d}",
        form_type="8-K",
        companies=(Company(cik=cik, name=f"Bench {cik} Inc.", role="Filer"),),
        items=("8.01",),
        accepted_at=datetime(2026, 1, 5, 16, 0, tzinfo=UTC),
        filing_date=date(2026, 1, 5),
        index_url=f"https://www.sec.gov/Archives/edgar/data/{cik}/x-index.htm",
    )
    labels: tuple[ClinicalUpdateLabel, ...] = ()
    if serial % 4 == 0:
        evidence = Evidence(source="document:EX-99.1", text="Phase 2 topline data")
        details = ClinicalDetails(phases=("Phase 2",))
        labels = (ClinicalUpdateLabel(confidence=0.9, evidence=(evidence,), details=details),)
    return FilingClassified(
        filing=filing,
        items=("8.01",),
        labels=labels,
        classified_at=datetime(2026, 1, 5, 16, 0, 5, tzinfo=UTC),
        classifier_version="bench",
    )


def routes_yaml() -> str:
    routes: list[dict[str, object]] = [
        {
            "name": "clinical",
            "match": {"labels": ["clinical_update"]},
            "deliver": {"slack": ["#clinical"], "email": [ANALYST]},
        }
    ]
    routes += [
        {
            "name": f"desk-{k}",
            "match": {"ciks": [2_000_000 + k]},
            "deliver": {"slack": [f"#desk-{k}"]},
        }
        for k in range(CHANNELS)
    ]
    return yaml.safe_dump({"routes": routes})


def percentiles(values: Sequence[float]) -> str:
    if not values:
        return "n 0"
    ordered = sorted(values)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000

    return (
        f"n {len(ordered)}: p50 {at(0.5):.0f} ms, p90 {at(0.9):.0f} ms, "
        f"p99 {at(0.99):.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


class Observed:
    """What the sinks received, by accession number, and when."""

    def __init__(self, expected_posts: int, expected_mails: int) -> None:
        self.posted: dict[tuple[str, str], list[float]] = {}
        self.mailed: dict[str, list[float]] = {}
        self.refused = 0
        self._expected = (expected_posts, expected_mails)
        self.complete = asyncio.Event()

    def on_post(self, post: SlackPost) -> None:
        key = (post.metadata["event_payload"]["accession_number"], post.channel)
        self.posted.setdefault(key, []).append(time.perf_counter())
        self._check()

    def on_mail(self, mail: ReceivedMail) -> None:
        message_id = str(mail.message["Message-ID"])  # <ACCESSION.ROUTE@DOMAIN>
        self.mailed.setdefault(message_id.strip("<>").split(".")[0], []).append(time.perf_counter())
        self._check()

    def _check(self) -> None:
        if (len(self.posted), len(self.mailed)) >= self._expected:
            self.complete.set()

    async def refuse(self, _reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.refused += 1
        writer.close()


def bench_settings(bootstrap: str, folder: Path, port: int, tls: ThrowawayTls) -> NotifierSettings:
    routes_file = folder / "routes.yaml"
    routes_file.write_text(routes_yaml())
    suffix = uuid.uuid4().hex[:8]
    return NotifierSettings(
        kafka_bootstrap_servers=bootstrap,
        topic_classified=f"outage-classified-{suffix}",
        topic_alerts_sent=f"outage-sent-{suffix}",
        topic_deadletter=f"outage-dlq-{suffix}",
        notifier_group_id=f"outage-notifier-{suffix}",
        routes_file=routes_file,
        slack_bot_token=SecretStr(TOKEN),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_username=USER,
        smtp_password=SecretStr(PASSWORD),
        smtp_from="edgarmon <alerts@example.com>",
        smtp_ca_file=tls.write_ca(folder / "ca.pem"),
        smtp_timeout_seconds=5,
        health_port=0,
    )


async def free_port() -> int:
    probe = await asyncio.start_server(lambda _r, w: w.close(), "127.0.0.1", 0)
    port = int(probe.sockets[0].getsockname()[1])
    probe.close()
    await probe.wait_closed()
    return port


@dataclass
class Timeline:
    started: float
    outage_start: float
    outage_end: float
    back_at: float = 0.0


async def produce_through_the_outage(
    settings: NotifierSettings,
    tls: ThrowawayTls,
    seen: Observed,
    args: argparse.Namespace,
    stack: contextlib.AsyncExitStack,
) -> tuple[dict[str, float], Timeline]:
    """Produce at ``args.rate`` while the SMTP port refuses connections, then bring the
    mail server up on it; returns when each record was produced."""
    port = settings.smtp_port
    down = await asyncio.start_server(seen.refuse, "127.0.0.1", port)
    produced: dict[str, float] = {}
    async with open_producer(settings) as producer:
        publisher = Publisher(producer, source="/edgarmon/outage-bench")
        started = time.perf_counter()
        timeline = Timeline(
            started, started + args.outage_at, started + args.outage_at + args.outage_seconds
        )
        serial = 0
        while (now := time.perf_counter()) < started + args.seconds:
            if down.is_serving() and now >= timeline.outage_end:
                down.close()
                await down.wait_closed()
                await stack.enter_async_context(
                    SmtpSink(
                        tls=tls, username=USER, password=PASSWORD, port=port, echo=seen.on_mail
                    )
                )
                timeline.back_at = time.perf_counter()
            record = classified(serial)
            produced[record.filing.accession_number] = time.perf_counter()
            await publisher.publish(settings.topic_classified, record)
            serial += 1
            pause = started + serial / args.rate - time.perf_counter()
            await asyncio.sleep(max(0.0, pause))  # pacing the producer, not awaiting a result
    return produced, timeline


async def measure(bootstrap: str, args: argparse.Namespace) -> None:
    tls = ThrowawayTls.from_ca(trustme.CA())
    count = int(args.rate * args.seconds)
    clinical_count = len(range(0, count, 4))
    seen = Observed(expected_posts=count + clinical_count, expected_mails=clinical_count)
    with tempfile.TemporaryDirectory(prefix="edgarmon-outage-") as folder:
        settings = bench_settings(bootstrap, Path(folder), await free_port(), tls)
        await ensure_topics(settings, notifier_topics(settings))
        async with (
            contextlib.AsyncExitStack() as stack,
            SlackSink(token=TOKEN, channels=None, echo=seen.on_post) as slack,
        ):
            settings = settings.model_copy(update={"slack_api_url": slack.api_url})
            runtime = ServiceRuntime(
                name="notifier", registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
            )
            service = asyncio.create_task(serve(settings, runtime))
            produced, timeline = await produce_through_the_outage(settings, tls, seen, args, stack)
            async with asyncio.timeout(120):
                await seen.complete.wait()
            runtime.shutdown.request("benchmark over")
            await asyncio.wait_for(service, timeout=60)
    report(produced, timeline, seen, args)


def report(
    produced: dict[str, float], timeline: Timeline, seen: Observed, args: argparse.Namespace
) -> None:
    desk = {
        accession: times[0] - produced[accession]
        for (accession, channel), times in seen.posted.items()
        if channel.startswith("#desk-")
    }

    def phase(lo: float, hi: float) -> list[float]:
        return [latency for accession, latency in desk.items() if lo <= produced[accession] < hi]

    print(
        f"{len(produced)} filings at {args.rate:g}/s over {args.seconds:.0f} s; the SMTP port "
        f"refused connections from {args.outage_at:.0f} s for {args.outage_seconds:.0f} s "
        f"({seen.refused} connections refused)"
    )
    before = percentiles(phase(0, timeline.outage_start))
    during = percentiles(phase(timeline.outage_start, timeline.outage_end))
    after = percentiles(phase(timeline.outage_end, float("inf")))
    print(f"Slack-only alert, produced -> posted, before the outage: {before}")
    print(f"Slack-only alert, produced -> posted, during the outage: {during}")
    print(f"Slack-only alert, produced -> posted, after the outage:  {after}")
    waited = [
        times[0] - timeline.back_at
        for accession, times in seen.mailed.items()
        if produced[accession] < timeline.outage_end
    ]
    print(
        "e-mails queued during the outage, from the server's return to delivery: "
        f"{percentiles(waited)}"
    )
    twice = sum(len(t) > 1 for t in seen.posted.values()) + sum(
        len(t) > 1 for t in seen.mailed.values()
    )
    print(f"duplicates (a post or a mail seen twice): {twice}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--outage-at", type=float, default=20.0)
    parser.add_argument("--outage-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    given = os.environ.get("EDGARMON_KAFKA_BOOTSTRAP_SERVERS")
    handle = None
    if not given:
        handle = broker.start(broker.default_home(), log=lambda line: print(line, file=sys.stderr))
    try:
        bootstrap = given or handle.bootstrap_servers  # type: ignore[union-attr]
        configure_logging(level="warning", fmt="console")
        asyncio.run(measure(bootstrap, args))
    finally:
        if handle is not None:
            broker.stop(handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
