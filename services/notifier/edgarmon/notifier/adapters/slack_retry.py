"""slack_sdk's async retry handlers, with our bounds and an injected sleep.

``AsyncWebClient`` retries nothing unless given ``retry_handlers``. These are
subclasses of slack_sdk's built-in async handlers that differ in two ways: they
wait with the ``sleep`` they are given (tests pass one that records and returns
at once), and a 429 whose ``Retry-After`` is longer than ``max_retry_after`` is
not waited out inside the call but raised, so the caller can requeue the
delivery instead of holding its partition. Server errors retried are 500, 502,
503 and 504, with exponential backoff.

Retries can double-post: Slack has no idempotency key, and a 5xx may come after
the message was accepted. The sent-ledger bounds the damage to that one call.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from edgarmon.core.domain.clock import Sleep
from edgarmon.core.domain.retry import Backoff

RETRIED_SERVER_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class SlackRetryPolicy:
    connection_retries: int = 2
    rate_limit_retries: int = 3
    server_error_retries: int = 2
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0
    max_retry_after_seconds: float = 30.0

    def backoff(self, attempt: int) -> float:
        """The wait before retry ``attempt + 1`` (slack_sdk counts attempts from 0)."""
        schedule = Backoff(self.backoff_seconds, self.max_backoff_seconds)
        return schedule.delay(attempt + 1)


def retry_after_seconds(response: HttpResponse | None) -> float | None:
    """The ``Retry-After`` of a response, in seconds, if it states one."""
    if response is None:
        return None
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                return None
    return None


class RetryAfterHandler(AsyncRateLimitErrorRetryHandler):
    """Retries a 429 after its ``Retry-After`` (1 s if absent), up to a bound."""

    def __init__(self, policy: SlackRetryPolicy, sleep: Sleep) -> None:
        super().__init__(max_retry_count=policy.rate_limit_retries)
        self._policy = policy
        self._sleep = sleep

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_seconds(response)
        return wait is None or wait <= self._policy.max_retry_after_seconds

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        wait = retry_after_seconds(response)
        await self._sleep(1.0 if wait is None else wait)
        state.increment_current_attempt()


class _BackoffWait(AsyncRetryHandler):
    """Waits ``policy.backoff(attempt)`` with the injected sleep before the next try."""

    _policy: SlackRetryPolicy
    _sleep: Sleep

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        await self._sleep(self._policy.backoff(state.current_attempt))
        state.increment_current_attempt()


class ServerErrorHandler(_BackoffWait, AsyncServerErrorRetryHandler):
    """Retries 500, 502, 503 and 504 with exponential backoff."""

    def __init__(self, policy: SlackRetryPolicy, sleep: Sleep) -> None:
        super().__init__(max_retry_count=policy.server_error_retries)
        self._policy = policy
        self._sleep = sleep

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in RETRIED_SERVER_STATUSES


class ConnectionErrorHandler(_BackoffWait, AsyncConnectionErrorRetryHandler):
    """Retries refused, reset and dropped connections with exponential backoff."""

    def __init__(self, policy: SlackRetryPolicy, sleep: Sleep) -> None:
        super().__init__(max_retry_count=policy.connection_retries)
        self._policy = policy
        self._sleep = sleep


def build_retry_handlers(policy: SlackRetryPolicy, sleep: Sleep) -> list[AsyncRetryHandler]:
    """The handlers to pass as ``AsyncWebClient(retry_handlers=...)``."""
    return [
        ConnectionErrorHandler(policy, sleep),
        RetryAfterHandler(policy, sleep),
        ServerErrorHandler(policy, sleep),
    ]
