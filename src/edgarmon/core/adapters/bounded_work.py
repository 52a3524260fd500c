"""Parsing untrusted bytes off the event loop, within a time and a memory budget.

EDGAR's feeds and filing documents are untrusted: a pathological one can make a
parser run for minutes or allocate gigabytes. :class:`BoundedWorkers` runs such a
parse (a plain, picklable function) in a child process of its own:

- the event loop only waits, so probes, heartbeats and SIGTERM keep working;
- past ``budget.seconds`` the child is killed (a thread could not be) and the call
  raises :class:`~edgarmon.core.domain.errors.BudgetExceeded`; a fresh child takes its place;
- the child's address space is capped at ``budget.memory_bytes`` above what it
  started with (``RLIMIT_AS``), so an allocation past it fails in the child
  (``MemoryError``), never in the service, and the call raises ``BudgetExceeded``;
- a cancelled call (the service is draining) kills its child at once.

An exception the function raises is raised again in the caller, so parsers keep
their documented errors. Children come from the ``forkserver`` start method: never
forked from a process that holds threads and sockets.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import pickle
import resource
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, cast

import structlog

if TYPE_CHECKING:
    from edgarmon.core.lifecycle import Shutdown

from edgarmon.core.domain.errors import BudgetExceeded, ShutdownInProgress

log = structlog.get_logger(__name__)

T = TypeVar("T")

_CONTEXT: Final = multiprocessing.get_context("forkserver")
_PAGE_BYTES: Final = resource.getpagesize()
_STOP_SECONDS: Final = 2.0
_LOAD_SECONDS: Final = 60.0


class Parsing(Protocol):
    """Where a parse of untrusted bytes runs: :class:`BoundedWorkers` in the services,
    :data:`INLINE` where the bytes are our own (tests, tools)."""

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...


class _Inline:
    """Runs the parse on the caller's thread, unbounded: for bytes we wrote ourselves."""

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return function(*args, **kwargs)


INLINE: Final[Parsing] = _Inline()


@dataclass(frozen=True, slots=True)
class WorkBudget:
    """What one parse may cost: wall-clock seconds, and bytes of memory above the
    child's starting size."""

    seconds: float
    memory_bytes: int


def _address_space_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[0]) * _PAGE_BYTES


