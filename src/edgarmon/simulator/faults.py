"""Faults the simulator can inject into its next responses: 503s, truncated bodies,
slow answers, cut-off documents and forced fair-access blocks. Tests call :meth:`FaultPlan.inject`;
the control endpoint ``POST /_sim/faults`` does the same over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class FaultKind(Enum):
    UNAVAILABLE = "unavailable"  # 503 with EDGAR's "File Unavailable" page
    TRUNCATE = "truncate"  # Content-Length says more than is sent; the connection closes
    MALFORMED = "malformed"  # the first half of the body, sent as if whole (a cut-off feed)
    SLOW = "slow"  # wait ``seconds`` before answering
    BLOCK = "block"  # answer with the fair-access block page (403) and start a block


@dataclass
class Fault:
    kind: FaultKind
    remaining: int = 1
    path_prefix: str = "/"
    seconds: float = 0.0


@dataclass
class FaultPlan:
    """Pending faults, applied first-come to matching requests."""

    pending: list[Fault] = field(default_factory=list)

    def inject(
        self, kind: FaultKind | str, *, count: int = 1, path_prefix: str = "/", seconds: float = 0.0
    ) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self.pending.append(Fault(FaultKind(kind), count, path_prefix, seconds))

    def clear(self) -> None:
        self.pending.clear()

    def take(self, path: str) -> Fault | None:
        """The fault to apply to a request for ``path``, if any (used up by one)."""
        for fault in self.pending:
            if path.startswith(fault.path_prefix):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.pending.remove(fault)
                return fault
        return None
