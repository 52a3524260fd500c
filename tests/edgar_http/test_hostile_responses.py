"""Hostile answers from a server posing as EDGAR end in bounded time and memory with
one clear error: a gzip bomb, a body that never ends, a server that sends a byte now
and then (slowloris), and a redirect off the allowed hosts."""

from __future__ import annotations

import asyncio
import zlib

import pytest
from aiohttp import web

from edgarmon.core.errors import DisallowedHost, DocumentTooLarge, EdgarUnavailable

from .conftest import FakeTime
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


async def trickle(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    while True:
        await response.write(b"<")
        await asyncio.sleep(0.05)  # the hostile server's pace, not a wait in the test


async def off_list(_request: web.Request) -> web.Response:
    raise web.HTTPFound("http://attacker.example/steal")


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text
    return text


async def test_a_gzip_bomb_stops_at_the_size_cap(fake_time: FakeTime) -> None:
    assert len(BOMB) < BOMB_BYTES / 500
    async with (
        tiny_server(bomb) as base,
        edgar_client(base, fake_time, edgar_max_response_bytes=20 * 2**20) as client,
    ):
        with pytest.raises(DocumentTooLarge) as caught:
            await client.get(base + "/Archives/edgar/data/1/bomb.htm")
    assert "byte cap" in one_line(caught.value)


async def test_a_server_that_trickles_forever_times_out(fake_time: FakeTime) -> None:
    async with (
        tiny_server(trickle) as base,
        edgar_client(base, fake_time, edgar_timeout_seconds=0.5) as client,
    ):
        with pytest.raises(EdgarUnavailable) as caught:
            await client.get(base + "/Archives/edgar/data/1/slow.htm")
    assert "timed out" in one_line(caught.value)


async def test_a_redirect_off_the_allowed_hosts_is_never_followed(fake_time: FakeTime) -> None:
    async with tiny_server(off_list) as base, edgar_client(base, fake_time) as client:
        with pytest.raises(DisallowedHost) as caught:
            await client.get(base + "/Archives/edgar/data/1/moved.htm")
    assert "attacker.example" in one_line(caught.value)
