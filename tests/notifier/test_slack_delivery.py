"""Posting to the local Slack-compatible server through slack_sdk's AsyncWebClient."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from edgarmon.core.domain.errors import PermanentDeliveryError, TransientDeliveryError
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.adapters.channel_rate_limit import ChannelRateLimiter
from edgarmon.notifier.adapters.delivery_retry import DeliveryRetryPolicy, retry_transient
from edgarmon.notifier.adapters.slack_retry import SlackRetryPolicy
from edgarmon.notifier.adapters.slack_sender import (
    SlackRateLimited,
    SlackSender,
    build_slack_client,
    classify_slack_error,
)
from edgarmon.notifier.domain.alert_view import build_alert_view
from edgarmon.notifier.domain.slack_blocks import SlackMessage, render_alert
from edgarmon.notifier.domain.tickers import TickerMap
from edgarmon.sinks.slack_server import SlackFault, SlackSink
from edgarmon.testing.clock import ManualClock

TOKEN = "xoxb-test-token"
POLICY = SlackRetryPolicy(
    connection_retries=2, rate_limit_retries=2, server_error_retries=2, backoff_seconds=0.5
)


@pytest.fixture
async def slack() -> AsyncIterator[SlackSink]:
    async with SlackSink(
        token=TOKEN, channels={"#alerts", "C0123456789", "#old"}, archived={"#old"}
    ) as sink:
        yield sink


def sender_for(url: str, sdk_time: ManualClock, token: str = TOKEN) -> SlackSender:
    client = build_slack_client(
        api_url=url, token=SecretStr(token), timeout_seconds=5, policy=POLICY, sleep=sdk_time.sleep
    )
    limiter_time = ManualClock()
    limiter = ChannelRateLimiter(interval=1.0, clock=limiter_time.clock, sleep=limiter_time.sleep)
    return SlackSender(client, limiter)


def simple(channel: str = "#alerts", text: str = "hello", blocks: int = 0) -> SlackMessage:
    return SlackMessage(
        channel=channel,
        text=text,
        blocks=tuple({"type": "divider"} for _ in range(blocks)),
        metadata={"event_type": "t", "event_payload": {"accession_number": "x"}},
    )


async def test_a_rendered_alert_is_accepted_with_its_metadata(
    slack: SlackSink, eight_k: FilingClassified, tickers: TickerMap, fake_time: ManualClock
) -> None:
    view = build_alert_view(eight_k, route="r", tickers=tickers, link_hosts=("www.sec.gov",))
    ts = await sender_for(slack.api_url, fake_time).send(render_alert(view, "#alerts"))
    async with asyncio.timeout(5):
        (post,) = await slack.wait_for_posts(1)
    assert post.ts == ts
    assert post.channel == "#alerts"
    assert post.metadata["event_payload"]["accession_number"] == eight_k.filing.accession_number
    assert post.blocks[0]["text"]["text"] == "ImmunoGen, Inc. (IMGN) · 8-K"
    assert "ImmunoGen" in post.text


async def test_429_is_retried_after_retry_after(slack: SlackSink, fake_time: ManualClock) -> None:
    slack.fail_next(SlackFault(status=429, retry_after=7))
    await sender_for(slack.api_url, fake_time).send(simple())
    assert fake_time.sleeps == [7.0]
    assert slack.rejected == {"ratelimited": 1}
    assert len(slack.posts) == 1


async def test_a_long_retry_after_is_left_to_the_caller(
    slack: SlackSink, fake_time: ManualClock
) -> None:
    slack.fail_next(SlackFault(status=429, retry_after=120))
    with pytest.raises(SlackRateLimited) as caught:
        await sender_for(slack.api_url, fake_time).send(simple())
    assert caught.value.retry_after == 120.0
    assert fake_time.sleeps == []
    assert slack.posts == ()


async def test_5xx_is_retried_with_backoff(slack: SlackSink, fake_time: ManualClock) -> None:
    slack.fail_next(SlackFault(status=500))
    slack.fail_next(SlackFault(status=503))
    await sender_for(slack.api_url, fake_time).send(simple())
    assert fake_time.sleeps == [0.5, 1.0]
    assert len(slack.posts) == 1
    assert slack.requests == 3


async def test_5xx_that_persists_is_transient(slack: SlackSink, fake_time: ManualClock) -> None:
    slack.fail_next(SlackFault(status=502), times=3)
    with pytest.raises(TransientDeliveryError, match="HTTP 502"):
        await sender_for(slack.api_url, fake_time).send(simple())
    assert slack.requests == 3


@pytest.mark.parametrize(
    ("message", "token", "reason"),
    [
        (simple("#nowhere"), TOKEN, "channel_not_found"),
        (simple("#old"), TOKEN, "is_archived"),
        (simple(), "xoxb-wrong", "invalid_auth"),
        (simple(text="x" * 40_001), TOKEN, "msg_too_long"),
        (simple(blocks=51), TOKEN, "invalid_blocks"),
    ],
)
async def test_permanent_errors_are_not_retried(
    slack: SlackSink, fake_time: ManualClock, message: SlackMessage, token: str, reason: str
) -> None:
    with pytest.raises(PermanentDeliveryError) as caught:
        await sender_for(slack.api_url, fake_time, token).send(message)
    assert caught.value.reason == f"slack: {reason}"
    assert slack.requests == 1
    assert fake_time.sleeps == []


async def test_no_text_is_permanent(slack: SlackSink, fake_time: ManualClock) -> None:
    sender = sender_for(slack.api_url, fake_time)
    with pytest.warns(UserWarning, match="text"), pytest.raises(PermanentDeliveryError) as caught:
        await sender.send(simple(text=""))
    assert caught.value.reason == "slack: no_text"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("not_in_channel", PermanentDeliveryError),
        ("brand_new_error", PermanentDeliveryError),
        ("internal_error", TransientDeliveryError),
        ("service_unavailable", TransientDeliveryError),
    ],
)
async def test_ok_false_errors_are_classified(
    slack: SlackSink, fake_time: ManualClock, error: str, kind: type[Exception]
) -> None:
    slack.fail_next(SlackFault(status=200, error=error))
    with pytest.raises(kind, match=error):
        await sender_for(slack.api_url, fake_time).send(simple())


async def test_an_unreachable_slack_is_transient(fake_time: ManualClock) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = sender_for(f"http://127.0.0.1:{port}/api/", fake_time)
    with pytest.raises(TransientDeliveryError, match="unreachable"):
        await sender.send(simple())
    assert fake_time.sleeps == [0.5, 1.0]


async def test_the_sender_spaces_messages_to_one_channel(slack: SlackSink) -> None:
    client = build_slack_client(
        api_url=slack.api_url, token=SecretStr(TOKEN), timeout_seconds=5, policy=POLICY
    )
    limiter_time = ManualClock()
    limiter = ChannelRateLimiter(interval=1.0, clock=limiter_time.clock, sleep=limiter_time.sleep)
    sender = SlackSender(client, limiter)
    for channel in ("#alerts", "#alerts", "C0123456789", "#alerts"):
        await sender.send(simple(channel))
    assert limiter_time.sleeps == [1.0, 1.0]
    assert [post.channel for post in slack.posts] == [
        "#alerts",
        "#alerts",
        "C0123456789",
        "#alerts",
    ]


async def test_retry_transient_delivers_after_an_outage(
    slack: SlackSink, fake_time: ManualClock
) -> None:
    slack.fail_next(SlackFault(status=503), times=3)
    sender = sender_for(slack.api_url, fake_time)
    outer = ManualClock()
    policy = DeliveryRetryPolicy(attempts=3, backoff_seconds=2.0)
    ts = await retry_transient(lambda: sender.send(simple()), policy=policy, sleep=outer.sleep)
    assert outer.sleeps == [2.0]
    assert [post.ts for post in slack.posts] == [ts]


async def test_retry_transient_gives_up_and_stops_at_permanent(
    slack: SlackSink, fake_time: ManualClock
) -> None:
    sender = sender_for(slack.api_url, fake_time)
    outer = ManualClock()
    policy = DeliveryRetryPolicy(attempts=2, backoff_seconds=1.0)
    slack.fail_next(SlackFault(status=429, retry_after=300), times=2)
    with pytest.raises(SlackRateLimited):
        await retry_transient(lambda: sender.send(simple()), policy=policy, sleep=outer.sleep)
    assert outer.sleeps == [300.0], "the Retry-After hint stretches the backoff"
    with pytest.raises(PermanentDeliveryError):
        await retry_transient(
            lambda: sender.send(simple("#nowhere")), policy=policy, sleep=outer.sleep
        )
    assert outer.sleeps == [300.0]


def test_retry_after_is_read_in_any_case() -> None:
    error = classify_slack_error(429, {"ok": False, "error": "ratelimited"}, {"retry-after": "9"})
    assert isinstance(error, SlackRateLimited)
    assert error.retry_after == 9.0
