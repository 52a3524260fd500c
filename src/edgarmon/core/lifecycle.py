"""Service lifecycle: settings, logging, probes, signals and a bounded drain.

Every service's ``main`` calls :func:`run_service` with its settings type and
an async ``serve(settings, runtime)``. On the first SIGTERM or SIGINT the
:class:`Shutdown` is requested: loops stop taking work, finish what is in
flight, commit and leave their consumer group. If ``serve`` has not returned
within ``shutdown_timeout_seconds`` it is cancelled and the process exits 1.
A second signal exits at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import TypeVar, cast

import structlog
from prometheus_client import CollectorRegistry

from edgarmon.core.adapters.health import Health, serve_health
from edgarmon.core.domain.errors import BrokerUnreachable, ConfigurationError
from edgarmon.core.logs import configure_logging
from edgarmon.core.settings import (
    ServiceSettings,
    load_settings,
    settings_classes,
    unknown_variables,
)

log = structlog.get_logger(__name__)

EXIT_OK = 0
EXIT_DRAIN_TIMEOUT = 1
EXIT_NO_BROKER = 1
EXIT_CONFIG = 2
EXIT_FORCED = 130

S = TypeVar("S", bound=ServiceSettings)


class Shutdown:
    """A shutdown request that loops poll or await."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.reason = ""

    def request(self, reason: str) -> None:
        if not self._event.is_set():
            self.reason = reason
            self._event.set()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    async def wait(self) -> None:
        await self._event.wait()

    async def sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds``, waking early on shutdown. True if shutdown was requested."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout=max(seconds, 0.0))
        return self._event.is_set()


@dataclass(frozen=True)
class ServiceRuntime:
    """What :func:`run_service` builds once and hands to the service."""

    name: str
    registry: CollectorRegistry
    health: Health
    shutdown: Shutdown
    clock: Callable[[], float] = field(default=time.time)


@contextlib.contextmanager
def capture_signals(shutdown: Shutdown, *, force_exit: Callable[[int], None]) -> Iterator[None]:
    """Route SIGTERM/SIGINT to ``shutdown``; a second signal calls ``force_exit``.
    The previous handlers are restored on exit."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.getsignal(sig) for sig in signals}

    def on_signal(sig: signal.Signals) -> None:
        if shutdown.requested:
            log.warning("second signal, exiting now", signal=sig.name)
            force_exit(EXIT_FORCED)
            return
        log.info("shutdown requested, draining", signal=sig.name)
        shutdown.request(sig.name)

    for sig in signals:
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, _as_handler(handler))


def _as_handler(
    handler: Callable[[int, FrameType | None], object] | int | None,
) -> Callable[[int, FrameType | None], object] | int:
    return signal.SIG_DFL if handler is None else handler


async def run_until_shutdown(
    work: Awaitable[None], shutdown: Shutdown, *, drain_timeout: float
) -> int:
    """Run ``work``; once shutdown is requested give it ``drain_timeout`` seconds to return."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(shutdown.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            done, _ = await asyncio.wait({task}, timeout=drain_timeout)
            if not done:
                log.error("drain timed out, cancelling", timeout_seconds=drain_timeout)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                return EXIT_DRAIN_TIMEOUT
        task.result()
        return EXIT_OK
    finally:
        stop.cancel()


def service_usage(name: str, summary: str) -> str:
    """What ``edgarmon <service> --help`` prints."""
    return (
        f"usage: edgarmon {name}\n\n{summary}\n\n"
        "It takes no arguments: every setting is an EDGARMON_* environment variable (or a\n"
        "file of that name in EDGARMON_SECRETS_DIR). `edgarmon config-reference` lists them\n"
        "all with their defaults.\n\n"
        "Exit codes: 0 after a clean drain on SIGTERM/SIGINT; 1 when the drain overran\n"
        "EDGARMON_SHUTDOWN_TIMEOUT_SECONDS or no Kafka broker answered; 2 for a bad\n"
        "setting; 130 on a second signal."
    )


def run_service(
    *,
    name: str,
    summary: str,
    settings_type: type[S],
    serve: Callable[[S, ServiceRuntime], Awaitable[None]],
    argv: Sequence[str] = (),
    preflight: Callable[[S], object] | None = None,
) -> int:
    """Load settings, configure logging, serve the probes and run ``serve`` until shutdown.

    ``preflight`` checks what the settings point at (a routes file) before anything
    starts; a :class:`ConfigurationError` from it exits 2 like a bad setting."""
    if list(argv) in (["-h"], ["--help"]):
        print(service_usage(name, summary))
        return EXIT_OK
    if argv:
        print(
            f"edgarmon {name}: takes no arguments (got {' '.join(argv)!r}); it is configured "
            f"with EDGARMON_* variables: see `edgarmon {name} --help`",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    try:
        settings = load_settings(settings_type)
        if preflight is not None:
            preflight(settings)
    except ConfigurationError as exc:
        print(f"edgarmon {name}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    structlog.contextvars.bind_contextvars(service=name)
    for unknown in unknown_variables(os.environ, [settings_type, *settings_classes().values()]):
        log.warning(
            "unknown setting ignored",
            variable=unknown.name,
            did_you_mean=unknown.closest or "no close setting name",
        )
    unreachable: BrokerUnreachable | None = None
    try:
        return asyncio.run(_serve(name, settings, serve))
    except* BrokerUnreachable as group:
        unreachable = cast(BrokerUnreachable, group.exceptions[0])
    print(f"edgarmon {name}: {unreachable}", file=sys.stderr)
    return EXIT_NO_BROKER


async def _serve(
    name: str, settings: S, serve: Callable[[S, ServiceRuntime], Awaitable[None]]
) -> int:
    runtime = ServiceRuntime(
        name=name, registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )
    with capture_signals(runtime.shutdown, force_exit=os._exit):
        async with serve_health(
            runtime.health, runtime.registry, host=settings.health_host, port=settings.health_port
        ) as port:
            log.info("started", health_port=port)
            code = await run_until_shutdown(
                serve(settings, runtime),
                runtime.shutdown,
                drain_timeout=settings.shutdown_timeout_seconds,
            )
    log.info("stopped", exit_code=code)
    return code
