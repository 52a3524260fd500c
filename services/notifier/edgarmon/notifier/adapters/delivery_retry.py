"""Retrying transient delivery failures with bounded exponential backoff.

Permanent failures propagate at once (they go to the dead-letter topic). After
``attempts`` transient failures the last one propagates too, and the caller
decides (the service leaves the offset uncommitted and tries again later).
A rate limit's ``retry_after`` hint stretches the wait when it is longer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog

from edgarmon.core.domain.errors import TransientDeliveryError
from edgarmon.notifier.adapters.timing import Sleep

log = structlog.get_logger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DeliveryRetryPolicy:
    attempts: int = 5
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0

    def delay(self, failures: int, hint: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th failure (1-based)."""
        backoff = min(self.max_backoff_seconds, self.backoff_seconds * 2.0 ** (failures - 1))
        return float(max(backoff, hint or 0.0))


async def retry_transient(
    operation: Callable[[], Awaitable[T]],
    *,
    policy: DeliveryRetryPolicy,
    sleep: Sleep = asyncio.sleep,
    what: str = "delivery",
) -> T:
    """Run ``operation`` until it succeeds, fails permanently, or uses up its attempts."""
    failures = 0
    while True:
        try:
            return await operation()
        except TransientDeliveryError as exc:
            failures += 1
            if failures >= policy.attempts:
                raise
            hint = getattr(exc, "retry_after", None)
            delay = policy.delay(failures, hint if isinstance(hint, float | int) else None)
            log.info("delivery.retry", what=what, failures=failures, delay=delay, reason=str(exc))
            await sleep(delay)
