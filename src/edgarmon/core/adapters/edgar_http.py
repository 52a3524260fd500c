"""The fair-access EDGAR client, shared by every process that talks to EDGAR.

:class:`EdgarClient` wraps an injected :class:`aiohttp.ClientSession` and keeps SEC's
rules so callers cannot break them: a declared User-Agent (name and e-mail) or no
client at all; one token-bucket budget per process; gzip; allowed hosts only; a
streamed size cap; a timeout. 5xx, timeouts and truncated bodies raise
:class:`EdgarUnavailable`; a body that is not valid gzip, :class:`FeedParseError`
("not valid gzip: REASON (URL)"). A fair-access block (403, 429 or the "Request Rate
Threshold Exceeded" page) starts ``edgar_block_seconds`` of silence: no request is
sent and every call raises :class:`FairAccessBlocked` at once. One request at a time
awaits its status line (bodies are read side by side), so concurrent callers never
send a request into a block another request has just met. ``/Archives`` URLs use
conditional GET from a bounded cache that keeps bodies, so a 304 still has one.
Time is injected (``clock``, ``sleep``) so tests drive the budget and the block.

SEC's rules as values (User-Agent, block signals, link rebasing) and the metrics are
in :mod:`edgarmon.core.domain.edgar_rules`; the budget and the cache in
:mod:`edgarmon.core.adapters.edgar_budget`. Their public names are importable from here too.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from urllib.parse import urljoin, urlsplit

import aiohttp
import structlog
from aiohttp.http_exceptions import ContentEncodingError
from multidict import CIMultiDict, CIMultiDictProxy
from prometheus_client import CollectorRegistry

from edgarmon.core.adapters.edgar_budget import (
    ConditionalCache,
    EdgarResponse,
    RequestBudget,
)
from edgarmon.core.adapters.edgar_metrics import EdgarMetrics
from edgarmon.core.domain.clock import Clock, Sleep
from edgarmon.core.domain.edgar_rules import (
    BLOCK_PAGE_MARKER,
    BLOCK_SCAN_BYTES,
    BLOCK_STATUSES,
    MAX_REDIRECTS,
    REDIRECT_STATUSES,
    rebase_sec_url,
    validate_user_agent,
)
from edgarmon.core.domain.errors import (
    DisallowedHost,
    DocumentTooLarge,
    EdgarUnavailable,
    FairAccessBlocked,
    FeedParseError,
)
from edgarmon.core.settings import EdgarClientSettings

__all__ = [
    "ConditionalCache",
    "EdgarClient",
    "EdgarMetrics",
    "EdgarResponse",
    "RequestBudget",
    "open_edgar_client",
    "rebase_sec_url",
    "validate_user_agent",
]

log = structlog.get_logger(__name__)


class EdgarClient:
    """The one way edgarmon talks to EDGAR. See the module docstring for the rules."""

    def __init__(
        self,
        settings: EdgarClientSettings,
        session: aiohttp.ClientSession,
        *,
        registry: CollectorRegistry,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        cache: ConditionalCache | None = None,
    ) -> None:
        self._user_agent = validate_user_agent(settings.edgar_user_agent)
        self._settings = settings
        self._session = session
        self._clock = clock
        self._budget = RequestBudget(settings.edgar_requests_per_second, clock=clock, sleep=sleep)
        self._awaiting_status = asyncio.Lock()
        self._cache = cache if cache is not None else ConditionalCache()
        self._metrics = EdgarMetrics(registry)
        self._blocked_until: float | None = None
        self._timeout = aiohttp.ClientTimeout(total=settings.edgar_timeout_seconds)
        base_hosts = {
            urlsplit(settings.edgar_base_url).hostname,
            urlsplit(settings.edgar_data_url).hostname,
        }
        self._allowed_hosts = frozenset(
            {host.lower() for host in settings.edgar_allowed_hosts}
            | {host.lower() for host in base_hosts if host}
        )
        # https only, unless a configured base is itself plain http (a local simulator):
        # a redirect can never downgrade a request to EDGAR to plain http.
        self._allowed_schemes = frozenset(
            {"https"}
            | {urlsplit(base).scheme for base in (settings.edgar_base_url, settings.edgar_data_url)}
        )

    @property
    def base_url(self) -> str:
        return self._settings.edgar_base_url.rstrip("/")

    def rebase(self, link: str) -> str:
        """A feed link mapped onto the configured base URL."""
        return rebase_sec_url(link, self.base_url)

    @property
    def blocked_until(self) -> float | None:
        """Clock time until which no request is sent, or None when not blocked."""
        self._refresh_block()
        return self._blocked_until

    async def get(
        self,
        url: str,
        *,
        conditional: bool = True,
        max_bytes: int | None = None,
        urgent: bool = False,
    ) -> EdgarResponse:
        """GET ``url`` within the budget (``urgent``: before the requests waiting that
        are not). Returns 2xx, 304 (``not_modified``) and plain 4xx answers; raises
        :class:`EdgarUnavailable` for 5xx, timeouts and truncated bodies,
        :class:`FairAccessBlocked`, :class:`DisallowedHost` and
        :class:`DocumentTooLarge`."""
        limit = max_bytes if max_bytes is not None else self._settings.edgar_max_response_bytes
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_allowed(current)
            response = await self._send(
                current, conditional=conditional, limit=limit, urgent=urgent
            )
            location = response.headers.get("Location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response
            current = urljoin(current, location)
        raise EdgarUnavailable(f"too many redirects from {url}")

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in self._allowed_schemes or host not in self._allowed_hosts:
            raise DisallowedHost(
                f"refusing to fetch {url!r}: {parts.scheme}://{host} is not an allowed origin"
            )

    def _refresh_block(self) -> None:
        if self._blocked_until is not None and self._clock() >= self._blocked_until:
            self._blocked_until = None
            self._metrics.block_active.set(0)
            log.warning("EDGAR fair-access block over: requests resume")

    def _raise_if_blocked(self) -> None:
        self._refresh_block()
        if self._blocked_until is not None:
            remaining = self._blocked_until - self._clock()
            raise FairAccessBlocked(
                f"EDGAR fair-access block: no requests for another {remaining:.0f} s",
                until=self._blocked_until,
            )

    def _start_block(self, url: str, status: int) -> FairAccessBlocked:
        until = self._clock() + self._settings.edgar_block_seconds
        if self._blocked_until is None:
            self._metrics.blocks.inc()
            self._metrics.block_active.set(1)
            log.error(
                "EDGAR fair-access block: sending no requests until it is over",
                status=status,
                url=url,
                quiet_seconds=self._settings.edgar_block_seconds,
            )
        self._blocked_until = max(until, self._blocked_until or until)
        return FairAccessBlocked(
            f"EDGAR answered {status} with its fair-access block for {url}",
            until=self._blocked_until,
        )

    def _request_headers(
        self, url: str, conditional: bool
    ) -> tuple[dict[str, str], EdgarResponse | None]:
        headers = {"User-Agent": self._user_agent, "Accept-Encoding": "gzip, deflate"}
        cached = None
        if conditional and urlsplit(url).path.startswith("/Archives/"):
            cached = self._cache.get(url)
        if cached is not None and (etag := cached.headers.get("ETag")):
            headers["If-None-Match"] = etag
        if cached is not None and (modified := cached.headers.get("Last-Modified")):
            headers["If-Modified-Since"] = modified
        return headers, cached

    async def _send(
        self, url: str, *, conditional: bool, limit: int, urgent: bool
    ) -> EdgarResponse:
        self._raise_if_blocked()
        waited = await self._budget.acquire(urgent=urgent)
        headers, cached = self._request_headers(url, conditional)
        started = self._clock()
        with self._transport_errors(url):
            # One request at a time awaits its status: a block (403/429) is known before
            # another request may leave, so none is sent into a block. Bodies are read
            # concurrently, outside the lock.
            async with self._awaiting_status:
                self._raise_if_blocked()  # a block may have started while this call waited
                resp = await self._session.get(
                    url, headers=headers, allow_redirects=False, timeout=self._timeout
                )
                if resp.status in BLOCK_STATUSES:
                    resp.release()
                    self._metrics.requests.labels(status=str(resp.status)).inc()
                    raise self._start_block(url, resp.status)
            async with resp:
                body = await self._read_body(resp, url, limit)
            status = resp.status
            response_headers = CIMultiDictProxy(CIMultiDict(resp.headers))
        self._metrics.request_seconds.observe(max(0.0, self._clock() - started))
        self._metrics.requests.labels(status=str(status)).inc()
        if BLOCK_PAGE_MARKER in body[:BLOCK_SCAN_BYTES]:
            raise self._start_block(url, status)
        if status >= 500:
            raise EdgarUnavailable(f"EDGAR answered {status} for {url}")
        if status == 304:
            kept = cached.body if cached is not None else b""
            return EdgarResponse(
                url, 304, kept, response_headers, not_modified=True, budget_wait_seconds=waited
            )
        response = EdgarResponse(
            url=url, status=status, body=body, headers=response_headers, budget_wait_seconds=waited
        )
        if status == 200 and urlsplit(url).path.startswith("/Archives/"):
            self._cache.put(url, response)
        return response

    @contextmanager
    def _transport_errors(self, url: str) -> Iterator[None]:
        """Timeouts, cut-off bodies and connection failures as :class:`EdgarUnavailable`."""
        try:
            yield
        except TimeoutError as exc:
            self._metrics.requests.labels(status="timeout").inc()
            raise EdgarUnavailable(f"timed out fetching {url}") from exc
        except aiohttp.ClientPayloadError as exc:
            self._metrics.requests.labels(status="truncated").inc()
            raise EdgarUnavailable(f"truncated body from {url}: {exc}") from exc
        except aiohttp.ClientError as exc:
            self._metrics.requests.labels(status="connection_error").inc()
            raise EdgarUnavailable(f"could not fetch {url}: {exc}") from exc

    async def _read_body(self, resp: aiohttp.ClientResponse, url: str, limit: int) -> bytes:
        declared = resp.content_length
        if declared is not None and declared > limit:
            self._metrics.requests.labels(status="too_large").inc()
            raise DocumentTooLarge(f"{url} declares {declared} bytes, over the {limit} byte cap")
        chunks: list[bytes] = []
        total = 0
        try:
            async for chunk in resp.content.iter_chunked(64 * 1024):
                total += len(chunk)
                if total > limit:
                    self._metrics.requests.labels(status="too_large").inc()
                    raise DocumentTooLarge(f"{url} is over the {limit} byte cap")
                chunks.append(chunk)
        except aiohttp.ClientPayloadError as exc:
            if not isinstance(exc.__cause__, ContentEncodingError):
                raise
            self._metrics.requests.labels(status="undecodable").inc()
            encoding = resp.headers.get("Content-Encoding", "gzip").lower()
            raise FeedParseError(f"not valid {encoding}: {_reason(exc.__cause__)} ({url})") from exc
        body = b"".join(chunks)
        encoded = resp.headers.get("Content-Encoding", "identity").lower() != "identity"
        if declared is not None and not encoded and len(body) != declared:
            raise aiohttp.ClientPayloadError(f"got {len(body)} of {declared} declared bytes")
        return body


def _reason(exc: ContentEncodingError) -> str:
    """Why a body could not be decoded: zlib's words ("invalid block type"), else aiohttp's."""
    if isinstance(exc.__context__, zlib.error):
        return str(exc.__context__).split(": ", 1)[-1]
    return " ".join(str(exc.message).split())


@asynccontextmanager
async def open_edgar_client(
    settings: EdgarClientSettings,
    *,
    registry: CollectorRegistry,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> AsyncIterator[EdgarClient]:
    """An :class:`EdgarClient` on its own session, closed on exit. The User-Agent is
    checked before any connection is made."""
    validate_user_agent(settings.edgar_user_agent)
    connector = aiohttp.TCPConnector(limit=4)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield EdgarClient(settings, session, registry=registry, clock=clock, sleep=sleep)
