"""The notifier as a real process: killed with SIGKILL mid-stream, restarted, then
stopped with SIGTERM. Every (accession, route, destination) reaches Slack exactly once.

The kill is made deterministic by the Slack sink: after N accepted posts it leaves
the next request unanswered, so the process is killed while it waits for Slack,
before that post exists. (The one window in which a crash could send twice, after
Slack accepted a post and before its ledger record is acknowledged, cannot be hit
on purpose from outside; docs/notifier.md describes it.)
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from edgarmon.notifier.settings import NotifierSettings
from edgarmon.sinks.slack_server import SlackSink
from edgarmon.testing.kafka_io import committed_offsets, create_topics, wait_for_records
from edgarmon.testing.processes import Process, service_env, start_module
from tests.notifier.notifier_harness import (
    TOKEN,
    accession,
    ledger_entries,
    plain_8k,
    publish_classified,
)

pytestmark = pytest.mark.kafka
ROOT = Path(__file__).resolve().parents[2]
FILINGS = 12
PARTITIONS = 3
CHANNELS = ("#alerts", "#desk")
POSTS_BEFORE_KILL = 7
ROUTES = """
routes:
  - name: all-8k
    match: {forms: [8-K]}
    deliver: {slack: ["#alerts", "#desk"]}
"""


@pytest.fixture
async def slack() -> AsyncIterator[SlackSink]:
    async with SlackSink(token=TOKEN, channels=CHANNELS) as sink:
        yield sink


def process_env(settings: NotifierSettings, slack: SlackSink) -> dict[str, str]:
    return service_env(
        kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
        topic_classified=settings.topic_classified,
        topic_alerts_sent=settings.topic_alerts_sent,
        topic_deadletter=settings.topic_deadletter,
        notifier_group_id=settings.notifier_group_id,
        notifier_batch_size="3",
        routes_file=str(settings.routes_file),
        slack_api_url=slack.api_url,
        slack_bot_token=TOKEN,
        slack_channel_interval_seconds="0",
    )


async def start_notifier(env: dict[str, str]) -> Process:
    return await start_module("edgarmon.notifier", env, cwd=ROOT)


async def test_kill_9_mid_stream_then_restart_sends_every_alert_exactly_once(
    kafka_bootstrap: str, unique: str, slack: SlackSink, tmp_path: Path
) -> None:
    routes_file = tmp_path / "routes.yaml"
    routes_file.write_text(ROUTES)
    settings = NotifierSettings(
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_classified=f"classified-{unique}",
        topic_alerts_sent=f"sent-{unique}",
        topic_deadletter=f"dlq-{unique}",
        notifier_group_id=f"notifier-{unique}",
        routes_file=routes_file,
    )
    await create_topics(
        kafka_bootstrap, [settings.topic_classified, settings.topic_alerts_sent], partitions=3
    )
    await create_topics(kafka_bootstrap, [settings.topic_deadletter])
    await publish_classified(settings, *(plain_8k(n) for n in range(FILINGS)))
    env = process_env(settings, slack)
    # Each channel has its own queue and worker: both leave their next post in flight.
    slack.hang_after(POSTS_BEFORE_KILL, times=len(CHANNELS))

    first = await start_notifier(env)
    async with asyncio.timeout(60):
        await slack.wait_for_hanging(len(CHANNELS))
    accepted = len(slack.posts)  # two posts may pass the mark together
    await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, accepted)
    first.kill()
    await first.communicate()
    assert first.returncode == -signal.SIGKILL
    assert POSTS_BEFORE_KILL <= accepted < POSTS_BEFORE_KILL + len(CHANNELS)
    assert len(slack.posts) == accepted

    second = await start_notifier(env)
    expected = FILINGS * len(CHANNELS)
    async with asyncio.timeout(60):
        await slack.wait_for_posts(expected)
    records = await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, expected)
    second.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(second.communicate(), timeout=40)
    log = stderr.decode()

    assert second.returncode == 0, log
    assert "shutdown requested, draining" in log
    assert "consumer drained" in log
    assert "already sent, suppressed" in log  # the restart saw records the first run handled
    sent = Counter(
        (post.metadata["event_payload"]["accession_number"], post.channel) for post in slack.posts
    )
    everything = {(accession(n), channel) for n in range(FILINGS) for channel in CHANNELS}
    assert set(sent) == everything, "none lost"
    assert max(sent.values()) == 1, "none twice"
    keys = Counter(entry.kafka_key() for entry in ledger_entries(records))
    assert len(keys) == expected
    assert max(keys.values()) == 1
    committed = await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, PARTITIONS
    )
    assert sum(committed) == FILINGS
