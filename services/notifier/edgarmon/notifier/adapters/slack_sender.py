"""Posting to Slack with ``chat.postMessage``, and what its errors mean.

:class:`SlackSender` is the thin adapter: wait for the channel's rate-limit
slot, post through slack_sdk's ``AsyncWebClient`` (which retries connection
errors, 429 and 5xx through the handlers in :mod:`slack_retry`), and turn what
is left into :class:`PermanentDeliveryError` (dead-letter it, with the reason)
or :class:`TransientDeliveryError` (try again later).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Final

import aiohttp
import structlog
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from edgarmon.core.domain.clock import Sleep
from edgarmon.core.domain.errors import (
    DeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from edgarmon.notifier.adapters.channel_rate_limit import ChannelRateLimiter
from edgarmon.notifier.adapters.slack_retry import SlackRetryPolicy, build_retry_handlers
from edgarmon.notifier.domain.slack_blocks import SlackMessage

log = structlog.get_logger(__name__)

TRANSIENT_ERRORS: Final = frozenset(
    {"fatal_error", "internal_error", "ratelimited", "request_timeout", "service_unavailable"}
)


class SlackRateLimited(TransientDeliveryError):
    """Slack still answered 429 after the client's retries; ``retry_after`` is its hint."""

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def classify_slack_error(
    status: int, body: object, headers: Mapping[str, str] | None = None
) -> DeliveryError:
    """The delivery error for a failed ``chat.postMessage`` answer.

    HTTP 429 and 5xx are transient, and so is an ``ok: false`` error Slack says is on
    its side (``TRANSIENT_ERRORS``). Any other (``channel_not_found``, ``invalid_auth``,
    ``msg_too_long``, or one unknown) is permanent: dead-lettered with its reason
    rather than retried forever.
    """
    error = body.get("error") if isinstance(body, Mapping) else None
    reason = str(error) if error else f"http_{status}"
    if status == 429:
        lowered = {name.lower(): value for name, value in (headers or {}).items()}
        raw = lowered.get("retry-after")
        try:
            retry_after = float(raw) if raw is not None else None
        except ValueError:
            retry_after = None
        return SlackRateLimited(f"slack: {reason} (HTTP 429)", retry_after=retry_after)
    if status >= 500 or reason in TRANSIENT_ERRORS:
        return TransientDeliveryError(f"slack: {reason} (HTTP {status})")
    return PermanentDeliveryError(f"slack: {reason}")


class SlackSender:
    """Sends rendered messages; one instance per process, sharing the rate limiter."""

    def __init__(self, client: AsyncWebClient, limiter: ChannelRateLimiter) -> None:
        self._client = client
        self._limiter = limiter

    async def send(self, message: SlackMessage) -> str:
        """Post ``message``; return its ``ts``. Raises a :class:`DeliveryError`."""
        await self._limiter.acquire(message.channel)
        try:
            response = await self._client.chat_postMessage(**message.payload())
        except SlackApiError as exc:
            answer = exc.response
            headers: dict[str, str] = {k: str(v) for k, v in dict(answer.headers or {}).items()}
            error = classify_slack_error(answer.status_code, answer.data, headers)
            log.warning("slack.post_failed", channel=message.channel, reason=str(error))
            raise error from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning("slack.unreachable", channel=message.channel, error=type(exc).__name__)
            raise TransientDeliveryError(f"slack unreachable: {type(exc).__name__}") from exc
        return str(response.get("ts", ""))


def build_slack_client(
    *,
    api_url: str,
    token: SecretStr,
    timeout_seconds: int,
    policy: SlackRetryPolicy,
    sleep: Sleep = asyncio.sleep,
) -> AsyncWebClient:
    """An ``AsyncWebClient`` for ``api_url`` with our retry handlers."""
    return AsyncWebClient(
        token=token.get_secret_value(),
        base_url=api_url,
        timeout=timeout_seconds,
        retry_handlers=build_retry_handlers(policy, sleep),
    )
