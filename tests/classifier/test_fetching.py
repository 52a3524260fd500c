"""Fetching through the shared fair-access EDGAR client, against a local HTTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from edgarmon.classifier.classify_command import download_url, fetch_all
from edgarmon.core.domain.errors import (
    DisallowedHost,
    DocumentTooLarge,
    EdgarError,
    EdgarUnavailable,
    FairAccessBlocked,
)
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.local_http import serving
from tests.classifier.local_edgar import USER_AGENT, edgar_fetcher


async def document(request: web.Request) -> web.Response:
    agent = request.headers.get("User-Agent", "")
    return web.Response(text=f"<html><body><p>FORM 8-K</p><p>{agent}</p></body></html>")


async def big(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * 64 * 1024)


async def throttled(request: web.Request) -> web.Response:
    return web.Response(status=429)


async def missing(request: web.Request) -> web.Response:
    return web.Response(status=404)


async def outage(request: web.Request) -> web.Response:
    return web.Response(status=503)


async def elsewhere(request: web.Request) -> web.Response:
    raise web.HTTPFound("https://evil.example.com/steal")


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    app = web.Application()
    app.add_routes(
        [
            web.get("/doc", document),
            web.get("/big", big),
            web.get("/throttled", throttled),
            web.get("/missing", missing),
            web.get("/outage", outage),
            web.get("/elsewhere", elsewhere),
        ]
    )
    async with serving(app) as url:
        yield url


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


async def test_fetch_sends_the_declared_user_agent(
    base_url: str, session: aiohttp.ClientSession
) -> None:
    body = await edgar_fetcher(session, base_url, ManualClock()).fetch(f"{base_url}/doc")

    assert b"FORM 8-K" in body
    assert USER_AGENT.encode() in body


async def test_hosts_outside_the_allowed_list_are_never_fetched(
    base_url: str, session: aiohttp.ClientSession
) -> None:
    fetcher = edgar_fetcher(session, base_url, ManualClock())
    with pytest.raises(DisallowedHost):
        await fetcher.fetch("https://evil.example.com/doc")
    with pytest.raises(DisallowedHost):
        await fetcher.fetch(f"{base_url}/elsewhere")


async def test_bodies_over_the_cap_are_refused(
    base_url: str, session: aiohttp.ClientSession
) -> None:
    fetcher = edgar_fetcher(session, base_url, ManualClock(), edgar_max_response_bytes=10_000)
    with pytest.raises(DocumentTooLarge):
        await fetcher.fetch(f"{base_url}/big")


async def test_a_block_is_raised_and_keeps_the_client_quiet(
    base_url: str, session: aiohttp.ClientSession
) -> None:
    fetcher = edgar_fetcher(session, base_url, ManualClock())
    with pytest.raises(FairAccessBlocked):
        await fetcher.fetch(f"{base_url}/throttled")
    with pytest.raises(FairAccessBlocked):
        await fetcher.fetch(f"{base_url}/doc")


async def test_not_found_and_outages_are_edgar_errors(
    base_url: str, session: aiohttp.ClientSession
) -> None:
    fetcher = edgar_fetcher(session, base_url, ManualClock())
    with pytest.raises(EdgarError, match="404"):
        await fetcher.fetch(f"{base_url}/missing")
    with pytest.raises(EdgarUnavailable):
        await fetcher.fetch(f"{base_url}/outage")


async def test_fetch_all_keeps_going_after_a_failure(
    base_url: str, session: aiohttp.ClientSession
) -> None:
    fetcher = edgar_fetcher(session, base_url, ManualClock())
    bodies = await fetch_all([f"{base_url}/missing", f"{base_url}/doc"], fetcher)

    assert isinstance(bodies[f"{base_url}/missing"], str)
    assert isinstance(bodies[f"{base_url}/doc"], bytes)


def test_a_filing_page_url_downloads_the_full_submission() -> None:
    folder = "https://www.sec.gov/Archives/edgar/data/320193/000032019324000061/"
    assert download_url(folder + "0000320193-24-000061-index.htm") == (
        folder + "0000320193-24-000061.txt"
    )
    assert download_url("https://www.sec.gov/a/ex99.htm") == "https://www.sec.gov/a/ex99.htm"
