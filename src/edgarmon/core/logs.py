"""Logging with structlog: JSON when not on a terminal, readable on one.

Context is bound per message with contextvars (accession number, topic,
partition, offset) by the consumer loop, so every line a handler writes says
which record it is about. Library loggers (aiokafka, aiohttp) go through the
same renderer. Values under secret-looking keys are masked.

aiokafka reports at ERROR (or WARNING) errors it retries by itself: a partition
leader or group coordinator that is still being elected on a freshly created
topic, or one that moved. :class:`RetriableKafkaNoise` demotes exactly those to
DEBUG; every other aiokafka error keeps its level.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, MutableMapping
from typing import Any, Final, TextIO

import structlog
from structlog.typing import Processor

from edgarmon.core.settings import LogFormat

_SECRET_HINTS = ("token", "password", "secret", "authorization", "api_key")


def redact_secrets(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Mask the value of any key that looks like it holds a secret."""
    for key in event_dict:
        if any(hint in key.lower() for hint in _SECRET_HINTS):
            event_dict[key] = "**********"
    return event_dict


SELF_HEALING_KAFKA_ERRORS: Final = frozenset(
    {
        "NotLeaderForPartitionError",
        "LeaderNotAvailableError",
        "GroupCoordinatorNotAvailableError",
        "CoordinatorNotAvailableError",
        "NotCoordinatorForGroupError",
        "NotCoordinatorError",
        "GroupLoadInProgressError",
        "CoordinatorLoadInProgressError",
    }
)
"""Retriable errors of a leader or coordinator being elected or moving: aiokafka
looks the new one up and retries, whenever they happen."""
STARTUP_KAFKA_ERRORS: Final = frozenset({"UnknownTopicOrPartitionError"})
"""Retriable while the topics are being created; later it means a topic is gone."""
KAFKA_STARTUP_SECONDS: Final = 60.0
_ERROR_NAME = re.compile(r"\b[A-Z][A-Za-z]+Error\b")
_KAFKA_TEMPLATES: Final = {
    # aiokafka messages that name no error class, and the class they stand for
    "Topic %s is not available during auto-create initialization": "LeaderNotAvailableError",
    "Topic %s not found in cluster metadata": "UnknownTopicOrPartitionError",
    "OffsetFetchRequest -- unknown topic %s": "UnknownTopicOrPartitionError",
    "Heartbeat failed for group %s: coordinator (node %s) is either not started or not valid": (
        "NotCoordinatorForGroupError"
    ),
    "Marking the coordinator dead (node %s)for group %s.": "NotCoordinatorForGroupError",
}


class RetriableKafkaNoise(logging.Filter):
    """Demote aiokafka's reports of the retriable errors it heals by itself to DEBUG.

    A record is demoted when every error class it names is one of
    :data:`SELF_HEALING_KAFKA_ERRORS` (or, within ``startup_seconds`` of the filter's
    creation, the process's start, one of :data:`STARTUP_KAFKA_ERRORS`). A record that
    also names another error, say ``KafkaConnectionError``, keeps its level. A demoted
    record is dropped unless its logger is enabled for DEBUG. Other records pass
    unchanged.
    """

    def __init__(
        self,
        *,
        startup_seconds: float = KAFKA_STARTUP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._clock = clock
        self._startup_ends = clock() + startup_seconds

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG or not _is_aiokafka(record.name):
            return True
        if not self._self_healing(record):
            return True
        record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)

    def _self_healing(self, record: logging.LogRecord) -> bool:
        named = _KAFKA_TEMPLATES.get(str(record.msg))
        try:
            names = {named} if named else set(_ERROR_NAME.findall(record.getMessage()))
        except (TypeError, ValueError):  # arguments that do not fit the message
            return False
        healing = SELF_HEALING_KAFKA_ERRORS
        if self._clock() < self._startup_ends:
            healing = healing | STARTUP_KAFKA_ERRORS
        return bool(names) and names <= healing


def _is_aiokafka(name: str) -> bool:
    return name == "aiokafka" or name.startswith("aiokafka.")


def configure_logging(
    *, level: str = "info", fmt: LogFormat = "auto", stream: TextIO | None = None
) -> None:
    """Configure structlog and the standard library's logging for this process."""
    out = stream or sys.stderr
    use_json = fmt == "json" or (fmt == "auto" and not out.isatty())
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    final: list[Processor] = (
        [structlog.processors.dict_tracebacks, renderer] if use_json else [renderer]
    )
    numeric = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(out)
    handler.addFilter(RetriableKafkaNoise())
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    for noisy in ("aiokafka", "aiohttp.access", "kafka"):
        logging.getLogger(noisy).setLevel(max(numeric, logging.WARNING))
