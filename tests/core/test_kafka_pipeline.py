"""The shared consumer loop and codec against the real broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError
from prometheus_client import CollectorRegistry

from edgarmon.core.adapters.consumer import ConsumerLoop, consume
from edgarmon.core.adapters.consumer_metrics import ConsumerMetrics
from edgarmon.core.adapters.health import Health
from edgarmon.core.adapters.kafka import (
    Outgoing,
    Publisher,
    open_consumer,
    open_producer,
    replay_topic,
)
from edgarmon.core.adapters.rebalance import RebalanceGate
from edgarmon.core.domain import codec
from edgarmon.core.domain.messages import DeadLetter, FilingDiscovered
from edgarmon.core.domain.retry import Backoff
from edgarmon.core.lifecycle import ServiceRuntime, Shutdown
from edgarmon.testing.echo_service import Echo, EchoSettings
from edgarmon.testing.kafka_io import (
    committed_offsets,
    create_topics,
    produce,
    read_to_end,
    wait_for_records,
)
from tests.core.test_codec import discovered, make_filing

pytestmark = pytest.mark.kafka


def accession(n: int) -> str:
    return f"0000000001-26-{n:06d}"


def echo_settings(bootstrap: str, unique: str, **extra: object) -> EchoSettings:
    return EchoSettings(
        kafka_bootstrap_servers=bootstrap,
        kafka_create_topics=False,
        topic_deadletter=f"dlq-{unique}",
        echo_input=f"in-{unique}",
        echo_output=f"out-{unique}",
        echo_group=f"group-{unique}",
        **extra,  # type: ignore[arg-type]
    )


@asynccontextmanager
async def running_echo(settings: EchoSettings) -> AsyncIterator[ServiceRuntime]:
    """Run the echo service in-process until the block ends, then drain it."""
    runtime = ServiceRuntime(
        name="echo", registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )
    handler = Echo(settings)
    task = asyncio.create_task(
        consume(
            settings,
            runtime,
            topics=[settings.echo_input],
            group_id=settings.echo_group,
            message_type=FilingDiscovered,
            handler=handler,
            transactional_id=settings.echo_transactional_id,
        )
    )
    try:
        yield runtime
    finally:
        runtime.shutdown.request("test over")
        await asyncio.wait_for(task, timeout=30)


async def test_codec_round_trip_through_kafka_keeps_headers(
    kafka_bootstrap: str, unique: str
) -> None:
    topic = f"roundtrip-{unique}"
    await create_topics(kafka_bootstrap, [topic])
    settings = echo_settings(kafka_bootstrap, unique)
    message = discovered()
    async with open_producer(settings) as producer:
        await Publisher(producer, source="/edgarmon/test").publish(topic, message)

    (record,) = await wait_for_records(kafka_bootstrap, topic, 1)
    headers = dict(record.headers)
    assert record.key == message.filing.accession_number.encode()
    assert headers["ce_id"] == message.filing.accession_number.encode()
    assert headers["ce_type"] == b"io.edgarmon.filing.discovered.v1"
    assert headers["ce_source"] == b"/edgarmon/test"
    assert headers["content-type"] == b"application/json"
    assert codec.decode(record.value, record.headers, FilingDiscovered) == message


async def test_a_poison_record_is_dead_lettered_with_its_reason_and_the_loop_goes_on(
    kafka_bootstrap: str, unique: str
) -> None:
    settings = echo_settings(kafka_bootstrap, unique, echo_fail=accession(2))
    await create_topics(
        kafka_bootstrap, [settings.echo_input, settings.echo_output, settings.topic_deadletter]
    )
    good = codec.encode(discovered(make_filing(accession(1))), source="x")
    refused = codec.encode(discovered(make_filing(accession(2))), source="x")
    after = codec.encode(discovered(make_filing(accession(3))), source="x")
    await produce(
        kafka_bootstrap,
        settings.echo_input,
        [
            (good.key, good.value, good.headers),
            (b"junk", b"\x00not json at all", [("ce_id", accession(9).encode())]),
            (refused.key, refused.value, refused.headers),
            (after.key, after.value, after.headers),
        ],
    )

    async with running_echo(settings):
        outputs = await wait_for_records(kafka_bootstrap, settings.echo_output, 2)
        letters = await wait_for_records(kafka_bootstrap, settings.topic_deadletter, 2)

    assert [r.key for r in outputs] == [accession(1).encode(), accession(3).encode()]
    decoded = [codec.decode(r.value, r.headers, DeadLetter) for r in letters]
    poison, failed = decoded
    assert poison.error_type == "DecodeError"
    assert "ce_specversion" in poison.reason
    assert poison.source_topic == settings.echo_input
    assert poison.source_offset == 1
    assert poison.accession_number == accession(9)
    assert poison.original_key == "junk"
    assert failed.error_type == "EdgarmonError"
    assert "on purpose" in failed.reason
    assert failed.accession_number == accession(2)
    assert await committed_offsets(
        kafka_bootstrap, settings.echo_group, settings.echo_input, 1
    ) == [4]


async def test_transactional_mode_publishes_and_commits_together(
    kafka_bootstrap: str, unique: str
) -> None:
    settings = echo_settings(kafka_bootstrap, unique, echo_transactional_id=f"tx-{unique}")
    await create_topics(
        kafka_bootstrap, [settings.echo_input, settings.echo_output, settings.topic_deadletter]
    )
    records = [codec.encode(discovered(make_filing(accession(n))), source="x") for n in range(12)]
    await produce(
        kafka_bootstrap, settings.echo_input, [(r.key, r.value, r.headers) for r in records]
    )

    async with running_echo(settings) as runtime:
        outputs = await wait_for_records(kafka_bootstrap, settings.echo_output, 12)
        assert runtime.health.ready

    assert sorted(r.key for r in outputs) == sorted(r.key for r in records)
    assert await committed_offsets(
        kafka_bootstrap, settings.echo_group, settings.echo_input, 1
    ) == [12]
    assert await read_to_end(kafka_bootstrap, settings.topic_deadletter) == []


async def test_replay_reads_committed_messages_since_a_time_and_skips_junk(
    kafka_bootstrap: str, unique: str
) -> None:
    topic = f"replay-{unique}"
    await create_topics(kafka_bootstrap, [topic], partitions=2)
    settings = echo_settings(kafka_bootstrap, unique)
    messages = [discovered(make_filing(accession(n))) for n in range(5)]
    async with open_producer(settings) as producer:
        publisher = Publisher(producer, source="/edgarmon/test")
        for message in messages:
            await publisher.publish(topic, message)
        await producer.send_and_wait(topic, b"junk", key=b"junk")

    replayed = [m async for m in replay_topic(settings, topic, FilingDiscovered)]
    assert sorted(m.filing.accession_number for m in replayed) == [accession(n) for n in range(5)]

    future = datetime.now(UTC) + timedelta(days=1)
    assert [m async for m in replay_topic(settings, topic, FilingDiscovered, since=future)] == []
    missing = [m async for m in replay_topic(settings, f"absent-{unique}", FilingDiscovered)]
    assert missing == []


class FlakyPublisher(Publisher):
    """Fails the first transaction's publish, as a broker hiccup would."""

    def __init__(self, producer: AIOKafkaProducer, *, source: str) -> None:
        super().__init__(producer, source=source)
        self.failures_left = 1

    async def publish_all(self, outgoing: Sequence[Outgoing]) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise KafkaTimeoutError("simulated broker hiccup")
        await super().publish_all(outgoing)


