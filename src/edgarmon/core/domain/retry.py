"""The one retry primitive: a capped exponential back-off, and a call retried on it.

Every wait between two tries in edgarmon comes from :class:`Backoff`: the consumer
rewinding a record, a document fetch while EDGAR answers 5xx, a delivery while Slack
or SMTP fails, a Slack SDK retry, a digest sent again. :func:`call_with_retries`
runs one operation until it succeeds, raises something not retryable, or uses up
its tries, in the manner of stamina's ``retry_context``: with the wait injected
(``sleep``), so that tests run at once and a draining service can stop waiting.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from edgarmon.core.domain.clock import Sleep

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Backoff:
    """``initial_seconds``, then ``multiplier`` times longer after each failure, never
    more than ``max_seconds``; a hint from the other side (``Retry-After``) that asks
    for longer wins."""

    initial_seconds: float = 0.5
    max_seconds: float = 30.0
    multiplier: float = 2.0

    def __post_init__(self) -> None:
        if self.initial_seconds < 0 or self.max_seconds < self.initial_seconds:
            raise ValueError("a back-off needs 0 <= initial_seconds <= max_seconds")
        if self.multiplier < 1:
            raise ValueError("a back-off's multiplier must be at least 1")

    def delay(self, failures: int, *, at_least: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th failure in a row (1-based)."""
        grown = self.initial_seconds * self.multiplier ** max(failures - 1, 0)
        return float(max(min(self.max_seconds, grown), at_least or 0.0))


@dataclass(frozen=True, slots=True)
class Retry:
    """What :func:`call_with_retries` tells ``before_wait``: the failure, how many in a
    row, and the wait about to start."""

    error: BaseException
    failures: int
    delay: float


async def call_with_retries(
    operation: Callable[[], Awaitable[T]],
    *,
    on: tuple[type[BaseException], ...],
    attempts: int,
    backoff: Backoff,
    sleep: Sleep,
    hint: Callable[[BaseException], float | None] = lambda _error: None,
    before_wait: Callable[[Retry], None] = lambda _retry: None,
    after_wait: Callable[[Retry], None] = lambda _retry: None,
) -> T:
    """Await ``operation()``; on an exception in ``on``, wait and try again, up to
    ``attempts`` tries in all, then raise the last failure. Anything else is raised at
    once. ``hint`` may lengthen a wait (a 429's ``Retry-After``); ``after_wait`` may
    raise to stop retrying (the service is shutting down)."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    failures = 0
    while True:
        try:
            return await operation()
        except on as error:
            failures += 1
            if failures >= attempts:
                raise
            retry = Retry(error, failures, backoff.delay(failures, at_least=hint(error)))
        before_wait(retry)
        await sleep(retry.delay)
        after_wait(retry)
