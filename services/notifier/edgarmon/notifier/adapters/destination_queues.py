"""One queue and one worker per destination, so that one outage holds back only its own alerts.

A destination is a Slack channel or an e-mail address. The consumer hands each
alert (or due digest) to :meth:`DestinationQueues.submit` and goes on with the
next record; the destination's worker sends its queue in order. When a send
fails for now (SMTP refuses, Slack answers 5xx or 429), only that worker waits:
it tries the same alert again after a capped back-off (:class:`Backoff`, a
``Retry-After`` stretches it), while every other destination keeps sending.

Nothing is lost by queueing in memory: the record an alert came from is *held*
in the commit marks until the alert is in the sent-ledger (or dead-lettered),
so the consumer's committed offset never passes it and a crash redelivers it.

- **Back-pressure.** A queue holds at most ``capacity`` alerts; past that,
  :meth:`submit` waits, and with it the consumer: the bound on memory.
- **Rebalances.** :meth:`discard` drops the queued alerts of records whose
  partitions were revoked (their next owner queues them again), interrupts a
  worker waiting to retry one of them, and waits for a send in flight to
  finish and reach the ledger, so the next owner sees it there and does not
  send it twice.
- **Shutdown.** A worker whose destination fails stops at its next wait; the
  others go on sending while the drain waits (:meth:`settle`, within the drain
  time). :meth:`stop` then ends them all, cutting off a send that still hangs.
  What is left stays held and goes out after the restart.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Protocol

import structlog
from aiokafka.errors import KafkaError

from edgarmon.core.domain.errors import TransientDeliveryError, TransientError
from edgarmon.core.domain.retry import Backoff
from edgarmon.notifier.adapters.delivery_retry import retry_after
from edgarmon.notifier.adapters.shutdown_waits import ShutdownAwareSleep

log = structlog.get_logger(__name__)

DEFAULT_CAPACITY = 10_000


class QueuedWork(Protocol):
    """An alert or a digest for one destination."""

    @property
    def destination(self) -> Hashable: ...

    @property
    def ledger_keys(self) -> frozenset[str]: ...

    def without(self, ledger_keys: frozenset[str]) -> QueuedWork | None:
        """This work minus the alerts with ``ledger_keys``; None if nothing is left."""
        ...

    async def send(self) -> None:
        """Send and record it; raises ``TransientDeliveryError`` or ``KafkaError`` when it
        must be tried again later (anything permanent it handles itself)."""
        ...


@dataclass(eq=False)
class _Lane:
    destination: Hashable
    waiting: deque[QueuedWork] = field(default_factory=deque)
    in_flight: QueuedWork | None = None
    sending: bool = False
    """True during a send itself, False while the worker waits to retry."""
    interrupt: asyncio.Event = field(default_factory=asyncio.Event)
    stopped: bool = False


class DestinationQueues:
    def __init__(
        self,
        *,
        backoff: Backoff,
        waits: ShutdownAwareSleep,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        if capacity < 1:
            raise ValueError("a destination queue must hold at least one alert")
        self._backoff = backoff
        self._waits = waits
        self._capacity = capacity
        self._lanes: dict[Hashable, _Lane] = {}
        self._changed = asyncio.Condition()
        self._tasks: asyncio.TaskGroup | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._stopping = False

    async def run(self) -> None:
        """Run the workers until :meth:`stop`; each lane's worker starts with its first alert."""
        async with asyncio.TaskGroup() as tasks:
            self._tasks = tasks
            async with self._changed:
                await self._changed.wait_for(lambda: self._stopping)
            for worker in self._workers:
                # Idle once the drain settled; a send still hanging past the drain time is
                # cut off (the one window in which an alert may go out twice).
                worker.cancel()
        self._tasks = None

    async def stop(self) -> None:
        """Stop the workers: the drain is over, or the service is failing."""
        async with self._changed:
            self._stopping = True
            for lane in self._lanes.values():
                lane.interrupt.set()
            self._changed.notify_all()

    async def submit(self, work: QueuedWork) -> None:
        """Queue ``work`` behind its destination's earlier alerts; waits while that queue
        is full. Raises :class:`TransientError` once stopping (the record stays held)."""
        async with self._changed:
            lane = self._lane(work.destination)
            await self._changed.wait_for(
                lambda: self._stopping or len(lane.waiting) < self._capacity
            )
            if self._stopping:
                raise TransientError("shutting down: the alert is sent after the restart")
            lane.waiting.append(work)
            self._changed.notify_all()

    def _lane(self, destination: Hashable) -> _Lane:
        lane = self._lanes.get(destination)
        if lane is None or lane.stopped:
            if self._tasks is None:
                raise RuntimeError("DestinationQueues.run() is not running")
            lane = _Lane(destination)
            self._lanes[destination] = lane
            self._workers.append(self._tasks.create_task(self._work(lane)))
        return lane

    async def discard(self, ledger_keys: frozenset[str]) -> int:
        """Drop queued alerts by ledger key and wait for sends of them in flight; returns
        how many alerts were dropped."""
        if not ledger_keys:
            return 0
        dropped = 0
        async with self._changed:
            for lane in self._lanes.values():
                kept: deque[QueuedWork] = deque()
                for work in lane.waiting:
                    rest = work.without(ledger_keys)
                    dropped += len(work.ledger_keys) - (len(rest.ledger_keys) if rest else 0)
                    if rest is not None:
                        kept.append(rest)
                lane.waiting = kept
                if lane.in_flight is not None and lane.in_flight.ledger_keys & ledger_keys:
                    lane.interrupt.set()  # a worker waiting to retry gives this up
            self._changed.notify_all()
            await self._changed.wait_for(
                lambda: (
                    not any(
                        lane.in_flight is not None and lane.in_flight.ledger_keys & ledger_keys
                        for lane in self._lanes.values()
                    )
                )
            )
        return dropped

    async def settle(self) -> None:
        """Wait until every queue is empty, or its worker stopped (shutdown)."""
        async with self._changed:
            await self._changed.wait_for(
                lambda: all(
                    lane.stopped or (not lane.waiting and lane.in_flight is None)
                    for lane in self._lanes.values()
                )
            )

    def pending(self) -> int:
        """Alerts queued or in flight."""
        return sum(
            len(lane.waiting) + (lane.in_flight is not None) for lane in self._lanes.values()
        )

    # --- one destination's worker ----------------------------------------------------

    async def _work(self, lane: _Lane) -> None:
        try:
            while True:
                async with self._changed:
                    await self._changed.wait_for(lambda: self._stopping or bool(lane.waiting))
                    if self._stopping:
                        return
                    lane.in_flight = lane.waiting.popleft()
                    lane.interrupt.clear()
                    self._changed.notify_all()
                try:
                    if not await self._send(lane, lane.in_flight):
                        return
                finally:
                    async with self._changed:
                        lane.in_flight = None
                        self._changed.notify_all()
        finally:
            async with self._changed:
                lane.stopped = True
                self._changed.notify_all()

    async def _send(self, lane: _Lane, work: QueuedWork) -> bool:
        """Send ``work`` until it is done or given up; False if the worker must stop."""
        failures = 0
        while True:
            lane.sending = True
            try:
                await work.send()
            except (TransientDeliveryError, KafkaError) as exc:
                failures += 1
                delay = self._backoff.delay(failures, at_least=retry_after(exc))
                log.warning(
                    "destination failing; its alerts wait, the others go on",
                    failures=failures,
                    delay_seconds=delay,
                    queued=len(lane.waiting),
                    reason=str(exc),
                )
            else:
                return True
            finally:
                lane.sending = False
            if not await self._wait_unless_interrupted(lane, delay):
                return not self._stopping and not self._waits_ended()

    async def _wait_unless_interrupted(self, lane: _Lane, seconds: float) -> bool:
        """Wait ``seconds``; False if interrupted (revoked, stopping) or shutting down."""
        if lane.interrupt.is_set():
            return False
        waiting = asyncio.ensure_future(self._waits.wait(seconds))
        interrupted = asyncio.ensure_future(lane.interrupt.wait())
        try:
            await asyncio.wait({waiting, interrupted}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiting, interrupted):
                task.cancel()
            await asyncio.gather(waiting, interrupted, return_exceptions=True)
        return waiting.done() and not waiting.cancelled() and waiting.result()

    def _waits_ended(self) -> bool:
        return self._waits.ended