def _child_main(connection: Connection, memory_bytes: int) -> None:
    """The child's loop: cap memory, then run one call at a time until told to stop.
    Every outcome of the call, exceptions included, goes back to the parent: this
    is the boundary where a parser's failure becomes the caller's exception."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # What a parser's libraries log (pypdf on a broken PDF) is not the service's log:
    # the outcome goes back to the parent, which reports it on the event.
    logging.getLogger().addHandler(logging.NullHandler())
    limit = _address_space_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while (job := connection.recv()) is not None:
        function, args, kwargs = job
        try:
            outcome: tuple[str, object] = ("ok", function(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, not hidden
            outcome = ("raised", _transferable(exc))
        try:
            connection.send(outcome)
        except MemoryError:
            connection.send(("memory", None))


def _import(module: str) -> None:
    importlib.import_module(module)


def _transferable(exc: Exception) -> Exception:
    """``exc``, or a stand-in that names it when it does not survive pickling."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except (pickle.PicklingError, TypeError, AttributeError):
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class _Child:
    """One child process and its end of the pipe."""

    def __init__(self, memory_bytes: int) -> None:
        self.connection, child_end = _CONTEXT.Pipe(duplex=True)
        self.process: BaseProcess = _CONTEXT.Process(
            target=_child_main, args=(child_end, memory_bytes), daemon=True, name="edgarmon-parse"
        )
        self.process.start()
        child_end.close()
        self.loaded: set[str] = set()
        """Modules the child has imported: loading one is not the parse's time."""

    async def call(
        self, function: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[str, object]:
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        self.connection.send((function, args, kwargs))
        descriptor = self.connection.fileno()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(descriptor, wake)
        try:
            await readable
        finally:
            loop.remove_reader(descriptor)
        try:
            return cast(tuple[str, object], self.connection.recv())
        except EOFError:  # the child died: killed by the kernel, or a crash in C code
            self.process.join(_STOP_SECONDS)
            return ("died", self.process.exitcode)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(_STOP_SECONDS)
        self.connection.close()

    def stop(self) -> None:
        with suppress(OSError):
            self.connection.send(None)
        self.process.join(_STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(_STOP_SECONDS)
        self.connection.close()


class BoundedWorkers:
    """Up to ``workers`` child processes that run parses within ``budget``.
    Use :func:`bounded_workers` to open and close one."""

    def __init__(
        self,
        budget: WorkBudget,
        *,
        workers: int = 1,
        name: str = "parse",
        shutdown: Shutdown | None = None,
    ) -> None:
        self.budget = budget
        self.name = name
        self._shutdown = shutdown
        self._idle: asyncio.Queue[_Child | None] = asyncio.Queue()
        self._children: set[_Child] = set()
        self.in_flight = 0
        """Calls sent to a child and not yet answered."""
        for _ in range(workers):
            self._idle.put_nowait(None)  # a child is started on first use

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)`` in a child (``function`` defined at a module's
        top level, arguments picklable); its result, or its exception raised here.
        Raises :class:`BudgetExceeded` past the time or the memory budget."""
        child = await self._idle.get() or self._start()
        reusable = False
        self.in_flight += 1
        try:
            if function.__module__ not in child.loaded:
                await self._load(child, function.__module__)
            kind, value = await self._answer(child, function, args, kwargs)
            reusable = kind in {"ok", "raised"}
        finally:  # a child that overran, died or was cancelled with the caller goes
            self.in_flight -= 1
            if not reusable:
                self._children.discard(child)
                child.kill()
            self._idle.put_nowait(child if reusable else None)
        if kind == "ok":
            return cast(T, value)
        if kind == "raised":
            raise cast(BaseException, value)
        if kind == "memory":
            raise BudgetExceeded(
                f"{self.name} needed more than {self.budget.memory_bytes // 2**20} MiB",
                budget="memory",
            )
        raise BudgetExceeded(f"{self.name} crashed its worker (exit code {value})", budget="crash")

    async def _load(self, child: _Child, module: str) -> None:
        """Import ``module`` in ``child`` (a fresh one: after start-up or a kill) outside
        the parse's budget, so that loading the parser never counts as its time."""
        try:
            async with asyncio.timeout(_LOAD_SECONDS):
                kind, value = await child.call(_import, (module,), {})
        except TimeoutError:
            raise BudgetExceeded(f"{self.name} could not load {module}", budget="crash") from None
        if kind != "ok":
            raise BudgetExceeded(f"{self.name} could not load {module}: {value}", budget="crash")
        child.loaded.add(module)

    async def _answer(
        self,
        child: _Child,
        function: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> tuple[str, object]:
        """The child's answer; raises past the time budget, or on shutdown."""
        answer = asyncio.ensure_future(child.call(function, args, kwargs))
        waiting: set[asyncio.Future[Any]] = {answer}
        if self._shutdown is not None:
            waiting.add(asyncio.ensure_future(self._shutdown.wait()))
        try:
            done, _ = await asyncio.wait(
                waiting, timeout=self.budget.seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for future in waiting:
                future.cancel()
            # let the cancelled call drop its pipe's reader before the pipe is closed and
            # its descriptor number goes to the next child
            await asyncio.wait(waiting)
        if answer in done:
            return answer.result()
        if done:
            raise ShutdownInProgress(f"{self.name} cut short: the service is shutting down")
        raise BudgetExceeded(
            f"{self.name} did not finish within {self.budget.seconds:g} s", budget="time"
        )

    @property
    def child_pids(self) -> frozenset[int]:
        return frozenset(child.process.pid for child in self._children if child.process.pid)

    def _start(self) -> _Child:
        child = _Child(self.budget.memory_bytes)
        self._children.add(child)
        return child

    def close(self) -> None:
        for child in self._children:
            child.stop()
        self._children.clear()


@asynccontextmanager
async def bounded_workers(
    budget: WorkBudget, *, workers: int = 1, name: str = "parse", shutdown: Shutdown | None = None
) -> AsyncIterator[BoundedWorkers]:
    """Open :class:`BoundedWorkers`; leaving the block stops every child. With
    ``shutdown``, a parse in flight when it is requested ends at once, raising
    :class:`~edgarmon.core.domain.errors.ShutdownInProgress` (the work is left for the next
    run), and so does every parse asked for after it."""
    pool = BoundedWorkers(budget, workers=workers, name=name, shutdown=shutdown)
    try:
        yield pool
    finally:
        pool.close()
