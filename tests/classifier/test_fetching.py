"""The aiohttp document fetcher, against a real local HTTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from edgarmon.classifier.fetching import SecDocumentFetcher
from edgarmon.classifier.oneshot import download_url, fetch_all
from edgarmon.core.errors import (
    DisallowedHost,
    DocumentTooLarge,
    EdgarError,
    EdgarUnavailable,
    FairAccessBlocked,
)

USER_AGENT = "Edgarmon Tests tests@example.com"


async def document(request: web.Request) -> web.Response:
    agent = request.headers.get("User-Agent", "")
    return web.Response(text=f"<html><body><p>FORM 8-K</p><p>{agent}</p></body></html>")


async def big(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(64):
        await response.write(b"x" * 1024)
    await response.write_eof()
    return response


async def throttled(request: web.Request) -> web.Response:
    return web.Response(status=429)


async def block_page(request: web.Request) -> web.Response:
    return web.Response(body=b"<title>SEC.gov | Request Rate Threshold Exceeded</title>")


async def outage(request: web.Request) -> web.Response:
    return web.Response(status=503)


async def elsewhere(request: web.Request) -> web.Response:
    raise web.HTTPFound("https://evil.example.com/steal")


async def local(request: web.Request) -> web.Response:
    raise web.HTTPFound("/doc")


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.add_routes(
        [
            web.get("/doc", document),
            web.get("/big", big),
            web.get("/throttled", throttled),
            web.get("/block", block_page),
            web.get("/outage", outage),
            web.get("/elsewhere", elsewhere),
            web.get("/local", local),
        ]
    )
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def fetcher(session: aiohttp.ClientSession, max_bytes: int = 1_000_000) -> SecDocumentFetcher:
    return SecDocumentFetcher(
        session,
        user_agent=USER_AGENT,
        allowed_hosts={"127.0.0.1"},
        max_bytes=max_bytes,
        timeout_seconds=5,
        block_seconds=660,
        clock=lambda: 1000.0,
    )


async def test_fetch_sends_the_declared_user_agent(
    server: str, session: aiohttp.ClientSession
) -> None:
    body = await fetcher(session).fetch(f"{server}/doc")
    assert b"FORM 8-K" in body
    assert USER_AGENT.encode() in body


async def test_hosts_outside_the_allowed_list_are_never_fetched(
    session: aiohttp.ClientSession,
) -> None:
    with pytest.raises(DisallowedHost):
        await fetcher(session).fetch("https://evil.example.com/doc")
    with pytest.raises(DisallowedHost):
        await fetcher(session).fetch("file:///etc/passwd")


async def test_redirects_are_followed_only_to_allowed_hosts(
    server: str, session: aiohttp.ClientSession
) -> None:
    assert b"FORM 8-K" in await fetcher(session).fetch(f"{server}/local")
    with pytest.raises(DisallowedHost):
        await fetcher(session).fetch(f"{server}/elsewhere")


async def test_bodies_over_the_cap_are_refused(server: str, session: aiohttp.ClientSession) -> None:
    with pytest.raises(DocumentTooLarge):
        await fetcher(session, max_bytes=10_000).fetch(f"{server}/big")


async def test_throttling_and_the_block_page_are_fair_access_blocks(
    server: str, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(FairAccessBlocked) as caught:
        await fetcher(session).fetch(f"{server}/throttled")
    assert caught.value.until == 1660.0
    with pytest.raises(FairAccessBlocked):
        await fetcher(session).fetch(f"{server}/block")


async def test_outages_are_transient(server: str, session: aiohttp.ClientSession) -> None:
    with pytest.raises(EdgarUnavailable):
        await fetcher(session).fetch(f"{server}/outage")


async def test_fetch_all_keeps_going_after_a_failure(
    server: str, session: aiohttp.ClientSession
) -> None:
    bodies = await fetch_all([f"{server}/outage", f"{server}/doc"], fetcher(session))

    assert isinstance(bodies[f"{server}/outage"], str)
    assert isinstance(bodies[f"{server}/doc"], bytes)


def test_a_filing_page_url_downloads_the_full_submission() -> None:
    page = "https://www.sec.gov/Archives/edgar/data/320193/000032019324000061/0000320193-24-000061-index.htm"
    assert download_url(page) == (
        "https://www.sec.gov/Archives/edgar/data/320193/000032019324000061/0000320193-24-000061.txt"
    )
    assert download_url("https://www.sec.gov/a/ex99.htm") == "https://www.sec.gov/a/ex99.htm"


def test_fetch_errors_are_edgar_errors() -> None:
    assert issubclass(DisallowedHost, EdgarError)
