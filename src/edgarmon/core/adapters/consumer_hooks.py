"""What a consuming service gives the consumer engine: its handler, and its hooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Protocol, TypeVar

from edgarmon.core.adapters.kafka import Outgoing
from edgarmon.core.domain.messages import Message

M_contra = TypeVar("M_contra", bound=Message, contravariant=True)


class Handler(Protocol[M_contra]):
    """Does the work for one message; returns what to publish."""

    async def __call__(self, message: M_contra, record: Any) -> Sequence[Outgoing]: ...


class ConsumerHooks:
    """What a service adds to the engine; each hook does nothing by default. Hooks
    other than :meth:`poll_timeout_ms` run holding the rebalance gate's lock."""

    async def before_fetch(self) -> bool:
        """Work before each fetch; False if it failed for now (the engine backs off)."""
        return True

    def poll_timeout_ms(self, default_ms: int) -> int:
        """How long a fetch may wait for records (less when a timer is due)."""
        return default_ms

    async def after_batch(self) -> None:
        """Work after each batch, and after each empty fetch (timers)."""

    async def on_revoked(self, orphaned: frozenset[str]) -> None:
        """Partitions were revoked; ``orphaned`` are the keys no record held any more
        (watermark mode): drop what was queued for them."""

    async def drain(self, requested_at: float) -> None:
        """Shutdown was requested at ``requested_at`` (loop time): finish what can be."""


NO_HOOKS: Final = ConsumerHooks()
