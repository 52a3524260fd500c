"""Fetch EDGAR documents: a small Protocol, and an aiohttp adapter for the one-shot CLI.

The long-running service fetches through the shared fair-access EDGAR client and
its request budget; anything with ``async def fetch(url) -> bytes`` fits
:class:`DocumentFetcher`. :class:`SecDocumentFetcher` is a plain adapter: it
sends the declared User-Agent, fetches only allowed hosts (redirects included),
caps the response size and time, and maps failures onto the core exceptions.
It does not pace requests; the CLI fetches one URL at a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Final, Protocol
from urllib.parse import urljoin, urlsplit

import aiohttp

from edgarmon.core.errors import (
    DisallowedHost,
    DocumentTooLarge,
    EdgarError,
    EdgarUnavailable,
    FairAccessBlocked,
)

BLOCK_PAGE_MARKERS: Final = (b"Request Rate Threshold Exceeded", b"Undeclared Automated Tool")
MAX_REDIRECTS: Final = 3
CHUNK_BYTES: Final = 64 * 1024


class DocumentFetcher(Protocol):
    async def fetch(self, url: str) -> bytes:
        """The body at ``url``; raises :class:`~edgarmon.core.errors.EdgarError` subclasses."""
        ...


def check_allowed(url: str, allowed_hosts: Collection[str]) -> None:
    """Raise :class:`DisallowedHost` unless ``url`` is http(s) on an allowed host."""
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or (parts.hostname or "") not in allowed_hosts:
        raise DisallowedHost(f"not an allowed EDGAR host: {parts.hostname or url!r}")


class SecDocumentFetcher:
    """Fetch documents over an aiohttp session with EDGAR's fair-access manners."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        user_agent: str,
        allowed_hosts: Collection[str],
        max_bytes: int,
        timeout_seconds: float,
        block_seconds: float = 660.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._session = session
        self._user_agent = user_agent
        self._allowed = frozenset(allowed_hosts)
        self._max_bytes = max_bytes
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._block_seconds = block_seconds
        self._clock = clock

    async def fetch(self, url: str) -> bytes:
        for _ in range(MAX_REDIRECTS + 1):
            check_allowed(url, self._allowed)
            try:
                body, location = await self._get(url)
            except (TimeoutError, aiohttp.ClientError) as exc:
                raise EdgarUnavailable(f"{url}: {type(exc).__name__}: {exc}") from exc
            if location is None:
                return body
            url = urljoin(url, location)
        raise EdgarError(f"too many redirects fetching {url}")

    async def _get(self, url: str) -> tuple[bytes, str | None]:
        headers = {"User-Agent": self._user_agent, "Accept-Encoding": "gzip, deflate"}
        async with self._session.get(
            url, headers=headers, timeout=self._timeout, allow_redirects=False
        ) as response:
            if response.status in {301, 302, 303, 307, 308}:
                return b"", response.headers.get("Location", "")
            if response.status in {403, 429}:
                raise FairAccessBlocked(
                    f"EDGAR answered {response.status} for {url}",
                    until=self._clock() + self._block_seconds,
                )
            if response.status >= 500:
                raise EdgarUnavailable(f"EDGAR answered {response.status} for {url}")
            if response.status != 200:
                raise EdgarError(f"EDGAR answered {response.status} for {url}")
            if (response.content_length or 0) > self._max_bytes:
                raise DocumentTooLarge(f"{url} is {response.content_length} bytes")
            body = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                body += chunk
                if len(body) > self._max_bytes:
                    raise DocumentTooLarge(f"{url} is over {self._max_bytes} bytes")
        if any(marker in body[:20_000] for marker in BLOCK_PAGE_MARKERS):
            raise FairAccessBlocked(
                f"EDGAR served its block page for {url}", until=self._clock() + self._block_seconds
            )
        return bytes(body), None
