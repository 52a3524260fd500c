"""Fetching documents: a small Protocol, and its adapter over the shared EDGAR client.

Anything with ``async def fetch(url) -> bytes`` is a :class:`DocumentFetcher`.
:class:`EdgarClientFetcher` fetches through
:class:`~edgarmon.core.edgar_http.EdgarClient`, so the classifier keeps the same
fair-access rules and request budget as the poller: the declared User-Agent,
allowed hosts only (redirects included), a size cap, a timeout, and silence
during a fair-access block.
"""

from __future__ import annotations

from typing import Protocol

from edgarmon.core.edgar_http import EdgarClient
from edgarmon.core.errors import EdgarError


class DocumentFetcher(Protocol):
    async def fetch(self, url: str) -> bytes:
        """The body at ``url``; raises :class:`~edgarmon.core.errors.EdgarError` subclasses."""
        ...


class EdgarClientFetcher:
    """A :class:`DocumentFetcher` over the fair-access :class:`EdgarClient`."""

    def __init__(self, client: EdgarClient) -> None:
        self._client = client

    async def fetch(self, url: str) -> bytes:
        """The body at ``url``. Raises what the client raises (:class:`FairAccessBlocked`,
        :class:`DisallowedHost`, :class:`DocumentTooLarge`, :class:`EdgarUnavailable`) and
        :class:`EdgarError` for any other answer than a success (e.g. 404)."""
        response = await self._client.get(url)
        if not response.ok:
            raise EdgarError(f"EDGAR answered {response.status} for {url}")
        return response.body
