"""The edgarmon exception tree.

Every exception edgarmon raises on purpose derives from :class:`EdgarmonError`,
so a caller can tell our failures from bugs::

    EdgarmonError
    +-- ConfigurationError      a setting is missing or invalid; start-up stops
    +-- BrokerUnreachable       no Kafka broker answered within the start-up wait; exit 1
    +-- DecodeError             a Kafka record is not a valid message; it is dead-lettered
    +-- BudgetExceeded          parsing untrusted bytes overran its time or memory budget
    +-- TransientError          may succeed later: a consumer redelivers the record
    |   +-- ShutdownInProgress  work cut short by SIGTERM; left uncommitted for the next run
    +-- EdgarError              talking to EDGAR failed
    |   +-- FairAccessBlocked   EDGAR blocked us (403/429/threshold page); we back off (transient)
    |   +-- DisallowedHost      a URL points outside the allowed hosts; never fetched
    |   +-- DocumentTooLarge    a response is over the size cap; never read whole
    |   +-- EdgarUnavailable    5xx, timeouts, truncated bodies (transient)
    |   +-- FeedParseError      a feed or index could not be parsed
    +-- SchemaRegistryError     a schema registry refused our schemas or did not answer
    +-- DeliveryError           an alert could not be delivered
        +-- PermanentDeliveryError   retrying cannot help; dead-lettered with the reason
        +-- TransientDeliveryError   retried with backoff (transient)

Classes marked transient also derive from :class:`TransientError`.
Code catches the narrowest class that it can handle; nothing catches
``Exception`` to keep going.
"""

from __future__ import annotations


class EdgarmonError(Exception):
    """Base class of every error edgarmon raises on purpose."""


class ConfigurationError(EdgarmonError):
    """A setting is missing or invalid. The message names the setting."""


class BrokerUnreachable(EdgarmonError):
    """No Kafka broker answered at start-up within ``EDGARMON_KAFKA_STARTUP_TIMEOUT_SECONDS``.
    The message names the address tried and how to start or point at a broker."""


class BudgetExceeded(EdgarmonError):
    """Parsing untrusted bytes (a feed, an index, a document) overran its budget:
    ``budget`` is ``"time"``, ``"memory"`` or ``"crash"`` (the worker died). The
    input is skipped or recorded as an error; the service goes on."""

    def __init__(self, message: str, *, budget: str) -> None:
        super().__init__(message)
        self.budget = budget

    def __reduce__(self) -> tuple[object, ...]:
        return (_budget_exceeded, (str(self), self.budget))


def _budget_exceeded(message: str, budget: str) -> BudgetExceeded:
    return BudgetExceeded(message, budget=budget)


class DecodeError(EdgarmonError):
    """A Kafka record could not be decoded into the expected message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientError(EdgarmonError):
    """A failure that may go away by itself. A consumer that meets one does not
    commit: it backs off and handles the same record again."""


class ShutdownInProgress(TransientError):
    """Work was cut short because the service is shutting down: the record is left
    uncommitted, and the next run (or the partition's next owner) handles it whole."""


class EdgarError(EdgarmonError):
    """A request to EDGAR, or the parsing of its answer, failed."""


class FairAccessBlocked(EdgarError, TransientError):
    """EDGAR answered with its fair-access block; no request may be sent until ``until``."""

    def __init__(self, message: str, *, until: float) -> None:
        super().__init__(message)
        self.until = until


class DisallowedHost(EdgarError):
    """A URL names a host outside the allowed list."""


class DocumentTooLarge(EdgarError):
    """A response body is larger than the configured cap."""


class EdgarUnavailable(EdgarError, TransientError):
    """A transient failure: 5xx, timeout, connection reset or truncated body."""


class FeedParseError(EdgarError):
    """A feed, index or document could not be parsed."""


class SchemaRegistryError(EdgarmonError):
    """A schema registry (``edgarmon schemas --register``) refused a schema or did not
    answer. The message names the subject and the registry's reason."""


class DeliveryError(EdgarmonError):
    """An alert could not be delivered."""


class PermanentDeliveryError(DeliveryError):
    """Delivery failed in a way retrying cannot fix (e.g. ``channel_not_found``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientDeliveryError(DeliveryError, TransientError):
    """Delivery failed for now (outage, 5xx, rate limit); try again later."""
