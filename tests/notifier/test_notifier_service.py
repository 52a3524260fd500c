"""The notifier service end to end, in-process: the real broker, Slack sink and SMTP sink."""

from __future__ import annotations

import asyncio
import time

import pytest

from edgarmon.core.domain.messages import AlertChannel
from edgarmon.sinks.slack_server import SlackFault
from edgarmon.sinks.smtp_server import SmtpSink
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import committed_offsets, read_to_end, wait_for_records
from tests.notifier.conftest import letter_classified, letter_filing
from tests.notifier.notifier_harness import (
    ANALYST,
    SMTP_PASSWORD,
    SMTP_USER,
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

ROUTES = """
routes:
  - name: oncology
    match: {labels: [clinical_update]}
    deliver: {slack: ["#alerts"], email: [analyst@example.com]}
  - name: marker
    match: {forms: [8-K], amendments: only}
    deliver: {slack: ["#marker"]}
"""


async def test_a_classified_filing_reaches_slack_and_email_and_the_ledger(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, ROUTES)
    await create_notifier_topics(settings)
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, clinical_8k(1))
        async with asyncio.timeout(20):
            (post,) = await service_sinks.slack.wait_for_posts(1)
            (mail,) = await service_sinks.smtp.wait_for_messages(1)
        records = await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 2)

    entries = {entry.kafka_key(): entry for entry in ledger_entries(records)}
    slack_entry = entries[f"{accession(1)}|oncology|#alerts"]
    mail_entry = entries[f"{accession(1)}|oncology|{ANALYST}"]
    assert post.channel == "#alerts"
    assert post.metadata["event_payload"]["accession_number"] == accession(1)
    assert slack_entry.channel is AlertChannel.SLACK
    assert slack_entry.reference == post.ts
    assert mail.over_tls
    assert mail.authenticated
    assert mail.rcpt_tos == (ANALYST,)
    assert mail_entry.reference == mail.message["Message-ID"]
    assert notifier.metric("edgarmon_alerts_sent_total", channel="slack") == 1
    assert notifier.metric("edgarmon_alerts_sent_total", channel="email") == 1
    assert notifier.metric("edgarmon_records_processed_total", topic=settings.topic_classified) == 1
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [1]


async def test_permanent_slack_errors_are_dead_lettered_with_the_reason_and_the_loop_goes_on(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    routes = """
routes:
  - name: oncology
    match: {labels: [clinical_update]}
    deliver: {slack: ["#alerts"]}
  - name: letters
    match: {labels: [sec_correspondence]}
    deliver: {slack: ["#missing"]}
"""
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, routes)
    await create_notifier_topics(settings)
    service_sinks.slack.fail_next(SlackFault(status=200, error="invalid_auth"))
    letter = letter_classified(letter_filing(accession_number=accession(2)))
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, clinical_8k(1), letter, clinical_8k(3))
        async with asyncio.timeout(20):
            (post,) = await service_sinks.slack.wait_for_posts(1)
        letters = dead_letters(
            await wait_for_records(kafka_bootstrap, settings.topic_deadletter, 2)
        )

    assert notifier.metric("edgarmon_alert_failures_total", channel="slack", kind="permanent") == 2
    assert notifier.metric("edgarmon_deadletters_total", topic=settings.topic_classified) == 2
    assert post.metadata["event_payload"]["accession_number"] == accession(3)
    auth, channel = sorted(letters, key=lambda letter: letter.source_offset or 0)
    assert auth.reason == "slack: invalid_auth (route oncology -> slack #alerts)"
    assert auth.accession_number == accession(1)
    assert auth.source_offset == 0
    assert auth.service == "notifier"
    assert channel.reason == "slack: channel_not_found (route letters -> slack #missing)"
    assert channel.accession_number == accession(2)
    assert channel.error_type == "PermanentDeliveryError"
    assert channel.original_value_base64  # the record can be replayed once fixed
    assert [
        e.kafka_key()
        for e in ledger_entries(await read_to_end(kafka_bootstrap, settings.topic_alerts_sent))
    ] == [f"{accession(3)}|oncology|#alerts"]
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [3]


