"""The whole pipeline, offline, in one process: simulator -> poller -> classifier -> notifier.

The simulated EDGAR serves the recordings in ``../shared/edgar`` with filings
arriving in real time, plus the featured filings; the three services run as
they do in production (their own ``serve``), each with its own runtime; Slack
and e-mail go to local sinks that print what they receive.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from prometheus_client import CollectorRegistry

from edgarmon.classifier.service import serve as serve_classifier
from edgarmon.classifier.settings import ClassifierSettings
from edgarmon.core.adapters.health import Health
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.demo.featured import (
    Featured,
    clinical_exhibits,
    recorded_filings,
    register_documents,
    seed_filings,
)
from edgarmon.demo.pacing import close_edgar_and_catch_up, wait_for_the_story
from edgarmon.notifier.service import serve as serve_notifier
from edgarmon.notifier.settings import NotifierSettings
from edgarmon.poller.service import serve as serve_poller
from edgarmon.poller.settings import PollerSettings
from edgarmon.simulator.filings import (
    EASTERN,
    LATE_RELEASE_FORMS,
    FilingTemplate,
    schedule_filing,
)
from edgarmon.simulator.recordings import load_recordings
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import running_simulator
from edgarmon.simulator.simulated_edgar import ScaledClock, SimulatedEdgar
from edgarmon.sinks.console import describe_mail, describe_slack_post
from edgarmon.sinks.slack_server import SlackPost, SlackSink
from edgarmon.sinks.smtp_server import ReceivedMail, SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls

USER_AGENT = "edgarmon demo demo@edgarmon.invalid"
LETTER_RELEASE_LAG_DAYS = 28  # about 20 business days
SLACK_TOKEN = "xoxb-edgarmon-demo"  # noqa: S105 -- a local sink's token, not a secret
SMTP_USER, SMTP_PASSWORD = "edgarmon", "demo-password"

ROUTES_YAML = """\
version: 1
routes:
  - name: sec-letters
    description: SEC comment letters and company responses
    match: {labels: [sec_correspondence]}
    deliver:
      slack: ["#sec-comment-letters"]
      email: [compliance@example.com]
  - name: clinical
    description: Clinical updates from any company
    match: {labels: [clinical_update]}
    deliver:
      slack: ["#biotech-clinical"]
      email: [biotech-desk@example.com]
  - name: other-events
    description: Every 8-K Item 8.01, batched
    match: {labels: [8k_item_8_01], forms: [8-K]}
    deliver: {slack: ["#8k-other-events"]}
    digest: {interval: 20s, max_alerts: 20}
"""


@dataclass(frozen=True, slots=True)
class DemoOptions:
    shared: Path
    bootstrap_servers: str
    seconds: float = 75.0
    rate: float = 2.0
    featured_every: float = 3.0
    topic_suffix: str = ""
    routes_yaml: str = ROUTES_YAML
    stop_when_featured_alerted: bool = True
    catch_up_seconds: float = 15.0
    """How long the pipeline may take to finish what is visible once EDGAR closes."""
    routes_for: Callable[[SimulatedEdgar, list[Featured]], str] | None = None
    """Routes built from what will arrive (a benchmark spreading alerts over channels);
    ``routes_yaml`` when None."""
    scenario: Callable[[SimulatedEdgar, float], list[Featured]] | None = None
    """Instead of the featured filings: schedules its own on the simulator (given the
    moment the first may appear) and returns those to wait for (a burst benchmark)."""
    classifier_settings: Mapping[str, object] = field(default_factory=dict)
    """Classifier settings over the demo's (a benchmark comparing strategies)."""


@dataclass
class Deliveries:
    """What the sinks received, with the wall-clock time of each."""

    slack: list[tuple[float, SlackPost]] = field(default_factory=list)
    mail: list[tuple[float, ReceivedMail]] = field(default_factory=list)
    printer: Callable[[str], None] = print

    def on_slack(self, post: SlackPost) -> None:
        self.slack.append((time.time(), post))
        self.printer(describe_slack_post(post))

    def alerted_accessions(self) -> set[str]:
        return {accession for _, post in self.slack for accession in accessions_in(post)}

    def on_mail(self, mail: ReceivedMail) -> None:
        self.mail.append((time.time(), mail))
        self.printer(describe_mail(mail))


@dataclass
class DemoRun:
    """Everything the report needs once the pipeline has stopped."""

    sim: SimulatedEdgar
    featured: list[Featured]
    deliveries: Deliveries
    topics: dict[str, str]
    started_at: float
    watchlist: frozenset[int] = frozenset()
    edgar_closed_at: float = 0.0
    """When the simulator stopped taking filings (0 until it did)."""
    stopped_at: float = 0.0
    registries: dict[str, CollectorRegistry] = field(default_factory=dict)


def accessions_in(post: SlackPost) -> list[str]:
    """The accession numbers a Slack message is about (one alert, or a digest)."""
    payload = post.metadata.get("event_payload", {})
    if "accession_numbers" in payload:
        return [str(accession) for accession in payload["accession_numbers"]]
    return [str(payload["accession_number"])] if "accession_number" in payload else []


def is_digest(post: SlackPost) -> bool:
    return "digest" in str(post.metadata.get("event_type", ""))


def featured_filings(shared: Path, sim: SimulatedEdgar) -> list[Featured]:
    featured = seed_filings(shared) + clinical_exhibits(shared, limit=4)
    featured += recorded_filings(shared, sim.recordings, limit=2)
    register_documents(sim.recordings, featured)
    return featured