async def test_a_failed_transaction_is_rewound_and_handled_again_once(
    kafka_bootstrap: str, unique: str
) -> None:
    settings = echo_settings(kafka_bootstrap, unique)
    await create_topics(
        kafka_bootstrap, [settings.echo_input, settings.echo_output, settings.topic_deadletter]
    )
    records = [codec.encode(discovered(make_filing(accession(n))), source="x") for n in range(6)]
    await produce(
        kafka_bootstrap, settings.echo_input, [(r.key, r.value, r.headers) for r in records]
    )
    runtime = ServiceRuntime(
        name="echo", registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )
    gate = RebalanceGate(runtime.health)
    async with (
        open_producer(settings, transactional_id=f"tx-{unique}") as producer,
        open_consumer(
            settings, topics=[settings.echo_input], group_id=settings.echo_group, listener=gate
        ) as consumer,
    ):
        publisher = FlakyPublisher(producer, source="/edgarmon/echo")
        loop = ConsumerLoop(
            consumer=consumer,
            publisher=publisher,
            message_type=FilingDiscovered,
            handler=Echo(settings),
            service="echo",
            deadletter_topic=settings.topic_deadletter,
            health=runtime.health,
            shutdown=runtime.shutdown,
            metrics=ConsumerMetrics(runtime.registry),
            gate=gate,
            group_id=settings.echo_group,
            transactional=True,
            backoff=Backoff(initial_seconds=0.01, max_seconds=0.01),
        )
        task = asyncio.create_task(loop.run())
        outputs = await wait_for_records(kafka_bootstrap, settings.echo_output, 6)
        runtime.shutdown.request("test over")
        await asyncio.wait_for(task, timeout=30)

    assert publisher.failures_left == 0
    assert sorted(r.key for r in outputs) == sorted(r.key for r in records)
    assert len(await read_to_end(kafka_bootstrap, settings.echo_output)) == 6


