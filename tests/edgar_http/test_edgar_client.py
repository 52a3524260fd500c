"""The fair-access EDGAR client against the simulated EDGAR over real local HTTP."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry
from pydantic import ValidationError
from structlog.testing import capture_logs

from edgarmon.core.adapters.edgar_budget import RequestBudget
from edgarmon.core.adapters.edgar_http import EdgarClient, open_edgar_client, rebase_sec_url
from edgarmon.core.domain.errors import (
    ConfigurationError,
    DisallowedHost,
    DocumentTooLarge,
    EdgarUnavailable,
    FairAccessBlocked,
    FeedParseError,
)
from edgarmon.simulator.server import RunningSimulator
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.local_http import serving

from .conftest import USER_AGENT, client_settings

FEED = "/cgi-bin/browse-edgar?action=getcurrent&count=100&start=0&type=&owner=include&output=atom"
INDEX_JSON = "/Archives/edgar/data/320193/000114036125000228/index.json"


def _value(registry: CollectorRegistry, name: str, **labels: str) -> float:
    value = registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


@asynccontextmanager
async def edgar_client(
    base_url: str,
    fake_time: ManualClock,
    registry: CollectorRegistry | None = None,
    **overrides: object,
) -> AsyncIterator[EdgarClient]:
    async with aiohttp.ClientSession() as session:
        yield EdgarClient(
            client_settings(base_url, **overrides),
            session,
            registry=registry or CollectorRegistry(),
            clock=fake_time.clock,
            sleep=fake_time.sleep,
        )


@asynccontextmanager
async def tiny_server(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[str]:
    """A one-route local server for answers the simulator has no reason to give."""
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    async with serving(app) as base_url:
        yield base_url


@pytest.mark.parametrize(
    "user_agent",
    ["", "python-requests/2.31", "ops@example.com", "Example Corp", "  x ops@example.com"],
)
async def test_refuses_to_exist_without_a_declared_user_agent(user_agent: str) -> None:
    with pytest.raises(ValidationError, match="EDGARMON_EDGAR_USER_AGENT"):
        client_settings("https://www.sec.gov", edgar_user_agent=user_agent)
    # The client checks again, for settings built without validation.
    settings = client_settings("https://www.sec.gov").model_copy(
        update={"edgar_user_agent": user_agent}
    )
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ConfigurationError, match="EDGARMON_EDGAR_USER_AGENT"):
            EdgarClient(settings, session, registry=CollectorRegistry())
    with pytest.raises(ConfigurationError):
        async with open_edgar_client(settings, registry=CollectorRegistry()):
            pass


async def test_sends_the_declared_user_agent_and_asks_for_gzip(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    seen: list[tuple[str | None, str | None]] = []

    async def echo(request: web.Request) -> web.StreamResponse:
        seen.append((request.headers.get("User-Agent"), request.headers.get("Accept-Encoding")))
        return web.Response(body=gzip.compress(b"hello"), headers={"Content-Encoding": "gzip"})

    async with tiny_server(echo) as base, edgar_client(base, fake_time) as client:
        response = await client.get(base + "/Archives/x.txt")
    assert seen == [(USER_AGENT, "gzip, deflate")]
    assert response.body == b"hello"

    async with edgar_client(simulator.base_url, fake_time) as client:
        feed = await client.get(simulator.base_url + FEED)
    assert feed.headers["Content-Encoding"] == "gzip"
    assert feed.body.startswith(b'<?xml version="1.0" encoding="ISO-8859-1" ?>')


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not gzip at all", "incorrect header check"),
        (b"\x1f\x8b\x08\x00" + b"\xff" * 40, "invalid block type"),
        (gzip.compress(b"hello")[:-8] + bytes(8), "incorrect data check"),
    ],
)
async def test_a_body_that_is_not_valid_gzip_is_one_line_feed_parse_error(
    fake_time: ManualClock, body: bytes, reason: str
) -> None:
    async def garbled(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body, headers={"Content-Encoding": "gzip"})

    registry = CollectorRegistry()
    async with tiny_server(garbled) as base, edgar_client(base, fake_time, registry) as client:
        url = base + "/Archives/x.txt"
        with pytest.raises(FeedParseError) as caught:
            await client.get(url)

    assert str(caught.value) == f"not valid gzip: {reason} ({url})"
    assert not isinstance(caught.value, EdgarUnavailable)  # not retried: it would not help
    assert _value(registry, "edgarmon_edgar_requests_total", status="undecodable") == 1.0


async def test_budget_spaces_requests_at_the_configured_rate(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    started = fake_time.now
    async with edgar_client(simulator.base_url, fake_time, edgar_requests_per_second=2.0) as client:
        await asyncio.gather(*(client.get(simulator.base_url + FEED) for _ in range(5)))
    # one request at once, then one every 1/2 s: five requests take two seconds
    assert fake_time.now - started == pytest.approx(2.0)
    assert all(pause == pytest.approx(0.5) for pause in fake_time.sleeps)
    assert simulator.sim.request_count("/cgi-bin/") == 5


async def test_block_page_silences_every_request_for_the_block_period(
    simulator: RunningSimulator, fake_time: ManualClock, guard_clock: ManualClock
) -> None:
    registry = CollectorRegistry()
    simulator.sim.faults.inject("block")
    url = simulator.base_url + FEED
    async with edgar_client(simulator.base_url, fake_time, registry) as client:
        with capture_logs() as logs:
            with pytest.raises(FairAccessBlocked) as blocked:
                await client.get(url)
            assert blocked.value.until == pytest.approx(fake_time.now + 660.0)
            assert _value(registry, "edgarmon_edgar_block_active") == 1.0
            assert _value(registry, "edgarmon_edgar_blocks_total") == 1.0
            assert simulator.sim.request_count() == 1

            for wait in (1.0, 300.0, 358.0):  # still inside the 660 s quiet period
                fake_time.advance(wait)
                with pytest.raises(FairAccessBlocked):
                    await client.get(url)
            assert simulator.sim.request_count() == 1  # nothing reached EDGAR

            fake_time.advance(2.0)
            guard_clock.advance(700.0)  # EDGAR's own block is over too
            response = await client.get(url)
        assert response.status == 200
        assert _value(registry, "edgarmon_edgar_block_active") == 0.0
    assert simulator.sim.request_count() == 2
    block_lines = [entry["event"] for entry in logs if "block" in entry["event"]]
    assert len(block_lines) == 2  # one line when it starts, one when it ends
    assert "sending no requests" in block_lines[0]


async def test_requests_waiting_their_turn_are_not_sent_into_a_block(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    """Several sources ask at once; the first answer is the block page. The others
    were waiting for the first one's status, so none of them reaches EDGAR."""
    simulator.sim.faults.inject("block")
    url = simulator.base_url + FEED
    async with edgar_client(
        simulator.base_url, fake_time, edgar_requests_per_second=10.0
    ) as client:
        results = await asyncio.gather(*(client.get(url) for _ in range(5)), return_exceptions=True)
    assert all(isinstance(result, FairAccessBlocked) for result in results)
    assert simulator.sim.request_count() == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (429, b"Too Many Requests"),
        (403, b"Forbidden"),
        (200, b"<title>SEC.gov | Request Rate Threshold Exceeded</title>"),
    ],
)
async def test_any_block_signal_starts_the_quiet_period(
    fake_time: ManualClock, status: int, body: bytes
) -> None:
    requests = 0

    async def blocking(request: web.Request) -> web.StreamResponse:
        nonlocal requests
        requests += 1
        return web.Response(status=status, body=body, content_type="text/html")

    async with tiny_server(blocking) as base, edgar_client(base, fake_time) as client:
        with pytest.raises(FairAccessBlocked):
            await client.get(base + "/cgi-bin/browse-edgar")
        fake_time.advance(599.0)
        with pytest.raises(FairAccessBlocked):
            await client.get(base + "/Archives/edgar/data/1/x.txt")
    assert requests == 1


