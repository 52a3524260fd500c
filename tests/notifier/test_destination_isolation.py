"""One destination's outage holds back only its own alerts (issue 11, part 3).

The real broker, the Slack sink and aiosmtpd: the mail server is down while a stream
routed to Slack and e-mail goes through. Every Slack alert goes out during the
outage; the e-mails wait in their own queue, the commit never passes a record whose
e-mail is not sent, and once the server is back every e-mail goes out, once.
"""

from __future__ import annotations

import asyncio

import pytest

from edgarmon.core.domain.messages import FilingClassified
from edgarmon.sinks.smtp_server import SmtpSink
from edgarmon.testing.kafka_io import committed_offsets, wait_for_records
from tests.notifier.notifier_harness import (
    ANALYST,
    SMTP_PASSWORD,
    SMTP_USER,
    ServiceSinks,
    accession,
    amended_8k,
    clinical_8k,
    create_notifier_topics,
    ledger_entries,
    notifier_settings,
    publish_classified,
    running_notifier,
)

pytestmark = pytest.mark.kafka

ROUTES = """
routes:
  - name: oncology
    match: {labels: [clinical_update]}
    deliver: {slack: ["#alerts"], email: [analyst@example.com]}
  - name: desk
    match: {forms: [8-K], amendments: only}
    deliver: {slack: ["#desk"]}
"""
FILINGS = 24


def stream() -> list[FilingClassified]:
    """Every third filing is a clinical update (Slack and e-mail); the rest are 8-K/As,
    for Slack only."""
    return [clinical_8k(n) if n % 3 == 0 else amended_8k(n) for n in range(FILINGS)]


async def test_smtp_down_delays_only_the_e_mails_and_every_one_goes_out_once_it_is_back(
    kafka_bootstrap: str, unique: str, service_sinks: ServiceSinks
) -> None:
    refused = 0

    async def refuse(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal refused
        refused += 1
        writer.close()

    down = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = int(down.sockets[0].getsockname()[1])
    settings = notifier_settings(
        kafka_bootstrap, unique, service_sinks, ROUTES, smtp_port=port, delivery_attempts=1
    )
    await create_notifier_topics(settings)
    filings = stream()
    clinical = [f for n, f in enumerate(filings) if n % 3 == 0]
    async with running_notifier(settings) as notifier:
        await publish_classified(settings, *filings)
        # Every Slack alert goes out while the mail server refuses every connection.
        async with asyncio.timeout(30):
            posts = await service_sinks.slack.wait_for_posts(FILINGS)
        assert refused >= 1
        assert notifier.metric("edgarmon_alerts_queued") >= 1  # the e-mails wait
        # The first clinical filing's e-mail is not sent: nothing from it on is committed.
        assert await committed_offsets(
            kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
        ) == [0]

        down.close()
        await down.wait_closed()
        async with SmtpSink(
            tls=service_sinks.tls, username=SMTP_USER, password=SMTP_PASSWORD, port=port
        ) as smtp:
            async with asyncio.timeout(30):
                mails = await smtp.wait_for_messages(len(clinical))
            records = await wait_for_records(
                kafka_bootstrap, settings.topic_alerts_sent, FILINGS + len(clinical)
            )

    assert await committed_offsets(
        kafka_bootstrap, settings.notifier_group_id, settings.topic_classified, 1
    ) == [FILINGS]  # all released, committed on the way out
    posted = sorted(
        (post.channel, post.metadata["event_payload"]["accession_number"]) for post in posts
    )
    assert posted == sorted(
        ("#alerts" if n % 3 == 0 else "#desk", accession(n)) for n in range(FILINGS)
    )
    assert len(service_sinks.slack.posts) == FILINGS, "no Slack alert twice"
    assert len(mails) == len(clinical), "no e-mail twice"
    assert all(mail.rcpt_tos == (ANALYST,) for mail in mails)
    keys = [entry.kafka_key() for entry in ledger_entries(records)]
    assert len(keys) == len(set(keys)) == FILINGS + len(clinical)
