"""The notifier's loop under bugs and shutdown, in-process: real broker, Slack and SMTP sinks.

A bug is injected by patching one function to raise for one filing: the record must be
dead-lettered with the exception's type, and the loop must go on.
"""

from __future__ import annotations

import asyncio

import pytest

from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.adapters.slack_sender import SlackSender
from edgarmon.notifier.domain.deliveries import Delivery
from edgarmon.notifier.domain.slack_blocks import SlackMessage
from edgarmon.notifier.route_loading import Routing
from edgarmon.testing.kafka_io import committed_offsets, read_to_end, wait_for_records
from tests.notifier.notifier_harness import (
    ServiceSinks,
    accession,
    amended_8k,
    clinical_8k,
    create_notifier_topics,
    dead_letters,
    ledger_entries,
    notifier_settings,
    plain_8k,
    publish_classified,
    running_notifier,
)

pytestmark = pytest.mark.kafka

ONCOLOGY = """
routes:
  - {name: oncology, match: {labels: [clinical_update]}, deliver: {slack: ["#alerts"]}}
"""


async def test_a_handler_bug_dead_letters_its_record_and_the_loop_goes_on(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = Routing.plan

    def plan_with_a_bug(self: Routing, classified: FilingClassified) -> tuple[Delivery, ...]:
        if classified.filing.accession_number == accession(1):
            raise RuntimeError("a bug in planning")
        return plan(self, classified)

    monkeypatch.setattr(Routing, "plan", plan_with_a_bug)
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, ONCOLOGY)
    await create_notifier_topics(settings)
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, clinical_8k(1), clinical_8k(2))
        async with asyncio.timeout(20):
            (post,) = await service_sinks.slack.wait_for_posts(1)
        (letter,) = dead_letters(
            await wait_for_records(kafka_bootstrap, settings.topic_deadletter, 1)
        )
        await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 1)

    assert post.metadata["event_payload"]["accession_number"] == accession(2)
    assert letter.error_type == "RuntimeError"
    assert letter.reason == "RuntimeError('a bug in planning')"
    assert letter.accession_number == accession(1)
    assert letter.source_offset == 0
    assert notifier.metric("edgarmon_deadletters_total", topic=settings.topic_classified) == 1
    assert notifier.metric("edgarmon_records_processed_total", topic=settings.topic_classified) == 2
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [2]


async def test_a_bug_while_sending_a_digest_dead_letters_its_records_as_a_bug(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks, monkeypatch: pytest.MonkeyPatch
) -> None:
    send = SlackSender.send

    async def send_with_a_bug(self: SlackSender, message: SlackMessage) -> str:
        if message.channel == "#digest":
            raise LookupError("a bug in sending")
        return await send(self, message)

    monkeypatch.setattr(SlackSender, "send", send_with_a_bug)
    routes = """
routes:
  - name: eightk-digest
    match: {forms: [8-K]}
    deliver: {slack: ["#digest"]}
    digest: {interval: 1d, max_alerts: 2}
"""
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, routes)
    await create_notifier_topics(settings)
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, plain_8k(1), plain_8k(2))
        letters = dead_letters(
            await wait_for_records(kafka_bootstrap, settings.topic_deadletter, 2)
        )

    assert [(letter.accession_number, letter.error_type) for letter in letters] == [
        (accession(1), "LookupError"),
        (accession(2), "LookupError"),
    ]
    assert {letter.reason for letter in letters} == {
        "LookupError: a bug in sending (route eightk-digest -> slack #digest)"
    }
    # A bug is not a permanent delivery failure (no Slack or SMTP error was met).
    assert notifier.metric("edgarmon_alert_failures_total", channel="slack", kind="permanent") == 0
    assert notifier.metric("edgarmon_digest_alerts_held") == 0
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [2]


async def test_shutdown_ends_a_retry_wait_and_leaves_the_record_uncommitted(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    waiting = asyncio.Event()

    async def endless_wait(_seconds: float) -> None:
        """A retry wait that would outlast any drain time."""
        waiting.set()
        await asyncio.Event().wait()

    async def refuse(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    down = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = int(down.sockets[0].getsockname()[1])
    routes = """
routes:
  - {name: oncology, match: {labels: [clinical_update]}, deliver: {email: [analyst@example.com]}}
"""
    settings = notifier_settings(
        kafka_bootstrap, unique, service_sinks, routes, smtp_port=port, delivery_attempts=5
    )
    await create_notifier_topics(settings)
    try:
        async with running_notifier(settings, sleep=endless_wait) as notifier:
            await publish_classified(settings, clinical_8k(1))
            async with asyncio.timeout(20):
                await waiting.wait()
        # Leaving the block requested shutdown; the notifier returned in time.
    finally:
        down.close()
        await down.wait_closed()

    assert notifier.metric("edgarmon_alert_failures_total", channel="email", kind="transient") == 1
    assert await read_to_end(kafka_bootstrap, settings.topic_deadletter) == []
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [0]  # redelivered after the restart


async def test_a_digest_flush_on_shutdown_is_cut_at_the_drain_time(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    routes = """
routes:
  - {name: marker, match: {forms: [8-K], amendments: only}, deliver: {slack: ["#marker"]}}
  - name: eightk-digest
    match: {forms: [8-K], amendments: exclude}
    deliver: {slack: ["#digest"]}
    digest: {interval: 1h}
"""
    settings = notifier_settings(
        kafka_bootstrap,
        unique,
        service_sinks,
        routes,
        shutdown_timeout_seconds=2.0,
        slack_timeout_seconds=120,
    )
    await create_notifier_topics(settings)
    service_sinks.slack.hang_after(1)  # the marker goes through; the digest post is never answered
    async with running_notifier(settings):
        await publish_classified(settings, plain_8k(1), amended_8k(2))
        # The marker's ledger record means the digest record before it is queued.
        await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 1)
    # Leaving the block requested shutdown: the flush hung on Slack and was cut short at
    # the drain time, not at the 120 s Slack timeout (the harness waits 30 s at most).

    async with asyncio.timeout(5):
        assert await service_sinks.slack.wait_for_hanging(1) == 1
    assert [post.channel for post in service_sinks.slack.posts] == ["#marker"]
    entries = ledger_entries(await read_to_end(kafka_bootstrap, settings.topic_alerts_sent))
    assert [entry.kafka_key() for entry in entries] == [f"{accession(2)}|marker|#marker"]
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [0]  # the digest's record stays uncommitted: it is queued again after restart
