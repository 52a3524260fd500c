"""Retrying transient delivery failures: the delivery policy on the one retry primitive.

Permanent failures propagate at once (they go to the dead-letter topic). After
``attempts`` transient failures the last one propagates too, and the caller
decides (the alert waits in its destination's queue and is tried again later).
A rate limit's ``retry_after`` hint stretches the wait when it is longer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog

from edgarmon.core.domain.clock import Sleep
from edgarmon.core.domain.errors import TransientDeliveryError
from edgarmon.core.domain.retry import Backoff, Retry, call_with_retries

log = structlog.get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DeliveryRetryPolicy:
    attempts: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0

    @property
    def backoff(self) -> Backoff:
        return Backoff(initial_seconds=self.backoff_seconds, max_seconds=self.max_backoff_seconds)


def retry_after(error: BaseException) -> float | None:
    """The wait a failure asks for (a 429's ``Retry-After``), if any."""
    hint = getattr(error, "retry_after", None)
    return float(hint) if isinstance(hint, float | int) else None


async def retry_transient(
    operation: Callable[[], Awaitable[T]],
    *,
    policy: DeliveryRetryPolicy,
    sleep: Sleep = asyncio.sleep,
    what: str = "delivery",
) -> T:
    """Run ``operation`` until it succeeds, fails permanently, or uses up its attempts."""

    def waiting(retry: Retry) -> None:
        log.info(
            "delivery.retry",
            what=what,
            failures=retry.failures,
            delay=retry.delay,
            reason=str(retry.error),
        )

    return await call_with_retries(
        operation,
        on=(TransientDeliveryError,),
        attempts=policy.attempts,
        backoff=policy.backoff,
        sleep=sleep,
        hint=retry_after,
        before_wait=waiting,
    )
