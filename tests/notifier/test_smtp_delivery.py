"""Sending alerts through the aiosmtpd sink with STARTTLS and AUTH."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from pydantic import SecretStr

from edgarmon.core.domain.errors import PermanentDeliveryError, TransientDeliveryError
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.adapters.delivery_retry import DeliveryRetryPolicy, retry_transient
from edgarmon.notifier.adapters.email_sender import EmailSender, SmtpConfig
from edgarmon.notifier.domain.alert_view import build_alert_view
from edgarmon.notifier.domain.email_render import render_alert_email
from edgarmon.notifier.domain.tickers import TickerMap
from edgarmon.sinks.smtp_server import SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls
from edgarmon.testing.clock import ManualClock

USER = "edgarmon"
PASSWORD = "correct horse battery staple"
RECIPIENT = "analyst@example.com"


@pytest.fixture
async def smtp(tls: ThrowawayTls) -> AsyncIterator[SmtpSink]:
    async with SmtpSink(tls=tls, username=USER, password=PASSWORD) as sink:
        yield sink


def config(port: int, context: ssl.SSLContext | None, password: str = PASSWORD) -> SmtpConfig:
    return SmtpConfig(
        host="127.0.0.1",
        port=port,
        username=USER,
        password=SecretStr(password),
        starttls=True,
        timeout_seconds=10,
        tls_context=context,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def alert(eight_k: FilingClassified, tickers: TickerMap) -> EmailMessage:
    view = build_alert_view(eight_k, route="r", tickers=tickers, link_hosts=("www.sec.gov",))
    return render_alert_email(
        view,
        sender="edgarmon <alerts@example.com>",
        recipient=RECIPIENT,
        domain="example.com",
        date=datetime(2024, 6, 3, tzinfo=UTC),
    )


async def test_an_alert_goes_over_starttls_with_auth(
    smtp: SmtpSink, tls: ThrowawayTls, alert: EmailMessage
) -> None:
    message_id = await EmailSender(config(smtp.port, tls.client_context)).send(alert)
    async with asyncio.timeout(5):
        (mail,) = await smtp.wait_for_messages(1)
    assert mail.over_tls
    assert mail.authenticated
    assert mail.rcpt_tos == (RECIPIENT,)
    assert mail.mail_from == "alerts@example.com"
    assert mail.message["Message-ID"] == message_id == "<0001104659-07-076958.r@example.com>"
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.message["Auto-Submitted"] == "auto-generated"


async def test_a_wrong_password_is_refused_at_once(
    smtp: SmtpSink, tls: ThrowawayTls, alert: EmailMessage
) -> None:
    sender = EmailSender(config(smtp.port, tls.client_context, password="wrong"))
    async with asyncio.timeout(8):  # the aiosmtpd trap would hang until the client's timeout
        with pytest.raises(PermanentDeliveryError, match="SMTPAuthenticationError 535"):
            await sender.send(alert)
    assert smtp.auth_failures >= 1  # aiosmtplib tries each offered mechanism
    assert smtp.messages == ()


async def test_mail_never_goes_in_clear_or_to_an_untrusted_server(
    tls: ThrowawayTls, alert: EmailMessage
) -> None:
    async with SmtpSink(tls=None, username=None, password="") as plain:
        with pytest.raises(TransientDeliveryError):
            await EmailSender(config(plain.port, tls.client_context)).send(alert)
        assert plain.messages == ()
    async with SmtpSink(tls=tls, username=USER, password=PASSWORD) as sink:
        untrusting = ssl.create_default_context()
        with pytest.raises(TransientDeliveryError):
            await EmailSender(config(sink.port, untrusting)).send(alert)
        assert sink.messages == ()


async def test_smtp_down_then_up_delivers_the_alert(tls: ThrowawayTls, alert: EmailMessage) -> None:
    port = free_port()
    sender = EmailSender(config(port, tls.client_context))
    waits: list[float] = []
    async with contextlib.AsyncExitStack() as stack:
        sinks: list[SmtpSink] = []

        async def start_the_server_while_waiting(seconds: float) -> None:
            waits.append(seconds)
            if not sinks:
                sink = SmtpSink(tls=tls, username=USER, password=PASSWORD, port=port)
                sinks.append(await stack.enter_async_context(sink))

        policy = DeliveryRetryPolicy(attempts=3, backoff_seconds=1.5)
        message_id = await retry_transient(
            lambda: sender.send(alert), policy=policy, sleep=start_the_server_while_waiting
        )
        assert waits == [1.5]
        (mail,) = sinks[0].messages
        assert mail.message["Message-ID"] == message_id


async def test_a_4xx_answer_is_transient_and_retried(
    smtp: SmtpSink, tls: ThrowawayTls, alert: EmailMessage
) -> None:
    smtp.answer_next("451 4.3.0 Try again later")
    sender = EmailSender(config(smtp.port, tls.client_context))
    with pytest.raises(TransientDeliveryError, match="451"):
        await sender.send(alert)
    clock = ManualClock()
    policy = DeliveryRetryPolicy(attempts=3, backoff_seconds=1.0)
    smtp.answer_next("451 4.3.0 Try again later")
    await retry_transient(lambda: sender.send(alert), policy=policy, sleep=clock.sleep)
    assert clock.sleeps == [1.0]
    assert len(smtp.messages) == 1


async def test_an_unknown_recipient_is_permanent(tls: ThrowawayTls, alert: EmailMessage) -> None:
    async with SmtpSink(
        tls=tls, username=USER, password=PASSWORD, unknown_recipients={RECIPIENT}
    ) as sink:
        with pytest.raises(PermanentDeliveryError, match="recipients refused"):
            await EmailSender(config(sink.port, tls.client_context)).send(alert)
        assert sink.messages == ()