class HeldEcho(Echo):
    """Echoes, but holds the ``held`` accession until ``release`` is set: a filing whose
    EDGAR fetches take long."""

    def __init__(self, settings: EchoSettings, held: str) -> None:
        super().__init__(settings)
        self.held = held
        self.release = asyncio.Event()

    async def __call__(self, message: FilingDiscovered, record: object) -> list[Outgoing]:
        if message.filing.accession_number == self.held:
            await self.release.wait()
        return await super().__call__(message, record)


@asynccontextmanager
async def transactional_loop(
    settings: EchoSettings,
    unique: str,
    handler: Echo,
    *,
    publisher_type: type[Publisher] = Publisher,
) -> AsyncIterator[Publisher]:
    """A transactional loop whose ``slow`` messages are the handler's held one."""
    runtime = ServiceRuntime(
        name="echo", registry=CollectorRegistry(), health=Health(), shutdown=Shutdown()
    )
    gate = RebalanceGate(runtime.health)
    held = handler.held if isinstance(handler, HeldEcho) else accession(1)
    async with (
        open_producer(settings, transactional_id=f"tx-{unique}") as producer,
        open_consumer(
            settings, topics=[settings.echo_input], group_id=settings.echo_group, listener=gate
        ) as consumer,
    ):
        publisher = publisher_type(producer, source="/edgarmon/echo")
        loop = ConsumerLoop(
            consumer=consumer,
            publisher=publisher,
            message_type=FilingDiscovered,
            handler=handler,
            service="echo",
            deadletter_topic=settings.topic_deadletter,
            health=runtime.health,
            shutdown=runtime.shutdown,
            metrics=ConsumerMetrics(runtime.registry),
            gate=gate,
            group_id=settings.echo_group,
            transactional=True,
            backoff=Backoff(initial_seconds=0.01, max_seconds=0.01),
            slow=lambda message: message.filing.accession_number == held,
        )
        task = asyncio.create_task(loop.run())
        try:
            yield publisher
        finally:
            runtime.shutdown.request("test over")
            if isinstance(handler, HeldEcho):
                handler.release.set()
            await asyncio.wait_for(task, timeout=30)


async def produce_filings(kafka_bootstrap: str, settings: EchoSettings, count: int) -> list[bytes]:
    await create_topics(
        kafka_bootstrap, [settings.echo_input, settings.echo_output, settings.topic_deadletter]
    )
    records = [
        codec.encode(discovered(make_filing(accession(n))), source="x") for n in range(count)
    ]
    await produce(
        kafka_bootstrap, settings.echo_input, [(r.key, r.value, r.headers) for r in records]
    )
    return [r.key for r in records]


async def test_what_was_handled_is_committed_before_a_slow_record_is_started(
    kafka_bootstrap: str, unique: str
) -> None:
    settings = echo_settings(kafka_bootstrap, unique)
    keys = await produce_filings(kafka_bootstrap, settings, 4)
    handler = HeldEcho(settings, held=accession(1))
    async with transactional_loop(settings, unique, handler):
        # the slow record is held: the one before it is readable all the same
        (first,) = await wait_for_records(kafka_bootstrap, settings.echo_output, 1)
        assert first.key == keys[0]
        handler.release.set()
        outputs = await wait_for_records(kafka_bootstrap, settings.echo_output, 4)

    assert [r.key for r in outputs] == keys
    assert len(await read_to_end(kafka_bootstrap, settings.echo_output)) == 4


class FailsSecondTransaction(Publisher):
    """Publishes the first transaction, fails the second once: a broker hiccup after
    part of a batch was committed."""

    transactions = 0

    async def publish_all(self, outgoing: Sequence[Outgoing]) -> None:
        type(self).transactions += 1
        if type(self).transactions == 2:
            raise KafkaTimeoutError("simulated broker hiccup")
        await super().publish_all(outgoing)


async def test_a_failure_after_part_of_a_batch_committed_repeats_only_the_rest(
    kafka_bootstrap: str, unique: str
) -> None:
    settings = echo_settings(kafka_bootstrap, unique)
    keys = await produce_filings(kafka_bootstrap, settings, 4)
    async with transactional_loop(
        settings, unique, Echo(settings), publisher_type=FailsSecondTransaction
    ):
        outputs = await wait_for_records(kafka_bootstrap, settings.echo_output, 4)

    assert FailsSecondTransaction.transactions >= 3
    assert sorted(r.key for r in outputs) == sorted(keys)
    assert len(await read_to_end(kafka_bootstrap, settings.echo_output)) == 4, "none twice"
