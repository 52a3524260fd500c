"""The local sinks behave as Slack and an authenticated SMTP server are documented to."""

from __future__ import annotations

import asyncio
import json
import logging
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import aiohttp
import aiosmtplib
import pytest
import trustme

from edgarmon.sinks.console import describe_mail, describe_slack_post
from edgarmon.sinks.slack_server import SlackPost, SlackSink
from edgarmon.sinks.smtp_server import ReceivedMail, SmtpSink
from edgarmon.sinks.throwaway_tls import ThrowawayTls

TOKEN = "xoxb-sink"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def call(
    sink: SlackSink, method: str, *, headers: dict[str, str] | None = None, **body: object
) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sink.api_url}{method}", json=body, headers=headers or {}) as response,
    ):
        return response.status, await response.json()


async def test_slack_sink_auth_channels_and_methods() -> None:
    async with SlackSink(token=TOKEN, channels={"#a"}) as sink:
        assert await call(sink, "chat.postMessage", channel="#a", text="x") == (
            200,
            {"ok": False, "error": "not_authed"},
        )
        status, answer = await call(sink, "chat.postMessage", headers=AUTH, channel="a", text="x")
        assert (status, answer["ok"]) == (200, True)
        assert await call(sink, "conversations.list", headers=AUTH) == (
            404,
            {"ok": False, "error": "unknown_method"},
        )
        assert sink.rejected == {"not_authed": 1, "unknown_method": 1}
        assert sink.requests == 3


async def test_slack_sink_can_leave_a_request_unanswered_as_if_lost_in_flight() -> None:
    async with SlackSink(token=TOKEN, channels={"#a"}) as sink:
        sink.hang_after(1)
        assert (await call(sink, "chat.postMessage", headers=AUTH, channel="#a", text="1"))[
            0
        ] == 200
        lost = asyncio.create_task(
            call(sink, "chat.postMessage", headers=AUTH, channel="#a", text="2")
        )
        async with asyncio.timeout(5):
            assert await sink.wait_for_hanging(1) == 1
        assert not lost.done()
    assert await asyncio.wait_for(lost, timeout=5) == (503, {"ok": False, "error": "sink_closed"})
    assert [post.text for post in sink.posts] == ["1"]


async def test_slack_sink_takes_form_bodies_and_records_them(tmp_path: Path) -> None:
    echoed: list[SlackPost] = []
    jsonl = tmp_path / "slack.jsonl"
    async with SlackSink(
        token=TOKEN, channels={"C1234567"}, echo=echoed.append, jsonl_path=jsonl
    ) as sink:
        form = {
            "token": TOKEN,
            "channel": "C1234567",
            "text": "fallback",
            "blocks": json.dumps([{"type": "divider"}]),
            "metadata": json.dumps({"event_type": "t", "event_payload": {"accession_number": "a"}}),
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{sink.api_url}chat.postMessage", data=form) as response,
        ):
            answer = await response.json()
        assert answer["ok"] is True
        async with asyncio.timeout(5):
            (post,) = await sink.wait_for_posts(1)
    assert post.blocks == [{"type": "divider"}]
    assert post.metadata["event_payload"] == {"accession_number": "a"}
    assert "token" not in post.body, "the token is not kept"
    assert echoed == [post]
    (line,) = jsonl.read_text().splitlines()
    assert json.loads(line)["ts"] == answer["ts"] == post.ts


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"channel": "#a"}, "no_text"),
        (
            {
                "channel": "#a",
                "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}],
            },
            "invalid_blocks",
        ),
        ({"channel": "#a", "blocks": [{"type": "section"}]}, "invalid_blocks"),
        ({"channel": "#a", "blocks": "{not json"}, "invalid_blocks_format"),
        (
            {"channel": "#a", "text": "t", "metadata": {"event_type": "x"}},
            "invalid_metadata_format",
        ),
        (
            {
                "channel": "#a",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2999}}] * 5,
            },
            "msg_blocks_too_long",
        ),
    ],
)
async def test_slack_sink_enforces_message_rules(body: dict[str, object], error: str) -> None:
    async with SlackSink(token=TOKEN, channels={"#a"}) as sink:
        assert await call(sink, "chat.postMessage", headers=AUTH, **body) == (
            200,
            {"ok": False, "error": error},
        )
        assert sink.posts == ()


