"""Fetching documents: a small Protocol, its adapter over the shared EDGAR client, and
a bounded retry for EDGAR's passing outages.

Anything with ``async def fetch(url, *, max_bytes=None) -> bytes`` is a
:class:`DocumentFetcher`.
:class:`EdgarClientFetcher` fetches through
:class:`~edgarmon.core.adapters.edgar_http.EdgarClient`, so the classifier keeps the same
fair-access rules and request budget as the poller: the declared User-Agent,
allowed hosts only (redirects included), a size cap, a timeout, and silence
during a fair-access block. :class:`RetryingFetcher` tries a document again a few
times after a 5xx, a timeout or a truncated body; after that the caller records the
failure and classifies the filing from what it knows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

import structlog

from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.domain.clock import Sleep
from edgarmon.core.domain.errors import EdgarError, EdgarUnavailable, ShutdownInProgress
from edgarmon.core.domain.retry import Backoff, Retry, call_with_retries

log = structlog.get_logger(__name__)

MAX_BACKOFF_SECONDS = 60.0
"""Longest wait between two tries of one document."""


class DocumentFetcher(Protocol):
    async def fetch(self, url: str, *, max_bytes: int | None = None) -> bytes:
        """The body at ``url``; raises :class:`~edgarmon.core.domain.errors.EdgarError` subclasses
        (:class:`~edgarmon.core.domain.errors.DocumentTooLarge` over ``max_bytes``, when given,
        else over the client's own cap)."""
        ...


class EdgarClientFetcher:
    """A :class:`DocumentFetcher` over the fair-access :class:`EdgarClient`.
    ``budget_wait_seconds`` adds up how long its requests waited for the request
    budget (the handler reads it before and after a filing)."""

    def __init__(self, client: EdgarClient) -> None:
        self._client = client
        self.budget_wait_seconds = 0.0

    async def fetch(self, url: str, *, max_bytes: int | None = None) -> bytes:
        """The body at ``url``, mapped onto the configured base URL when it is an SEC link.
        Raises what the client raises (:class:`FairAccessBlocked`, :class:`DisallowedHost`,
        :class:`DocumentTooLarge`, :class:`EdgarUnavailable`) and :class:`EdgarError` for
        any other answer than a success (e.g. 404)."""
        response = await self._client.get(self._client.rebase(url), max_bytes=max_bytes)
        self.budget_wait_seconds += response.budget_wait_seconds
        if not response.ok:
            raise EdgarError(f"EDGAR answered {response.status} for {url}")
        return response.body


class RetryingFetcher:
    """Retries :class:`EdgarUnavailable` up to ``attempts`` tries in all, waiting
    ``backoff_seconds``, then twice that, and so on. Everything else (a block, a 404, a
    refused host, an oversized body) is raised at once: trying again cannot help, and
    during a block it must not."""

    def __init__(
        self,
        inner: DocumentFetcher,
        *,
        attempts: int,
        backoff_seconds: float,
        sleep: Sleep = asyncio.sleep,
        stop_requested: Callable[[], bool] = lambda: False,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._inner = inner
        self._attempts = attempts
        self._backoff = Backoff(initial_seconds=backoff_seconds, max_seconds=MAX_BACKOFF_SECONDS)
        self._sleep = sleep
        self._stop_requested = stop_requested

    async def fetch(self, url: str, *, max_bytes: int | None = None) -> bytes:
        def waiting(retry: Retry) -> None:
            log.info(
                "EDGAR unavailable, trying the document again",
                url=url,
                attempt=retry.failures,
                delay_seconds=retry.delay,
                error=str(retry.error),
            )

        def stop_if_draining(_retry: Retry) -> None:
            if self._stop_requested():
                # Publishing now would record a fetch error that a restart would not have:
                # leave the filing uncommitted and let the next run fetch it whole.
                raise ShutdownInProgress(f"shutting down while retrying {url}")

        return await call_with_retries(
            lambda: self._inner.fetch(url, max_bytes=max_bytes),
            on=(EdgarUnavailable,),
            attempts=self._attempts,
            backoff=self._backoff,
            sleep=self._sleep,
            before_wait=waiting,
            after_wait=stop_if_draining,
        )
