"""The one retry primitive: its schedule, and a call retried on it."""

from __future__ import annotations

import pytest

from edgarmon.core.domain.retry import Backoff, Retry, call_with_retries
from edgarmon.testing.clock import ManualClock


class Flaky(Exception):
    retry_after: float | None = None


def test_the_schedule_doubles_up_to_its_cap_and_a_longer_hint_wins() -> None:
    backoff = Backoff(initial_seconds=0.5, max_seconds=3.0)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert backoff.delay(1, at_least=7.0) == 7.0
    assert backoff.delay(4, at_least=1.0) == 3.0


@pytest.mark.parametrize(
    "kwargs",
    [{"initial_seconds": -1.0}, {"initial_seconds": 2.0, "max_seconds": 1.0}, {"multiplier": 0.5}],
)
def test_a_schedule_that_cannot_be_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="back-off"):
        Backoff(**kwargs)


async def test_a_call_is_retried_until_it_succeeds_waiting_on_the_schedule() -> None:
    clock = ManualClock(0.0)
    failures = iter([Flaky(), Flaky()])
    seen: list[Retry] = []

    async def operation() -> str:
        for error in failures:
            raise error
        return "done"

    result = await call_with_retries(
        operation,
        on=(Flaky,),
        attempts=3,
        backoff=Backoff(initial_seconds=1.0, max_seconds=10.0),
        sleep=clock.sleep,
        before_wait=seen.append,
    )
    assert result == "done"
    assert clock.sleeps == [1.0, 2.0]
    assert [retry.failures for retry in seen] == [1, 2]


async def test_the_last_failure_is_raised_when_the_tries_are_used_up() -> None:
    clock = ManualClock(0.0)
    calls = 0

    async def operation() -> None:
        nonlocal calls
        calls += 1
        raise Flaky(f"try {calls}")

    with pytest.raises(Flaky, match="try 2"):
        await call_with_retries(
            operation, on=(Flaky,), attempts=2, backoff=Backoff(), sleep=clock.sleep
        )
    assert calls == 2
    assert clock.sleeps == [0.5]


async def test_an_error_not_retried_is_raised_at_once_and_a_hint_stretches_the_wait() -> None:
    clock = ManualClock(0.0)
    errors: list[BaseException] = [Flaky(), KeyError("bug")]
    errors[0].retry_after = 9.0  # type: ignore[attr-defined]

    async def operation() -> None:
        raise errors.pop(0)

    with pytest.raises(KeyError):
        await call_with_retries(
            operation,
            on=(Flaky,),
            attempts=5,
            backoff=Backoff(),
            sleep=clock.sleep,
            hint=lambda error: getattr(error, "retry_after", None),
        )
    assert clock.sleeps == [9.0]


async def test_after_wait_may_stop_the_retries() -> None:
    clock = ManualClock(0.0)

    async def operation() -> None:
        raise Flaky

    def stop(_retry: Retry) -> None:
        raise RuntimeError("draining")

    with pytest.raises(RuntimeError, match="draining"):
        await call_with_retries(
            operation,
            on=(Flaky,),
            attempts=5,
            backoff=Backoff(),
            sleep=clock.sleep,
            after_wait=stop,
        )
    assert len(clock.sleeps) == 1
