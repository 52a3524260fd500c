"""Jobs for tests/core/test_bounded_work.py: module-level, so a child can import them."""

from __future__ import annotations

import os
import time

from edgarmon.core.domain.errors import FeedParseError


def add(a: int, b: int) -> int:
    return a + b


def pid() -> int:
    return os.getpid()


def spin(seconds: float) -> str:
    """Busy for ``seconds`` (a regex that will not finish, as the parent sees it)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "finished"


def allocate(mib: int) -> int:
    blocks = [bytearray(2**20) for _ in range(mib)]
    return len(blocks)


def refuse(reason: str) -> None:
    raise FeedParseError(reason)


class Unpicklable(Exception):
    def __init__(self, a: str, *, b: str) -> None:
        super().__init__(a)
        self.b = b


def raise_unpicklable() -> None:
    raise Unpicklable("made up", b="keyword")


def die() -> None:
    os._exit(7)
