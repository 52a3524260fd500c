"""``/livez``, ``/readyz`` and ``/metrics`` over HTTP with aiohttp.

Liveness checks only the process itself: that its main loop ticked recently.
It never checks Kafka, EDGAR, Slack or SMTP, so an outage does not restart
every pod. Readiness means started and, for consumers, joined the group.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

LIVEZ = "/livez"
READYZ = "/readyz"
METRICS = "/metrics"


class Health:
    """What the probes report. The service's loops call :meth:`tick` and
    :meth:`set_ready`; the probes only read."""

    def __init__(
        self, *, stale_after_seconds: float = 600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._stale_after = stale_after_seconds
        self._last_tick = clock()
        self._ready = False
        self.reason = "starting"

    def tick(self) -> None:
        self._last_tick = self._clock()

    def set_ready(self, ready: bool, reason: str = "") -> None:
        self._ready = ready
        self.reason = reason or ("ready" if ready else "not ready")

    @property
    def ready(self) -> bool:
        return self._ready

    def live(self) -> bool:
        return self._clock() - self._last_tick <= self._stale_after


def health_app(health: Health, registry: CollectorRegistry) -> web.Application:
    async def livez(_request: web.Request) -> web.Response:
        if health.live():
            return web.Response(text="ok\n")
        return web.Response(status=503, text="main loop stalled\n")

    async def readyz(_request: web.Request) -> web.Response:
        status = 200 if health.ready else 503
        return web.Response(status=status, text=f"{health.reason}\n")

    async def metrics(_request: web.Request) -> web.Response:
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get(LIVEZ, livez)
    app.router.add_get(READYZ, readyz)
    app.router.add_get(METRICS, metrics)
    return app


@asynccontextmanager
async def serve_health(
    health: Health, registry: CollectorRegistry, *, host: str, port: int
) -> AsyncIterator[int]:
    """Serve the probes until the block exits; yields the bound port (``port=0`` picks one)."""
    runner = web.AppRunner(health_app(health, registry), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    server = site._server  # aiohttp exposes the bound port only here
    bound = port
    if server is not None and server.sockets:  # type: ignore[attr-defined]
        bound = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
    try:
        yield bound
    finally:
        await runner.cleanup()