async def test_conditional_get_on_archives_returns_not_modified_with_the_body(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    url = simulator.base_url + INDEX_JSON
    async with edgar_client(simulator.base_url, fake_time) as client:
        first = await client.get(url)
        second = await client.get(url)
        fresh = await client.get(url, conditional=False)
        feed_twice = [await client.get(simulator.base_url + FEED) for _ in range(2)]
    assert (first.status, first.not_modified) == (200, False)
    assert (second.status, second.not_modified) == (304, True)
    assert second.body == first.body
    assert b"ef20040370_8k.htm" in second.body
    assert fresh.status == 200
    statuses = [record.status for record in simulator.sim.requests]
    assert statuses == [200, 304, 200, 200, 200]  # feeds are never conditional
    assert all(not response.not_modified for response in feed_twice)


async def test_only_allowed_hosts_are_fetched(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://evil.example.com/steal")

    async with edgar_client(simulator.base_url, fake_time) as client:
        for url in ("https://example.com/Archives/x", "file:///etc/passwd", "ftp://www.sec.gov/x"):
            with pytest.raises(DisallowedHost):
                await client.get(url)
    assert simulator.sim.request_count() == 0
    async with tiny_server(redirect) as base, edgar_client(base, fake_time) as client:
        with pytest.raises(DisallowedHost, match=r"evil\.example\.com"):
            await client.get(base + "/Archives/edgar/data/1/x.htm")


async def test_requests_to_edgar_are_never_downgraded_to_plain_http(
    fake_time: ManualClock,
) -> None:
    async with edgar_client("https://www.sec.gov", fake_time) as client:
        with pytest.raises(DisallowedHost, match=r"http://www\.sec\.gov is not an allowed"):
            await client.get("http://www.sec.gov/Archives/edgar/data/1/x.htm")


async def test_size_cap_applies_to_declared_and_streamed_bodies(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # chunked: no Content-Length to check up front
        await response.prepare(request)
        for _ in range(64):
            await response.write(b"x" * 4096)
        return response

    async with edgar_client(simulator.base_url, fake_time, edgar_max_response_bytes=2000) as client:
        with pytest.raises(DocumentTooLarge):
            await client.get(simulator.base_url + FEED)
    async with (
        tiny_server(endless) as base,
        edgar_client(base, fake_time, edgar_max_response_bytes=10_000) as client,
    ):
        with pytest.raises(DocumentTooLarge, match="10000 byte cap"):
            await client.get(base + "/Archives/big.txt")


async def test_transient_failures_raise_edgar_unavailable(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    registry = CollectorRegistry()
    url = simulator.base_url + FEED
    async with edgar_client(
        simulator.base_url, fake_time, registry, edgar_timeout_seconds=0.2
    ) as client:
        simulator.sim.faults.inject("truncate")
        with pytest.raises(EdgarUnavailable, match="truncated"):
            await client.get(url)
        simulator.sim.faults.inject("unavailable")
        with pytest.raises(EdgarUnavailable, match="503"):
            await client.get(url)
        simulator.sim.faults.inject("slow", seconds=5.0)
        with pytest.raises(EdgarUnavailable, match="timed out"):
            await client.get(url)
        after = await client.get(url)
    assert after.status == 200
    assert _value(registry, "edgarmon_edgar_requests_total", status="truncated") == 1.0
    assert _value(registry, "edgarmon_edgar_requests_total", status="503") == 1.0
    assert _value(registry, "edgarmon_edgar_requests_total", status="timeout") == 1.0
    assert _value(registry, "edgarmon_edgar_requests_total", status="200") == 1.0
    assert _value(registry, "edgarmon_edgar_blocks_total") == 0.0


async def test_plain_client_errors_are_returned_not_raised(
    simulator: RunningSimulator, fake_time: ManualClock
) -> None:
    async with edgar_client(simulator.base_url, fake_time) as client:
        missing = await client.get(
            simulator.base_url + "/Archives/edgar/daily-index/2023/QTR3/master.20230704.idx"
        )
    assert (missing.status, missing.ok) == (404, False)


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (
            "https://www.sec.gov/Archives/edgar/data/1/000000000126000001/x-index.htm",
            "http://127.0.0.1:8765/Archives/edgar/data/1/000000000126000001/x-index.htm",
        ),
        ("http://www.sec.gov/Archives/a.htm?x=1", "http://127.0.0.1:8765/Archives/a.htm?x=1"),
        ("/Archives/edgar/data/1/a.txt", "http://127.0.0.1:8765/Archives/edgar/data/1/a.txt"),
        ("https://evil.example.com/Archives/a", "https://evil.example.com/Archives/a"),
    ],
)
def test_feed_links_are_mapped_onto_the_configured_base(link: str, expected: str) -> None:
    assert rebase_sec_url(link, "http://127.0.0.1:8765") == expected


async def test_budget_ends_its_wait_when_a_pause_is_too_small_to_move_a_large_clock() -> None:
    """At POSIX-sized clock values a pause of a rounding error leaves the clock where
    it was; the budget must not wait for it forever."""
    time = ManualClock(1_700_000_000.0)
    budget = RequestBudget(3.0, clock=time.clock, sleep=time.sleep)
    for _ in range(31):
        await budget.acquire()
    assert time.now - 1_700_000_000.0 == pytest.approx(10.0, abs=1e-3)
    assert len(time.sleeps) == 30


async def test_an_urgent_request_takes_its_token_before_those_waiting() -> None:
    """The latest-filings poll goes before a queued turn of company feeds; the rate
    stays the same."""
    time = ManualClock()
    queued = asyncio.Event()

    async def pause(seconds: float) -> None:
        await queued.wait()  # the first request pauses for its token until all have queued
        await time.sleep(seconds)

    budget = RequestBudget(2.0, clock=time.clock, sleep=pause)
    await budget.acquire()  # the one token of the burst
    order: list[str] = []

    async def ask(name: str, *, urgent: bool = False) -> None:
        await budget.acquire(urgent=urgent)
        order.append(name)

    started = time.now
    async with asyncio.TaskGroup() as group:
        for name in ("company-1", "company-2", "company-3"):
            group.create_task(ask(name))
        group.create_task(ask("latest", urgent=True))
        await asyncio.sleep(0)  # each has asked: the first is pausing, the others queue
        queued.set()
    assert order == ["company-1", "latest", "company-2", "company-3"]
    assert time.now - started == pytest.approx(2.0)  # four tokens at 2/s


async def test_a_request_cancelled_while_waiting_does_not_hold_the_budget() -> None:
    time = ManualClock()
    gate = asyncio.Event()

    async def pause(seconds: float) -> None:
        await gate.wait()
        await time.sleep(seconds)

    budget = RequestBudget(1.0, clock=time.clock, sleep=pause)
    await budget.acquire()
    first = asyncio.create_task(budget.acquire())
    waiting = asyncio.create_task(budget.acquire())
    await asyncio.sleep(0)
    waiting.cancel()
    gate.set()
    await first
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await budget.acquire(urgent=True) == pytest.approx(1.0)