def released_as_edgar_does(template: FilingTemplate, now: float) -> FilingTemplate:
    """Letters are released about 20 business days after their date: give the featured
    ones that lag (their recorded dates are years old), so the demo behaves like EDGAR."""
    if template.form_type not in LATE_RELEASE_FORMS:
        return template
    dated = datetime.fromtimestamp(now, EASTERN).date() - timedelta(days=LETTER_RELEASE_LAG_DAYS)
    return replace(template, original_filing_date=dated)


def _runtime(name: str) -> ServiceRuntime:
    return ServiceRuntime(
        name=name, registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )


async def run_pipeline(options: DemoOptions, *, printer: Callable[[str], None] = print) -> DemoRun:
    edgar_dir = options.shared / "edgar"
    started = time.time()
    sim = build_simulated_edgar(
        SimulatorOptions(data_dir=edgar_dir, rate=options.rate, backlog=40),
        clock=ScaledClock(started, speed=1.0),
        recordings=load_recordings(edgar_dir),
    )
    first = started + 4
    if options.scenario is not None:
        featured = options.scenario(sim, first)
        templates = []
    else:
        featured = featured_filings(options.shared, sim)
        templates = [item.template for item in featured]
    sim.add_filings(
        schedule_filing(
            released_as_edgar_does(template, started), first + index * options.featured_every
        )
        for index, template in enumerate(templates)
    )
    deliveries = Deliveries(printer=printer)
    suffix = options.topic_suffix
    topics = {
        "topic_discovered": f"edgar.filings.discovered.v1{suffix}",
        "topic_classified": f"edgar.filings.classified.v1{suffix}",
        "topic_alerts_sent": f"edgar.alerts.sent.v1{suffix}",
        "topic_deadletter": f"edgar.deadletter.v1{suffix}",
        "topic_backfill": f"edgar.backfill.v1{suffix}",
    }
    run = DemoRun(
        sim=sim, featured=featured, deliveries=deliveries, topics=topics, started_at=started
    )
    workdir = Path(tempfile.mkdtemp(prefix="edgarmon-demo-"))
    tls = ThrowawayTls.create()
    tls.write_ca(workdir / "ca.pem")
    routes = options.routes_for(sim, featured) if options.routes_for else options.routes_yaml
    (workdir / "routes.yaml").write_text(routes)
    async with (
        running_simulator(sim) as edgar,
        SlackSink(token=SLACK_TOKEN, channels=None, echo=deliveries.on_slack) as slack,
        SmtpSink(
            tls=tls, username=SMTP_USER, password=SMTP_PASSWORD, echo=deliveries.on_mail
        ) as smtp,
    ):
        common: dict[str, object] = {
            "kafka_bootstrap_servers": options.bootstrap_servers,
            "kafka_topic_partitions": 3,
            "log_level": "warning",
            **topics,
        }
        edgar_settings: dict[str, object] = {
            "edgar_base_url": edgar.base_url,
            "edgar_data_url": edgar.base_url,
            "edgar_user_agent": USER_AGENT,
            "edgar_allowed_hosts": ("127.0.0.1",),
            "edgar_requests_per_second": 4.0,
        }
        watch = sorted({item.watch_cik for item in featured if item.watch_cik is not None})
        run.watchlist = frozenset(watch)
        # Settings are built from values, not the environment: the demo is self-contained.
        poller = PollerSettings.model_validate(
            {
                **common,
                **edgar_settings,
                "watchlist_ciks": tuple(watch),
                "company_feed_interval_seconds": 5.0,
                # Two demos on one broker must not fence each other's producers.
                "poller_transactional_id": f"edgarmon-poller{suffix}",
            }
        )
        classifier = ClassifierSettings.model_validate(
            {
                **common,
                **edgar_settings,
                "transactional_id": f"edgarmon-classifier-demo{suffix}",
                **options.classifier_settings,
            }
        )
        notifier = NotifierSettings.model_validate(
            {
                **common,
                "routes_file": workdir / "routes.yaml",
                "tickers_file": edgar_dir / "reference" / "company_tickers.json",
                "slack_api_url": slack.api_url,
                "slack_bot_token": SLACK_TOKEN,
                "smtp_host": smtp.host,
                "smtp_port": smtp.port,
                "smtp_username": SMTP_USER,
                "smtp_password": SMTP_PASSWORD,
                "smtp_from": "edgarmon demo <alerts@edgarmon.invalid>",
                "smtp_ca_file": workdir / "ca.pem",
                "alert_link_hosts": ("www.sec.gov", "sec.gov", "127.0.0.1"),
            }
        )
        runtimes = {name: _runtime(name) for name in ("poller", "classifier", "notifier")}
        run.registries = {name: runtime.registry for name, runtime in runtimes.items()}
        async with asyncio.TaskGroup() as group:
            group.create_task(serve_poller(poller, runtimes["poller"]))
            group.create_task(serve_classifier(classifier, runtimes["classifier"]))
            group.create_task(serve_notifier(notifier, runtimes["notifier"]))
            await wait_for_the_story(run, options, printer)
            await close_edgar_and_catch_up(run, options, printer)
            printer("demo: stopping the services (SIGTERM-equivalent drain)")
            for runtime in runtimes.values():
                runtime.shutdown.request("demo over")
    run.stopped_at = time.time()
    return run
