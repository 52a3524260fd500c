"""From a classified filing to messages in both sinks, with ledger records."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from pydantic import SecretStr

from edgarmon.core.domain.errors import ConfigurationError, PermanentDeliveryError
from edgarmon.core.domain.messages import AlertChannel, FilingClassified
from edgarmon.notifier.adapters.dispatch import AlertDispatcher, AlertRenderError, build_dispatcher
from edgarmon.notifier.domain.digest import DigestBook
from edgarmon.notifier.domain.routes import DigestPolicy, parse_routes
from edgarmon.notifier.domain.sent_ledger import SentLedger
from edgarmon.notifier.domain.tickers import TickerMap
from edgarmon.notifier.route_loading import Routing
from edgarmon.notifier.settings import NotifierSettings
from edgarmon.sinks.slack_server import SlackSink
from edgarmon.sinks.smtp_server import SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls
from edgarmon.testing.clock import ManualClock

TOKEN = "xoxb-dispatch"
ROUTES = {
    "routes": [
        {
            "name": "oncology",
            "match": {"labels": ["clinical_update"]},
            "deliver": {"slack": ["#oncology"], "email": ["analyst@example.com"]},
        },
        {
            "name": "all-8k",
            "match": {"forms": ["8-K"]},
            "deliver": {"slack": ["#firehose"]},
            "digest": {"interval": "1h"},
        },
    ]
}


@dataclass
class Sinks:
    slack: SlackSink
    smtp: SmtpSink
    settings: NotifierSettings


@pytest.fixture
async def sinks(tmp_path: Path) -> AsyncIterator[Sinks]:
    tls = ThrowawayTls.from_ca(trustme.CA())
    ca_file = tls.write_ca(tmp_path / "ca.pem")
    async with (
        SlackSink(token=TOKEN, channels={"#oncology", "#firehose"}) as slack,
        SmtpSink(tls=tls, username="u", password="p") as smtp,
    ):
        settings = NotifierSettings(
            routes_file=tmp_path / "unused.yaml",
            slack_api_url=slack.api_url,
            slack_bot_token=SecretStr(TOKEN),
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_username="u",
            smtp_password=SecretStr("p"),
            smtp_from="edgarmon <alerts@example.com>",
            smtp_ca_file=ca_file,
        )
        yield Sinks(slack=slack, smtp=smtp, settings=settings)


def routing(tickers: TickerMap) -> Routing:
    default = DigestPolicy(interval_seconds=60, max_alerts=50)
    return Routing.of(parse_routes(ROUTES, tickers=tickers, default_digest=default), tickers)


def dispatcher(sinks: Sinks, tickers: TickerMap) -> AlertDispatcher:
    time = ManualClock()
    return build_dispatcher(sinks.settings, routing(tickers), clock=time.clock, sleep=time.sleep)


async def test_a_filing_reaches_slack_and_email_and_is_recorded(
    sinks: Sinks, eight_k: FilingClassified, tickers: TickerMap
) -> None:
    alerts = dispatcher(sinks, tickers)
    plan = alerts.routing.plan(eight_k)
    assert {(d.route, d.destination, d.digest) for d in plan} == {
        ("oncology", "#oncology", False),
        ("oncology", "analyst@example.com", False),
        ("all-8k", "#firehose", True),
    }
    ledger = SentLedger()
    for delivery in (d for d in plan if not d.digest):
        ledger.record(await alerts.deliver(delivery, eight_k))

    async with asyncio.timeout(5):
        (post,) = await sinks.slack.wait_for_posts(1)
        (mail,) = await sinks.smtp.wait_for_messages(1)
    slack_record = ledger.get(f"{eight_k.filing.accession_number}|oncology|#oncology")
    email_record = ledger.get(f"{eight_k.filing.accession_number}|oncology|analyst@example.com")
    assert slack_record is not None
    assert email_record is not None
    assert slack_record.reference == post.ts
    assert slack_record.channel is AlertChannel.SLACK
    assert email_record.reference == mail.message["Message-ID"]
    assert mail.message["Message-ID"] == f"<{eight_k.filing.accession_number}.oncology@example.com>"
    assert [d.destination for d in ledger.unsent(plan)] == ["#firehose"]


async def test_a_digest_is_one_message_with_a_record_per_filing(
    sinks: Sinks, eight_k: FilingClassified, letter: FilingClassified, tickers: TickerMap
) -> None:
    alerts = dispatcher(sinks, tickers)
    book = DigestBook()
    policy = alerts.routing.route("all-8k").digest
    assert policy is not None
    amended = eight_k.model_copy(
        update={
            "filing": eight_k.filing.model_copy(
                update={"accession_number": "0001104659-07-077001", "form_type": "8-K/A"}
            )
        }
    )
    for classified in (eight_k, amended, letter):
        for delivery in alerts.routing.plan(classified):
            if delivery.digest:
                book.add(delivery, classified, policy, now=0.0)
    (batch,) = book.due(now=3600.0)
    records = await alerts.deliver_digest(batch)
    (post,) = sinks.slack.posts
    assert post.blocks[0]["text"]["text"] == "edgarmon digest · all-8k · 2 filings"
    assert [r.accession_number for r in records] == [
        eight_k.filing.accession_number,
        "0001104659-07-077001",
    ]
    assert all(r.digest and r.reference == post.ts for r in records)


async def test_a_missing_sender_is_a_configuration_error(
    eight_k: FilingClassified, tickers: TickerMap, tmp_path: Path
) -> None:
    settings = NotifierSettings(routes_file=tmp_path / "r.yaml")
    alerts = build_dispatcher(settings, routing(tickers))
    (slack_delivery, *_) = alerts.routing.plan(eight_k)
    with pytest.raises(ConfigurationError, match="EDGARMON_SLACK_BOT_TOKEN"):
        await alerts.deliver(slack_delivery, eight_k)


async def test_a_filing_the_renderer_breaks_on_is_a_permanent_render_error(
    sinks: Sinks, eight_k: FilingClassified, tickers: TickerMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_render(*_args: object, **_kwargs: object) -> object:
        raise LookupError("no such field")

    monkeypatch.setattr("edgarmon.notifier.adapters.dispatch.render_alert", broken_render)
    alerts = dispatcher(sinks, tickers)
    (slack_delivery, *_) = alerts.routing.plan(eight_k)

    with pytest.raises(AlertRenderError, match="LookupError: no such field") as raised:
        await alerts.deliver(slack_delivery, eight_k)
    assert isinstance(raised.value, PermanentDeliveryError)
    assert isinstance(raised.value.__cause__, LookupError)
    assert sinks.slack.requests == 0


async def test_a_bug_while_sending_is_not_reported_as_a_permanent_delivery_failure(
    sinks: Sinks, eight_k: FilingClassified, tickers: TickerMap
) -> None:
    time = ManualClock()

    async def broken_wait(_seconds: float) -> None:
        raise ValueError("a bug in the wait")

    alerts = build_dispatcher(sinks.settings, routing(tickers), clock=time.clock, sleep=broken_wait)
    (slack_delivery, *_) = alerts.routing.plan(eight_k)
    await alerts.deliver(slack_delivery, eight_k)  # the channel's one slot: no wait

    # The second message to the channel waits for the rate limit, which breaks.
    with pytest.raises(ValueError, match="a bug in the wait") as raised:
        await alerts.deliver(slack_delivery, eight_k)
    assert not isinstance(raised.value, PermanentDeliveryError)
    assert len(sinks.slack.posts) == 1
