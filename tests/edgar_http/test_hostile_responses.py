"""Hostile answers from a server posing as EDGAR end in bounded time and memory with
one clear error: a gzip bomb, a server that sends one byte and then stalls
(slowloris), and a redirect off the allowed hosts."""

from __future__ import annotations

import asyncio
import zlib

import pytest
from aiohttp import web

from edgarmon.core.domain.errors import DisallowedHost, DocumentTooLarge, EdgarUnavailable
from edgarmon.testing.clock import ManualClock

from .test_edgar_client import edgar_client, tiny_server

BOMB_BYTES = 256 * 2**20


def gzip_bomb(size: int = BOMB_BYTES) -> bytes:
    """``size`` zero bytes, gzip-compressed to about a thousandth of that."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    chunk = bytes(2**20)
    return b"".join(compressor.compress(chunk) for _ in range(size // len(chunk))) + (
        compressor.flush()
    )


BOMB = gzip_bomb()  # about 250 KiB on the wire


async def bomb(_request: web.Request) -> web.Response:
    return web.Response(body=BOMB, headers={"Content-Encoding": "gzip"})


RELEASE_STALLED = asyncio.Event()
"""Set when a test is over, so that the stalled handler lets the server shut down."""


async def stall(request: web.Request) -> web.StreamResponse:
    """Headers and one byte, then nothing until the test is over (slowloris)."""
    response = web.StreamResponse()
    await response.prepare(request)
    await response.write(b"<")
    await RELEASE_STALLED.wait()
    return response


async def off_list(_request: web.Request) -> web.Response:
    raise web.HTTPFound("http://attacker.example/steal")


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text
    return text


async def test_a_gzip_bomb_stops_at_the_size_cap(fake_time: ManualClock) -> None:
    assert len(BOMB) < BOMB_BYTES / 500
    async with (
        tiny_server(bomb) as base,
        edgar_client(base, fake_time, edgar_max_response_bytes=20 * 2**20) as client,
    ):
        with pytest.raises(DocumentTooLarge) as caught:
            await client.get(base + "/Archives/edgar/data/1/bomb.htm")
    assert "byte cap" in one_line(caught.value)


async def test_a_server_that_stalls_mid_body_times_out(fake_time: ManualClock) -> None:
    async with (
        tiny_server(stall) as base,
        edgar_client(base, fake_time, edgar_timeout_seconds=0.5) as client,
    ):
        try:
            with pytest.raises(EdgarUnavailable) as caught:
                await client.get(base + "/Archives/edgar/data/1/slow.htm")
        finally:
            RELEASE_STALLED.set()
    assert "timed out" in one_line(caught.value)


async def test_a_redirect_off_the_allowed_hosts_is_never_followed(fake_time: ManualClock) -> None:
    async with tiny_server(off_list) as base, edgar_client(base, fake_time) as client:
        with pytest.raises(DisallowedHost) as caught:
            await client.get(base + "/Archives/edgar/data/1/moved.htm")
    assert "attacker.example" in one_line(caught.value)
