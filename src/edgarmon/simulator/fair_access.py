"""SEC's fair-access rules, as the simulator enforces them.

- A request without a declared User-Agent (a name and an e-mail address) is refused
  with 403 and the "Undeclared Automated Tool" page.
- A client (by IP address) over ``max_rate`` requests in any ``window`` seconds is
  blocked: 403 and the real "Request Rate Threshold Exceeded" page for
  ``block_seconds``. Exceeding the rate again during the block extends it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

_EMAIL: Final = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_WORD: Final = re.compile(r"[A-Za-z]{2,}")


class Verdict(Enum):
    ALLOW = "allow"
    UNDECLARED = "undeclared"
    BLOCKED = "blocked"


def is_declared_user_agent(user_agent: str | None) -> bool:
    if not user_agent or not _EMAIL.search(user_agent):
        return False
    return bool(_WORD.search(_EMAIL.sub(" ", user_agent)))


@dataclass
class FairAccessGuard:
    """Per-client request accounting on ``clock`` (seconds, monotonic)."""

    clock: Callable[[], float]
    max_rate: float = 10.0
    window: float = 1.0
    block_seconds: float = 600.0
    _recent: dict[str, deque[float]] = field(default_factory=dict)
    _blocked_until: dict[str, float] = field(default_factory=dict)
    blocks_started: int = 0

    def check(self, client: str, user_agent: str | None) -> Verdict:
        if not is_declared_user_agent(user_agent):
            return Verdict.UNDECLARED
        now = self.clock()
        recent = self._recent.setdefault(client, deque())
        recent.append(now)
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        over = len(recent) > self.max_rate * self.window
        until = self._blocked_until.get(client)
        if until is not None and now >= until:
            del self._blocked_until[client]
            until = None
        if over:
            if until is None:
                self.blocks_started += 1
            self._blocked_until[client] = now + self.block_seconds
            return Verdict.BLOCKED
        return Verdict.BLOCKED if until is not None else Verdict.ALLOW

    def block(self, client: str, seconds: float | None = None) -> None:
        """Block ``client`` now, as if it had gone over the rate."""
        self.blocks_started += 1
        self._blocked_until[client] = self.clock() + (
            self.block_seconds if seconds is None else seconds
        )

    def blocked_until(self, client: str) -> float | None:
        return self._blocked_until.get(client)