async def test_429_with_retry_after_and_5xx_are_retried_and_sent_once(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    routes = """
routes:
  - {name: oncology, match: {labels: [clinical_update]}, deliver: {slack: ["#alerts"]}}
"""
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, routes)
    await create_notifier_topics(settings)
    service_sinks.slack.fail_next(SlackFault(status=429, retry_after=7))
    service_sinks.slack.fail_next(SlackFault(status=503))
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, clinical_8k(1))
        async with asyncio.timeout(20):
            (post,) = await service_sinks.slack.wait_for_posts(1)
        (entry,) = ledger_entries(
            await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 1)
        )

    assert service_sinks.slack.rejected == {"ratelimited": 1, "http_503": 1}
    assert notifier.sdk_time.sleeps[0] == 7.0  # Retry-After, waited on the injected clock
    assert len(notifier.sdk_time.sleeps) == 2  # then one backoff for the 503
    assert entry.reference == post.ts
    assert notifier.metric("edgarmon_alert_failures_total", channel="slack", kind="transient") == 0


async def test_smtp_down_then_up_delivers_once_and_commits_only_after(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    refused = asyncio.Event()

    async def drop(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        refused.set()
        writer.close()

    down = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = int(down.sockets[0].getsockname()[1])
    settings = notifier_settings(
        kafka_bootstrap, unique, service_sinks, ROUTES, smtp_port=port, delivery_attempts=1
    )
    await create_notifier_topics(settings)
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, clinical_8k(1))
        async with asyncio.timeout(20):
            await refused.wait()
        assert await committed_offsets(
            kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
        ) == [0]
        down.close()
        await down.wait_closed()
        async with SmtpSink(
            tls=service_sinks.tls, username=SMTP_USER, password=SMTP_PASSWORD, port=port
        ) as smtp:
            async with asyncio.timeout(20):
                (mail,) = await smtp.wait_for_messages(1)
            records = await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 2)
        failures = notifier.metric(
            "edgarmon_alert_failures_total", channel="email", kind="transient"
        )
        suppressed = notifier.metric("edgarmon_alerts_duplicates_suppressed_total")

    assert mail.rcpt_tos == (ANALYST,)
    assert len(service_sinks.posts_to("#alerts")) == 1  # the retried record did not post again
    assert failures >= 1
    assert suppressed == 0  # the record was not handled again: only its e-mail waited
    assert sorted(e.kafka_key() for e in ledger_entries(records)) == [
        f"{accession(1)}|oncology|#alerts",
        f"{accession(1)}|oncology|{ANALYST}",
    ]
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [1]


async def test_a_restarted_notifier_rebuilds_the_ledger_and_sends_nothing_twice(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, ROUTES)
    await create_notifier_topics(settings)
    async with running_notifier(settings):
        await publish_classified(settings, clinical_8k(1))
        async with asyncio.timeout(20):
            await service_sinks.smtp.wait_for_messages(1)
        await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 2)

    # A new group reads the topic from the start: only the ledger stands between it
    # and sending the alert again.
    fresh_group = settings.model_copy(update={"notifier_group_id": f"again-{unique}"})
    async with running_notifier(fresh_group) as again:
        await publish_classified(settings, amended_8k(2))
        async with asyncio.timeout(20):
            await service_sinks.slack.wait_for_posts(2)
        await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 3)

    assert [post.channel for post in service_sinks.slack.posts] == ["#alerts", "#marker"]
    assert len(service_sinks.smtp.messages) == 1
    assert again.metric("edgarmon_alerts_duplicates_suppressed_total") == 2
    assert again.metric("edgarmon_sent_ledger_entries") == 3  # two rebuilt, and the marker's


