"""aiokafka's reports of errors it retries by itself are demoted to DEBUG; the rest keep
their level (see :class:`edgarmon.core.logs.RetriableKafkaNoise`)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
import structlog
from aiokafka import errors

from edgarmon.core.logs import RetriableKafkaNoise, configure_logging
from edgarmon.testing.clock import ManualClock

FETCHER = "aiokafka.consumer.fetcher"
COORDINATOR = "aiokafka.consumer.group_coordinator"
NOT_FOUND = "Topic %s not found in cluster metadata"


@pytest.fixture
def out() -> Iterator[io.StringIO]:
    """The console output of ``configure_logging`` as the demo sets it up; the root
    logger's handlers, the library loggers' levels and structlog's configuration are
    put back afterwards."""
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    libraries = {name: logging.getLogger(name).level for name in ("aiokafka", "kafka")}
    stream = io.StringIO()
    configure_logging(level="warning", fmt="console", stream=stream)
    yield stream
    root.handlers[:], root.level = handlers, level
    for name, library_level in libraries.items():
        logging.getLogger(name).setLevel(library_level)
    structlog.configure(**saved)


def test_leader_and_coordinator_elections_of_a_new_topic_and_group_are_not_shown(
    out: io.StringIO,
) -> None:
    partition = "TopicPartition(topic='edgar.alerts.sent.v1', partition=1)"
    logging.getLogger(FETCHER).error(
        "Failed fetch offsets from %s: %s", 1, errors.NotLeaderForPartitionError(partition)
    )
    coordinator = logging.getLogger(COORDINATOR)
    coordinator.error(
        "Group Coordinator Request failed: %s", errors.GroupCoordinatorNotAvailableError()
    )
    coordinator.error("Group Coordinator Request failed: %s", errors.NotCoordinatorForGroupError())
    coordinator.error("Group Coordinator Request failed: %s", errors.GroupLoadInProgressError())
    coordinator.warning(
        "Marking the coordinator dead (node %s)for group %s.", 1, "edgarmon-classifier"
    )
    logging.getLogger("aiokafka.cluster").warning(
        "Topic %s is not available during auto-create initialization", "edgar.filings"
    )
    assert out.getvalue() == ""


def test_every_other_aiokafka_error_keeps_its_level(out: io.StringIO) -> None:
    client = logging.getLogger("aiokafka.client")
    client.error("Unable connect to node with id %s: %s", 1, errors.KafkaConnectionError("refused"))
    logging.getLogger(COORDINATOR).error(
        "Heartbeat failed: %r",
        errors.KafkaError(f"Unexpected exception: {errors.NotLeaderForPartitionError()!r}"),
    )
    logging.getLogger(COORDINATOR).warning(
        "Heartbeat failed for group %s because it is rebalancing", "edgarmon-notifier"
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert "[error" in lines[0]
    assert "KafkaConnectionError" in lines[0]
    assert "[error" in lines[1], "a message naming another error too is kept"
    assert "[warning" in lines[2]


def test_only_aiokafka_records_are_demoted(out: io.StringIO) -> None:
    logging.getLogger("edgarmon.poller").error("NotLeaderForPartitionError seen by us")
    assert "[error" in out.getvalue()


def test_a_demoted_record_shows_at_debug_when_aiokafka_logs_debug(out: io.StringIO) -> None:
    logging.getLogger("aiokafka").setLevel(logging.DEBUG)
    logging.getLogger(FETCHER).error(
        "Failed fetch offsets from %s: %s", 1, errors.NotLeaderForPartitionError()
    )
    (line,) = out.getvalue().splitlines()
    assert "[debug" in line
    assert "NotLeaderForPartitionError" in line


def record(name: str, level: int, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_an_unknown_topic_is_retriable_only_during_start_up() -> None:
    clock = ManualClock(500.0)
    noise = RetriableKafkaNoise(startup_seconds=60, clock=clock)
    unknown = errors.UnknownTopicOrPartitionError()
    during = record(FETCHER, logging.ERROR, "Failed fetch offsets from %s: %s", 1, unknown)
    assert not noise.filter(during)
    assert during.levelno == logging.DEBUG
    assert during.levelname == "DEBUG"
    cluster = record("aiokafka.cluster", logging.ERROR, NOT_FOUND, "t")
    assert not noise.filter(cluster)

    clock.now += 61  # a topic unknown later was deleted, or is misspelt: keep it an error
    after = record(FETCHER, logging.ERROR, "Failed fetch offsets from %s: %s", 1, unknown)
    assert noise.filter(after)
    assert after.levelno == logging.ERROR
    cluster = record("aiokafka.cluster", logging.ERROR, NOT_FOUND, "t")
    assert noise.filter(cluster)
    assert cluster.levelno == logging.ERROR
    moved = errors.NotLeaderForPartitionError()
    assert not noise.filter(record(FETCHER, logging.ERROR, "Failed: %s", moved))


def test_a_record_whose_arguments_do_not_fit_its_message_is_left_alone() -> None:
    noise = RetriableKafkaNoise(clock=ManualClock(500.0))
    broken = record(FETCHER, logging.ERROR, "Failed fetch offsets from %s: %s", 1)
    assert noise.filter(broken)
    assert broken.levelno == logging.ERROR
