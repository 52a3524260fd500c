"""What the EDGAR client keeps between requests: its request budget (one token
bucket per process) and its conditional-GET cache of recent ``/Archives`` answers,
and the answer type both share. :mod:`edgarmon.core.adapters.edgar_http` uses them."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from edgarmon.core.domain.clock import Clock, Sleep
from edgarmon.core.domain.errors import ConfigurationError

TOKEN_EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class EdgarResponse:
    """An answer from EDGAR. ``not_modified`` is True after a 304: ``body`` then holds
    the body cached from the earlier 200 (empty when none was kept)."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    not_modified: bool = False
    budget_wait_seconds: float = 0.0
    """How long the request waited for the process's request budget before it left."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 or self.not_modified


class RequestBudget:
    """A token bucket: ``rate`` requests per second, at most ``burst`` at once.

    Requests take their tokens one at a time, in order, except that an ``urgent`` one
    goes before every request still waiting that is not: the latest-filings poll,
    which sets how soon a filing is seen, does not queue behind a turn of company
    feeds. The rate is the same whatever the order."""

    def __init__(self, rate: float, *, clock: Clock, sleep: Sleep, burst: float = 1.0) -> None:
        if rate <= 0 or burst < 1:
            raise ConfigurationError("the request budget needs rate > 0 and burst >= 1")
        self._rate = rate
        self._capacity = burst
        self._tokens = burst
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._busy = False
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def acquire(self, *, urgent: bool = False) -> float:
        """Wait until a request may be sent, and take its token; return the seconds
        waited (on the injected clock)."""
        asked = self._clock()
        await self._take_turn(urgent)
        try:
            while True:
                now = self._clock()
                elapsed = max(0.0, now - self._updated)
                self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
                self._updated = now
                # a token short by a rounding error counts as whole: a pause that small
                # may not move a clock at all, and the loop would never end
                if self._tokens >= 1.0 - TOKEN_EPSILON:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return max(0.0, now - asked)
                await self._sleep((1.0 - self._tokens) / self._rate)
        finally:
            self._pass_turn()

    async def _take_turn(self, urgent: bool) -> None:
        if not self._busy and not self._waiting:
            self._busy = True
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (0 if urgent else 1, next(self._arrivals), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._pass_turn()  # given the turn as it was cancelled: hand it on
            raise

    def _pass_turn(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)
                return
        self._busy = False


class ConditionalCache:
    """Validators and bodies of recent ``/Archives`` responses, bounded by entries and bytes."""

    def __init__(self, *, max_entries: int = 256, max_bytes: int = 16 * 1024 * 1024) -> None:
        self._entries: OrderedDict[str, EdgarResponse] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0

    def get(self, url: str) -> EdgarResponse | None:
        entry = self._entries.get(url)
        if entry is not None:
            self._entries.move_to_end(url)
        return entry

    def put(self, url: str, response: EdgarResponse) -> None:
        self._drop(url)
        validated = "ETag" in response.headers or "Last-Modified" in response.headers
        if not validated or len(response.body) > self._max_bytes // 4:
            return
        self._entries[url] = response
        self._bytes += len(response.body)
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, url: str) -> None:
        old = self._entries.pop(url, None)
        if old is not None:
            self._bytes -= len(old.body)