async def test_digest_alerts_wait_for_the_interval_hold_commits_and_survive_a_restart(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    routes = (
        ROUTES
        + """
  - name: eightk-digest
    match: {forms: [8-K], amendments: exclude}
    deliver: {slack: ["#digest"], email: [desk@example.com]}
    digest: {interval: 1h}
"""
    )
    settings = notifier_settings(
        kafka_bootstrap, unique, service_sinks, routes, digest_flush_on_shutdown=False
    )
    await create_notifier_topics(settings)
    wall = ManualClock(start=time.time())
    async with running_notifier(settings, wall=wall) as first:
        await publish_classified(settings, plain_8k(1), plain_8k(2), amended_8k(3))
        async with asyncio.timeout(20):
            await service_sinks.slack.wait_for_posts(1)
        held = first.metric("edgarmon_digest_alerts_held")
    assert held == 4  # two filings, two destinations
    assert [post.channel for post in service_sinks.slack.posts] == ["#marker"]
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [0]  # the held records keep the commit back, though the marker was handled

    # Stopped without sending: the restarted notifier is handed the held records again.
    async with running_notifier(settings, wall=wall) as second:
        await publish_classified(settings, amended_8k(4))
        async with asyncio.timeout(20):
            await service_sinks.slack.wait_for_posts(2)
        assert second.metric("edgarmon_digest_alerts_held") == 4
        assert second.metric("edgarmon_alerts_duplicates_suppressed_total") == 1
        wall.now += 3600
        async with asyncio.timeout(20):
            await service_sinks.slack.wait_for_posts(3)
            (mail,) = await service_sinks.smtp.wait_for_messages(1)
        records = await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 6)

    (digest,) = service_sinks.posts_to("#digest")
    assert digest.metadata["event_payload"]["accession_numbers"] == [accession(1), accession(2)]
    assert mail.rcpt_tos == ("desk@example.com",)
    entries = ledger_entries(records)
    assert sorted(e.kafka_key() for e in entries if e.digest) == sorted(
        f"{accession(n)}|eightk-digest|{where}"
        for n in (1, 2)
        for where in ("#digest", "desk@example.com")
    )
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [4]


async def test_a_full_digest_that_fails_permanently_dead_letters_its_records_and_frees_the_commit(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    routes = """
routes:
  - name: lost-digest
    match: {forms: [8-K]}
    deliver: {slack: ["#missing"]}
    digest: {interval: 1d, max_alerts: 2}
"""
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, routes)
    await create_notifier_topics(settings)
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, plain_8k(1), plain_8k(2))
        letters = dead_letters(
            await wait_for_records(kafka_bootstrap, settings.topic_deadletter, 2)
        )

    assert [(letter.accession_number, letter.source_offset) for letter in letters] == [
        (accession(1), 0),
        (accession(2), 1),
    ]
    assert {letter.reason for letter in letters} == {
        "slack: channel_not_found (route lost-digest -> slack #missing)"
    }
    assert service_sinks.slack.posts == ()
    assert notifier.metric("edgarmon_digest_alerts_held") == 0
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [2]


async def test_a_digest_that_fails_for_now_is_sent_again_later_once(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    routes = """
routes:
  - name: eightk-digest
    match: {forms: [8-K]}
    deliver: {slack: ["#digest"]}
    digest: {interval: 1d, max_alerts: 1}
"""
    settings = notifier_settings(kafka_bootstrap, unique, service_sinks, routes)
    await create_notifier_topics(settings)
    # Two dispatcher attempts of three requests each (slack_sdk retries a 503 twice).
    service_sinks.slack.fail_next(SlackFault(status=503), times=6)
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, plain_8k(1))
        async with asyncio.timeout(20):
            (post,) = await service_sinks.slack.wait_for_posts(1)
        (entry,) = ledger_entries(
            await wait_for_records(kafka_bootstrap, settings.topic_alerts_sent, 1)
        )

    assert service_sinks.slack.rejected == {"http_503": 6}
    assert post.metadata["event_payload"]["accession_numbers"] == [accession(1)]
    assert entry.digest
    assert entry.reference == post.ts
    assert notifier.metric("edgarmon_alert_failures_total", channel="slack", kind="transient") == 1
    assert notifier.metric("edgarmon_digests_sent_total", channel="slack") == 1
    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [1]
