"""Kafka adapters: topic creation, an idempotent or transactional producer, a
publisher that speaks the codec, and a consumer that commits only after work.

The consumer loop itself is in :mod:`edgarmon.core.adapters.consumer`.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import BrokerUnreachable, DecodeError
from edgarmon.core.domain.messages import DeadLetter, Message
from edgarmon.core.domain.topics import TopicSpec
from edgarmon.core.settings import ServiceSettings

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=Message)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message a handler wants published, and where."""

    topic: str
    message: Message


BROKER_HINT: Final = (
    "start a local one with `edgarmon broker start` (it prints the address to export), "
    "or set EDGARMON_KAFKA_BOOTSTRAP_SERVERS to your cluster's"
)
_FIRST_RETRY_SECONDS: Final = 0.25
_LONGEST_RETRY_SECONDS: Final = 4.0


async def connect_admin(
    settings: ServiceSettings,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> AIOKafkaAdminClient:
    """A started admin client, once a broker answers. Start-up waits for the broker
    (it may be starting beside us) for ``kafka_startup_timeout_seconds``, with one
    warning naming the address, then raises :class:`BrokerUnreachable`."""
    deadline = monotonic() + settings.kafka_startup_timeout_seconds
    with _bootstrap_failures_unlogged():
        return await _admin_when_answering(settings, deadline, sleep, monotonic)


async def _admin_when_answering(
    settings: ServiceSettings,
    deadline: float,
    sleep: Callable[[float], Awaitable[object]],
    monotonic: Callable[[], float],
) -> AIOKafkaAdminClient:
    wait = _FIRST_RETRY_SECONDS
    address = settings.kafka_bootstrap_servers
    while True:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=address, client_id=f"{settings.kafka_client_id}-admin"
        )
        try:
            await admin.start()
        except KafkaConnectionError:
            await admin.close()
        else:
            return admin
        left = deadline - monotonic()
        if left <= 0:
            raise BrokerUnreachable(
                f"no Kafka broker answered at {address} (EDGARMON_KAFKA_BOOTSTRAP_SERVERS) "
                f"within {settings.kafka_startup_timeout_seconds:g} s; {BROKER_HINT}"
            )
        if wait == _FIRST_RETRY_SECONDS:
            log.warning(
                "Kafka is not answering yet; waiting",
                bootstrap_servers=address,
                up_to_seconds=settings.kafka_startup_timeout_seconds,
                hint=BROKER_HINT,
            )
        await sleep(min(wait, left))
        wait = min(wait * 2, _LONGEST_RETRY_SECONDS)


class _BootstrapFailureFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Unable connect to")


@contextmanager
def _bootstrap_failures_unlogged() -> Iterator[None]:
    """While start-up waits for a broker, aiokafka's ERROR line per failed attempt says
    nothing the waiting warning and the final error do not."""
    aiokafka_log, quiet = logging.getLogger("aiokafka"), _BootstrapFailureFilter()
    aiokafka_log.addFilter(quiet)
    try:
        yield
    finally:
        aiokafka_log.removeFilter(quiet)


async def ensure_topics(
    settings: ServiceSettings, specs: Iterable[TopicSpec], *, replication_factor: int | None = None
) -> list[str]:
    """Wait for the broker, then create the topics that do not exist yet where
    ``kafka_create_topics`` allows it; returns the names it created."""
    admin = await connect_admin(settings)
    try:
        if not settings.kafka_create_topics:
            return []
        existing = set(await admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        if not missing:
            return []
        replication = replication_factor or settings.kafka_replication_factor
        new_topics = [
            NewTopic(
                name=spec.name,
                num_partitions=spec.partitions,
                replication_factor=replication,
                topic_configs=dict(spec.config),
            )
            for spec in missing
        ]
        try:
            await admin.create_topics(new_topics)
        except TopicAlreadyExistsError:
            log.info("topics created concurrently by another process")
        created = [spec.name for spec in missing]
        log.info("created topics", topics=created)
        return created
    finally:
        await admin.close()


async def _started(client: AIOKafkaProducer | AIOKafkaConsumer) -> None:
    """Start ``client``; if that fails or is cancelled (Ctrl-C), stop it, so that the
    connections it opened are closed rather than left to the garbage collector."""
    try:
        await client.start()
    except BaseException:
        await client.stop()
        raise


@asynccontextmanager
async def open_producer(
    settings: ServiceSettings, *, transactional_id: str | None = None
) -> AsyncIterator[AIOKafkaProducer]:
    """An idempotent producer (acks=all); transactional when given a stable id."""
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=settings.kafka_client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        transactional_id=transactional_id,
        request_timeout_ms=30_000,
    )
    await _started(producer)
    try:
        yield producer
    finally:
        await producer.stop()


