"""Running the notifier service against the real broker and the real local sinks.

``sinks_for_service`` starts a Slack sink and an SMTP sink (STARTTLS + AUTH with a
throwaway CA); ``notifier_settings`` points a notifier at them with unique topic
and group names; ``running_notifier`` runs ``serve`` in-process until the block
ends and returns once the service is ready (ledger rebuilt, partitions assigned).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from edgarmon.core.adapters.health import Health
from edgarmon.core.domain import codec
from edgarmon.core.domain.clock import Sleep
from edgarmon.core.domain.messages import AlertSent, DeadLetter, FilingClassified
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.notifier.service import serve
from edgarmon.notifier.settings import NotifierSettings
from edgarmon.sinks.slack_server import SlackPost, SlackSink
from edgarmon.sinks.smtp_server import SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import create_topics, produce
from tests.notifier.conftest import eight_k_classified, eight_k_filing

TOKEN: Final = "xoxb-notifier-service"
SMTP_USER: Final = "edgarmon"
SMTP_PASSWORD: Final = "smtp secret for tests"
ANALYST: Final = "analyst@example.com"
CHANNELS: Final = frozenset({"#alerts", "#desk", "#digest", "#marker"})
STARTUP_SECONDS: Final = 30.0


def accession(n: int) -> str:
    return f"0001104659-26-{n:06d}"


def clinical_8k(n: int) -> FilingClassified:
    """The seed 8-K (Item 8.01, clinical update) under accession ``n``."""
    return eight_k_classified(eight_k_filing(accession_number=accession(n)))


def plain_8k(n: int) -> FilingClassified:
    """An 8-K with no labels (routes on form alone)."""
    return clinical_8k(n).model_copy(update={"labels": (), "items": ()})


def amended_8k(n: int) -> FilingClassified:
    """An unlabelled 8-K/A: only a route that takes amendments matches it. Used as a
    marker: once its alert arrives, every record before it on the partition is handled."""
    plain = plain_8k(n)
    return plain.model_copy(
        update={"filing": plain.filing.model_copy(update={"form_type": "8-K/A"})}
    )


class ObservedHealth(Health):
    """Health whose readiness a test can await."""

    def __init__(self) -> None:
        super().__init__()
        self.became_ready = asyncio.Event()

    def set_ready(self, ready: bool, reason: str = "") -> None:
        super().set_ready(ready, reason)
        if ready:
            self.became_ready.set()


@dataclass
class ServiceSinks:
    slack: SlackSink
    smtp: SmtpSink
    tls: ThrowawayTls
    ca_file: Path
    tmp_path: Path

    def posts_to(self, channel: str) -> list[SlackPost]:
        return [post for post in self.slack.posts if post.channel == channel]


@asynccontextmanager
async def sinks_for_service(tmp_path: Path, tls: ThrowawayTls) -> AsyncIterator[ServiceSinks]:
    ca_file = tls.write_ca(tmp_path / "ca.pem")
    async with (
        SlackSink(token=TOKEN, channels=CHANNELS) as slack,
        SmtpSink(tls=tls, username=SMTP_USER, password=SMTP_PASSWORD) as smtp,
    ):
        yield ServiceSinks(slack=slack, smtp=smtp, tls=tls, ca_file=ca_file, tmp_path=tmp_path)


def notifier_settings(
    bootstrap: str, unique: str, sinks: ServiceSinks, routes: str, **changes: Any
) -> NotifierSettings:
    routes_file = sinks.tmp_path / f"routes-{unique}.yaml"
    routes_file.write_text(routes)
    values: dict[str, Any] = {
        "kafka_bootstrap_servers": bootstrap,
        "kafka_create_topics": False,
        "topic_classified": f"classified-{unique}",
        "topic_alerts_sent": f"sent-{unique}",
        "topic_deadletter": f"dlq-{unique}",
        "notifier_group_id": f"notifier-{unique}",
        "routes_file": routes_file,
        "slack_api_url": sinks.slack.api_url,
        "slack_bot_token": SecretStr(TOKEN),
        "smtp_host": "127.0.0.1",
        "smtp_port": sinks.smtp.port,
        "smtp_username": SMTP_USER,
        "smtp_password": SecretStr(SMTP_PASSWORD),
        "smtp_from": "edgarmon <alerts@example.com>",
        "smtp_ca_file": sinks.ca_file,
        "smtp_timeout_seconds": 5,
        "health_port": 0,
        "delivery_attempts": 2,
        "delivery_backoff_seconds": 0.05,
        "delivery_max_backoff_seconds": 0.2,
    }
    values.update(changes)
    return NotifierSettings(**values)


async def create_notifier_topics(settings: NotifierSettings, *, partitions: int = 1) -> None:
    bootstrap = settings.kafka_bootstrap_servers
    await create_topics(bootstrap, [settings.topic_classified], partitions=partitions)
    await create_topics(bootstrap, [settings.topic_alerts_sent], partitions=partitions)
    await create_topics(bootstrap, [settings.topic_deadletter])


async def publish_classified(settings: NotifierSettings, *filings: FilingClassified) -> None:
    records = [codec.encode(filing, source="/edgarmon/test") for filing in filings]
    await produce(
        settings.kafka_bootstrap_servers,
        settings.topic_classified,
        [(record.key, record.value, record.headers) for record in records],
    )


def ledger_entries(records: list[Any]) -> list[AlertSent]:
    return [codec.decode(record.value, record.headers, AlertSent) for record in records]


def dead_letters(records: list[Any]) -> list[DeadLetter]:
    return [codec.decode(record.value, record.headers, DeadLetter) for record in records]


@dataclass
class RunningNotifier:
    runtime: ServiceRuntime
    sdk_time: ManualClock

    def metric(self, name: str, **labels: str) -> float:
        value = self.runtime.registry.get_sample_value(name, labels)
        return 0.0 if value is None else value


@asynccontextmanager
async def running_notifier(
    settings: NotifierSettings, *, wall: ManualClock | None = None, sleep: Sleep | None = None
) -> AsyncIterator[RunningNotifier]:
    """Run the notifier in-process; senders wait on a manual clock (no real waiting)
    unless ``sleep`` replaces its sleep."""
    health = ObservedHealth()
    runtime = ServiceRuntime(
        name="notifier",
        registry=CollectorRegistry(),
        health=health,
        shutdown=Shutdown(),
        clock=wall.clock if wall is not None else time.time,
    )
    sdk_time = ManualClock()
    task = asyncio.create_task(
        serve(settings, runtime, monotonic=sdk_time.clock, sleep=sleep or sdk_time.sleep)
    )
    ready = asyncio.create_task(health.became_ready.wait())
    done, _ = await asyncio.wait(
        {task, ready}, timeout=STARTUP_SECONDS, return_when=asyncio.FIRST_COMPLETED
    )
    if task in done:
        ready.cancel()
        task.result()
        raise AssertionError("the notifier returned before it was ready")
    assert ready in done, f"the notifier was not ready within {STARTUP_SECONDS} s"
    try:
        yield RunningNotifier(runtime=runtime, sdk_time=sdk_time)
    finally:
        runtime.shutdown.request("test over")
        await asyncio.wait_for(task, timeout=30)
