"""The per-channel rate limiter, on an injected clock."""

from __future__ import annotations

import asyncio

import pytest

from edgarmon.notifier.adapters.channel_rate_limit import ChannelRateLimiter
from edgarmon.testing.clock import ManualClock


async def test_one_message_per_second_per_channel(fake_time: ManualClock) -> None:
    limiter = ChannelRateLimiter(interval=1.0, clock=fake_time.clock, sleep=fake_time.sleep)
    start = fake_time.now
    sent_at = []
    for _ in range(4):
        await limiter.acquire("#a")
        sent_at.append(fake_time.now - start)
    assert sent_at == [0.0, 1.0, 2.0, 3.0]
    assert fake_time.sleeps == [1.0, 1.0, 1.0]


async def test_channels_do_not_wait_for_each_other(fake_time: ManualClock) -> None:
    limiter = ChannelRateLimiter(interval=1.0, clock=fake_time.clock, sleep=fake_time.sleep)
    for channel in ("#a", "#b", "#c"):
        assert await limiter.acquire(channel) == 0.0
    assert fake_time.sleeps == []
    assert await limiter.acquire("#a") == 1.0


async def test_quiet_time_is_not_saved_up_beyond_the_burst(fake_time: ManualClock) -> None:
    limiter = ChannelRateLimiter(
        interval=1.0, burst=2, clock=fake_time.clock, sleep=fake_time.sleep
    )
    assert [limiter.reserve("#a") for _ in range(3)] == [0.0, 0.0, 1.0]
    fake_time.now += 60.0
    assert [limiter.reserve("#a") for _ in range(3)] == [0.0, 0.0, 1.0]


async def test_concurrent_senders_queue_in_order(fake_time: ManualClock) -> None:
    limiter = ChannelRateLimiter(interval=1.0, clock=fake_time.clock, sleep=fake_time.sleep)
    start = fake_time.now

    async def send(name: str) -> tuple[str, float]:
        await limiter.acquire("#a")
        return name, fake_time.now - start

    finished = await asyncio.gather(send("a"), send("b"), send("c"))
    assert list(finished) == [("a", 0.0), ("b", 1.0), ("c", 2.0)]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="burst"):
        ChannelRateLimiter(interval=1.0, burst=0)
