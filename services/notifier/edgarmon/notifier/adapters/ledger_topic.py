"""The sent-ledger topic (``edgar.alerts.sent.v1``): reading it into memory and writing to it.

:class:`LedgerReader` keeps a :class:`SentLedger` in step with the topic. At
start-up :meth:`~LedgerReader.rebuild` replays the topic (from the ledger
horizon) with :func:`edgarmon.core.adapters.kafka.replay_topic`; then
:meth:`~LedgerReader.follow` tails it, so records that other replicas write
arrive too. :meth:`~LedgerReader.catch_up` waits until the tail has read up to
the topic's end offsets as they are now: the notifier calls it when it is
assigned partitions, so it knows everything the partitions' previous owner
sent before it handles their records.

:class:`LedgerWriter` records an :class:`AlertSent` in memory and publishes it,
waiting for the broker's acknowledgement. A record whose publication failed is
kept and published again before anything else (the alert is not sent again:
the in-memory ledger already has it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Self

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from edgarmon.core.adapters.kafka import Outgoing, Publisher, open_topic_reader, replay_topic
from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import DecodeError
from edgarmon.core.domain.messages import AlertSent
from edgarmon.core.lifecycle import Shutdown
from edgarmon.notifier.domain.sent_ledger import SentLedger
from edgarmon.notifier.settings import NotifierSettings

log = structlog.get_logger(__name__)

TAIL_POLL_MS = 200
PRUNE_EVERY_SECONDS = 3600.0


class LedgerReader:
    """Reads the ledger topic into ``ledger``: replay once, then tail."""

    def __init__(
        self,
        settings: NotifierSettings,
        ledger: SentLedger,
        consumer: AIOKafkaConsumer | None,
        partitions: Sequence[TopicPartition],
        *,
        shutdown: Shutdown,
        wall_clock: Callable[[], float],
    ) -> None:
        self._settings = settings
        self._shutdown = shutdown
        self._ledger = ledger
        self._consumer = consumer
        self._partitions = tuple(partitions)
        self._wall_clock = wall_clock
        self._positions: dict[TopicPartition, int] = {}
        self._advanced = asyncio.Condition()
        self._stopped = False
        self._last_prune = wall_clock()

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        settings: NotifierSettings,
        ledger: SentLedger,
        *,
        shutdown: Shutdown,
        wall_clock: Callable[[], float],
    ) -> AsyncIterator[Self]:
        """A reader with its own group-less consumer on every ledger partition."""
        async with open_topic_reader(settings, settings.topic_alerts_sent, purpose="ledger") as (
            consumer,
            partitions,
        ):
            yield cls(
                settings, ledger, consumer, partitions, shutdown=shutdown, wall_clock=wall_clock
            )

    def horizon(self) -> datetime:
        """Entries sent before this cannot matter: their input records are gone."""
        now = datetime.fromtimestamp(self._wall_clock(), UTC)
        return now - timedelta(days=self._settings.ledger_horizon_days)

    async def rebuild(self) -> int:
        """Replay the topic into the ledger; the tail then starts where the topic ended
        before the replay began (re-reading a few records is harmless). Returns the
        number of entries."""
        consumer = self._consumer
        if consumer is None:
            log.warning("ledger topic missing", topic=self._settings.topic_alerts_sent)
            return 0
        ends = await consumer.end_offsets(list(self._partitions))
        async for sent in replay_topic(
            self._settings, self._settings.topic_alerts_sent, AlertSent, since=self.horizon()
        ):
            self._ledger.record(sent)
        self._ledger.prune(self.horizon())
        for partition in self._partitions:
            consumer.seek(partition, ends[partition])
            self._positions[partition] = ends[partition]
        log.info("ledger rebuilt", entries=len(self._ledger))
        return len(self._ledger)

    async def follow(self) -> None:
        """Tail the topic into the ledger until shutdown (or :meth:`stop`)."""
        shutdown = self._shutdown
        try:
            consumer = self._consumer
            while consumer is not None and not shutdown.requested and not self._stopped:
                try:
                    batch = await consumer.getmany(timeout_ms=TAIL_POLL_MS)
                    for records in batch.values():
                        self._apply(records)
                    positions = {tp: await consumer.position(tp) for tp in self._partitions}
                except KafkaError as exc:
                    log.warning("ledger tail failed, retrying", error=str(exc))
                    await shutdown.sleep(1.0)
                    continue
                async with self._advanced:
                    self._positions.update(positions)
                    self._advanced.notify_all()
                self._maybe_prune()
        finally:
            async with self._advanced:
                self._stopped = True
                self._advanced.notify_all()

    def stop(self) -> None:
        self._stopped = True

    async def catch_up(self) -> None:
        """Wait until the tail has read everything now in the topic (or it stopped)."""
        consumer = self._consumer
        if consumer is None:
            return
        while True:
            try:
                targets = await consumer.end_offsets(list(self._partitions))
                break
            except KafkaError as exc:
                log.warning("ledger end offsets unavailable, retrying", error=str(exc))
                if await self._shutdown.sleep(1.0):
                    return
        async with self._advanced:
            await self._advanced.wait_for(
                lambda: (
                    self._stopped
                    or all(self._positions.get(tp, 0) >= end for tp, end in targets.items())
                )
            )
        log.info("ledger caught up", entries=len(self._ledger))

    def _apply(self, records: Sequence[Any]) -> None:
        for record in records:
            if record.value is None:
                if record.key is not None:
                    self._ledger.forget(record.key.decode("utf-8", "replace"))
                continue
            try:
                sent = codec.decode(record.value, record.headers or (), AlertSent)
            except DecodeError as exc:
                log.warning("skipping undecodable ledger record", reason=exc.reason)
                continue
            self._ledger.record(sent)

    def _maybe_prune(self) -> None:
        now = self._wall_clock()
        if now - self._last_prune >= PRUNE_EVERY_SECONDS:
            self._last_prune = now
            dropped = self._ledger.prune(self.horizon())
            if dropped:
                log.info("ledger pruned", dropped=dropped, entries=len(self._ledger))


class LedgerWriter:
    """Records sent alerts in memory and publishes them to the ledger topic.

    ``on_published`` is told the ledger keys once the broker has acknowledged them.
    """

    def __init__(
        self,
        publisher: Publisher,
        ledger: SentLedger,
        *,
        topic: str,
        on_published: Callable[[Sequence[str]], None],
    ) -> None:
        self._publisher = publisher
        self._ledger = ledger
        self._topic = topic
        self._on_published = on_published
        self._unpublished: list[AlertSent] = []
        self._publishing = asyncio.Lock()
        """Destinations' workers and the consumer write at once: one publication at a
        time, so that a record is neither published twice nor dropped unpublished."""

    async def write(self, sent: Sequence[AlertSent]) -> None:
        """Record ``sent`` and publish it with whatever is still unpublished.
        Raises ``KafkaError``; the records stay queued for :meth:`flush`."""
        for record in sent:
            self._ledger.record(record)
        self._unpublished.extend(sent)
        await self.flush()

    async def flush(self) -> None:
        """Publish what is queued and wait for the acknowledgement. Raises ``KafkaError``."""
        async with self._publishing:
            if not self._unpublished:
                return
            pending = list(self._unpublished)
            await self._publisher.publish_all([Outgoing(self._topic, sent) for sent in pending])
            del self._unpublished[: len(pending)]
            self._on_published([sent.kafka_key() for sent in pending])
