"""The waits of delivery retries, made to keep the pod alive and to stop on shutdown.

Senders wait between tries (retry backoff, a 429's ``Retry-After``, the
per-channel rate limit). During a long Slack or SMTP outage those waits add up
past the liveness probe's staleness, and on SIGTERM they would overrun the
drain time. :class:`ShutdownAwareSleep` is the ``sleep`` the senders are given:
it waits in slices of at most ``slice_seconds``, ticking :class:`Health` before
each, and wakes as soon as shutdown is requested. Called as a sleep it then raises
:class:`TransientDeliveryError` instead of waiting (again): the record stays
uncommitted and is redelivered after the restart, and the sent-ledger keeps what
was already sent from going out twice.
"""

from __future__ import annotations

import asyncio

from edgarmon.core.adapters.health import Health
from edgarmon.core.domain.clock import Sleep
from edgarmon.core.domain.errors import TransientDeliveryError
from edgarmon.core.lifecycle import Shutdown

LIVENESS_SLICE_SECONDS = 30.0
"""Longest wait between two liveness ticks; well under the probe's 120 s staleness."""


class ShutdownAwareSleep:
    def __init__(
        self,
        *,
        shutdown: Shutdown,
        health: Health,
        sleep: Sleep = asyncio.sleep,
        slice_seconds: float = LIVENESS_SLICE_SECONDS,
    ) -> None:
        if slice_seconds <= 0:
            raise ValueError("slice_seconds must be > 0")
        self._shutdown = shutdown
        self._health = health
        self._sleep = sleep
        self._slice = slice_seconds

    @property
    def ended(self) -> bool:
        """Whether shutdown was requested: no wait lasts any more."""
        return self._shutdown.requested

    async def __call__(self, seconds: float) -> None:
        """Wait ``seconds`` before a delivery is tried again; raises
        :class:`TransientDeliveryError` once shutdown is requested."""
        if not await self.wait(seconds):
            raise TransientDeliveryError("shutting down: not waiting to try the delivery again")

    async def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``, ticking liveness. False (at once) if shutdown is
        or becomes requested, True once the time has passed."""
        remaining = max(seconds, 0.0)
        while True:
            self._health.tick()
            if self._shutdown.requested:
                return False
            if remaining <= 0:
                return True
            step = min(remaining, self._slice)
            await self._sleep_unless_shutdown(step)
            remaining -= step

    async def _sleep_unless_shutdown(self, seconds: float) -> None:
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        stopping = asyncio.ensure_future(self._shutdown.wait())
        try:
            await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeping, stopping):
                task.cancel()
            await asyncio.gather(sleeping, stopping, return_exceptions=True)
        if sleeping.done() and not sleeping.cancelled():
            sleeping.result()  # the injected sleep's own failure, if any