@asynccontextmanager
async def open_consumer(
    settings: ServiceSettings,
    *,
    topics: Sequence[str],
    group_id: str,
    listener: ConsumerRebalanceListener | None = None,
    auto_offset_reset: str = "earliest",
) -> AsyncIterator[AIOKafkaConsumer]:
    """A group consumer that never auto-commits and reads only committed transactions.
    Leaving the block leaves the group."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=settings.kafka_client_id,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset=auto_offset_reset,
        isolation_level="read_committed",
        # Longer than the liveness probe's staleness (600 s), so a slow but live batch
        # (EDGAR answering slowly) is not taken for a dead member by the group.
        max_poll_interval_ms=900_000,
    )
    consumer.subscribe(list(topics), listener=listener)
    await _started(consumer)
    try:
        yield consumer
    finally:
        await consumer.stop()


class Publisher:
    """Publishes messages through the codec. ``source`` is the CloudEvents source."""

    def __init__(self, producer: AIOKafkaProducer, *, source: str) -> None:
        self._producer = producer
        self._source = source

    @property
    def producer(self) -> AIOKafkaProducer:
        return self._producer

    async def publish(self, topic: str, message: Message) -> None:
        """Publish and wait until the broker has it."""
        record = codec.encode(message, source=self._source)
        await self._producer.send_and_wait(
            topic, record.value, key=record.key, headers=list(record.headers)
        )

    async def publish_all(self, outgoing: Sequence[Outgoing]) -> None:
        """Publish several messages, pipelined, and wait until the broker has them all."""
        futures = []
        for item in outgoing:
            record = codec.encode(item.message, source=self._source)
            futures.append(
                await self._producer.send(
                    item.topic, record.value, key=record.key, headers=list(record.headers)
                )
            )
        for future in futures:
            await future


def dead_letter_for(
    record: Any,
    *,
    reason: str,
    error_type: str,
    service: str,
    accession_number: str | None = None,
    now: datetime | None = None,
) -> DeadLetter:
    """A dead letter that keeps the original record's bytes and headers for replay."""
    value: bytes | None = record.value
    key: bytes | None = record.key
    return DeadLetter(
        reason=reason[: codec.MAX_REASON_CHARS],
        error_type=error_type,
        service=service,
        failed_at=now or datetime.now(UTC),
        accession_number=accession_number,
        source_topic=record.topic,
        source_partition=record.partition,
        source_offset=record.offset,
        original_key=key.decode("utf-8", "replace") if key is not None else None,
        original_value_base64=base64.b64encode(value).decode() if value is not None else None,
        original_headers=codec.header_map(record.headers or ()),
    )


async def topic_partitions(settings: ServiceSettings, topic: str) -> list[TopicPartition]:
    """The partitions of ``topic``; empty if it does not exist."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.kafka_client_id}-admin",
    )
    await admin.start()
    try:
        (description,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(TopicPartition(topic, p["partition"]) for p in description["partitions"])


@asynccontextmanager
async def open_topic_reader(
    settings: ServiceSettings, topic: str, *, purpose: str
) -> AsyncIterator[tuple[AIOKafkaConsumer | None, list[TopicPartition]]]:
    """A group-less consumer assigned every partition of ``topic``, reading only committed
    records; for rebuilding memory from a topic. None, with no partitions, when the topic
    does not exist (aiokafka cannot cleanly stop a consumer with nothing assigned)."""
    partitions = await topic_partitions(settings, topic)
    if not partitions:
        yield None, partitions
        return
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.kafka_client_id}-{purpose}",
        enable_auto_commit=False,
        isolation_level="read_committed",
    )
    await _started(consumer)
    try:
        consumer.assign(partitions)
        yield consumer, partitions
    finally:
        await consumer.stop()


async def replay_topic(
    settings: ServiceSettings,
    topic: str,
    message_type: type[M],
    *,
    since: datetime | None = None,
) -> AsyncIterator[M]:
    """Yield every committed message of ``topic`` (from ``since``, or the beginning) up to
    the end offsets as they were when the replay started. Undecodable records are skipped
    with a warning: replay rebuilds memory, it does not dead-letter."""
    async with open_topic_reader(settings, topic, purpose="replay") as (consumer, partitions):
        if consumer is None:
            return
        ends = await consumer.end_offsets(partitions)
        await _seek_to_start(consumer, partitions, ends, since)
        remaining = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= ends[tp]:
                        continue
                    try:
                        yield codec.decode(record.value, record.headers or (), message_type)
                    except DecodeError as exc:
                        log.warning("skipping undecodable record in replay", reason=exc.reason)
            remaining = {tp for tp in remaining if await consumer.position(tp) < ends[tp]}


async def _seek_to_start(
    consumer: AIOKafkaConsumer,
    partitions: list[TopicPartition],
    ends: dict[TopicPartition, int],
    since: datetime | None,
) -> None:
    if since is None:
        beginnings = await consumer.beginning_offsets(partitions)
        for tp in partitions:
            consumer.seek(tp, beginnings[tp])
        return
    found = await consumer.offsets_for_times(
        {tp: int(since.timestamp() * 1000) for tp in partitions}
    )
    for tp in partitions:
        stamp = found.get(tp)
        consumer.seek(tp, ends[tp] if stamp is None else stamp.offset)