async def test_smtp_sink_requires_starttls_then_auth(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tls = ThrowawayTls.from_ca(trustme.CA())
    echoed: list[ReceivedMail] = []
    async with SmtpSink(
        tls=tls, username="u", password="p", echo=echoed.append, eml_dir=tmp_path
    ) as sink:
        message = "Subject: hi\r\n\r\nbody\r\n"
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=sink.port, start_tls=False, timeout=5)
        async with client:
            with pytest.raises(aiosmtplib.SMTPResponseException) as before_tls:
                await client.sendmail("a@example.com", ["b@example.com"], message)
            assert before_tls.value.code == 530
        client = aiosmtplib.SMTP(
            hostname="127.0.0.1", port=sink.port, tls_context=tls.client_context, timeout=5
        )
        async with client:
            with pytest.raises(aiosmtplib.SMTPResponseException) as before_auth:
                await client.sendmail("a@example.com", ["b@example.com"], message)
            assert before_auth.value.code == 530
            await client.login("u", "p")
            await client.sendmail("a@example.com", ["b@example.com"], message)
        (mail,) = sink.messages
    assert mail.over_tls
    assert mail.authenticated
    assert echoed == [mail]
    assert (tmp_path / "00001.eml").read_bytes() == mail.data
    assert mail.message["Subject"] == "hi"
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [], "a successful AUTH logs no aiosmtpd deprecation warning"


async def test_a_subject_folded_onto_its_own_line_reads_without_the_folding_space() -> None:
    """Python folds a 70-77 character subject as ``Subject:`` CRLF `` [edgarmon] ...``;
    the sink reads (and the demo prints) it as a mail client shows it: one space."""
    subject = "[edgarmon] SEC correspondence: ABBVIE (ABBV) CORRESP - 0001104659-18-032238"
    outgoing = EmailMessage(policy=SMTP)
    outgoing["From"], outgoing["To"], outgoing["Subject"] = "a@example.com", "b@x.com", subject
    outgoing.set_content("body")
    async with SmtpSink(username=None, password="") as sink:
        await aiosmtplib.send(outgoing, hostname=sink.host, port=sink.port, timeout=5)
        (mail,) = await asyncio.wait_for(sink.wait_for_messages(1), 5)
    assert f"Subject:\r\n {subject}\r\n".encode() in mail.data, "folded as the cause says"
    assert mail.message["Subject"] == subject
    assert f"  Subject: {subject}" in describe_mail(mail).splitlines()


def test_auth_without_tls_is_refused() -> None:
    with pytest.raises(ValueError, match="AUTH needs STARTTLS"):
        SmtpSink(tls=None, username="u", password="p")


def test_console_summaries_are_readable_and_inert() -> None:
    post = SlackPost(
        channel="#a",
        ts="1.000001",
        body={
            "text": "t",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "Evil &amp; Co"}},
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": "<https://www.sec.gov/x|Filing index>"},
                },
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": "bell \x07 esc \x1b["}],
                },
            ],
        },
    )
    assert describe_slack_post(post).splitlines() == [
        "[slack #a ts=1.000001]",
        "  Evil & Co",
        "  Filing index (https://www.sec.gov/x)",
        "  bell ? esc ?[",
    ]
    mail = ReceivedMail(
        mail_from="a@example.com",
        rcpt_tos=("b@example.com",),
        data=b"Subject: hi\r\nMessage-ID: <1@example.com>\r\n\r\nline one\r\nline two\r\n",
        authenticated=True,
        over_tls=True,
    )
    assert describe_mail(mail).splitlines() == [
        "[mail to b@example.com (tls=True, auth=True)]",
        "  Subject: hi",
        "  Message-ID: <1@example.com>",
        "  | line one",
        "  | line two",
    ]
