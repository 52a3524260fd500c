r"""The notifier service: everything it needs is built here, once, and passed down.

:func:`serve` is what ``edgarmon notifier`` runs (through
:func:`edgarmon.core.lifecycle.run_service`), and what the demo can run
in-process. In order it:

1. loads and checks the routes (a bad file stops start-up with a clear error);
2. creates the notifier's topics where allowed;
3. rebuilds the sent-ledger from ``edgar.alerts.sent.v1`` and starts tailing it;
4. joins the consumer group on ``edgar.filings.classified.v1``; on each
   assignment it first waits until the ledger is read to its end (what the
   partitions' previous owner sent), and is then ready;
5. runs the core consumer engine with the notifier's handler and hooks
   (:mod:`edgarmon.notifier.adapters.alert_consumer`) until shutdown, beside the
   ledger tail and the destination queues' workers, in ``TaskGroup``\ s.
"""

from __future__ import annotations

import asyncio
import time

from aiokafka import TopicPartition

from edgarmon.core.adapters.consumer import ConsumerLoop
from edgarmon.core.adapters.consumer_metrics import ConsumerMetrics
from edgarmon.core.adapters.kafka import Publisher, ensure_topics, open_consumer, open_producer
from edgarmon.core.adapters.rebalance import RebalanceGate
from edgarmon.core.domain.clock import Clock, Sleep
from edgarmon.core.domain.commit_marks import CommitMarks
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.core.domain.retry import Backoff
from edgarmon.core.domain.topics import TopicSpec, public_topics
from edgarmon.core.lifecycle import ServiceRuntime
from edgarmon.notifier.adapters.alert_consumer import AlertHandler, AlertHooks
from edgarmon.notifier.adapters.alert_sending import AlertSending
from edgarmon.notifier.adapters.dead_letters import DeadLetters
from edgarmon.notifier.adapters.destination_queues import DestinationQueues
from edgarmon.notifier.adapters.digest_sender import DigestSender
from edgarmon.notifier.adapters.dispatch import AlertDispatcher, build_dispatcher
from edgarmon.notifier.adapters.ledger_topic import LedgerReader, LedgerWriter
from edgarmon.notifier.adapters.notifier_metrics import NotifierMetrics
from edgarmon.notifier.adapters.shutdown_waits import ShutdownAwareSleep
from edgarmon.notifier.domain.sent_ledger import SentLedger
from edgarmon.notifier.route_loading import Routing, load_routing
from edgarmon.notifier.settings import NotifierSettings


def notifier_topics(settings: NotifierSettings) -> tuple[TopicSpec, ...]:
    """The topics the notifier reads or writes."""
    names = {settings.topic_classified, settings.topic_alerts_sent, settings.topic_deadletter}
    return tuple(spec for spec in public_topics(settings) if spec.name in names)


async def serve(
    settings: NotifierSettings,
    runtime: ServiceRuntime,
    *,
    monotonic: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Run the notifier until ``runtime.shutdown`` is requested.

    ``monotonic`` and ``sleep`` drive the senders' rate limit and retry waits
    (which tick liveness and end on shutdown: :class:`ShutdownAwareSleep`);
    ``runtime.clock`` (wall time) drives digest intervals and the ledger horizon.
    """
    routing = load_routing(settings)
    # Every sender wait ticks liveness and ends on shutdown (raising a transient error).
    waits = ShutdownAwareSleep(shutdown=runtime.shutdown, health=runtime.health, sleep=sleep)
    dispatcher = build_dispatcher(settings, routing, clock=monotonic, sleep=waits)
    await ensure_topics(settings, notifier_topics(settings))
    ledger = SentLedger()
    async with LedgerReader.open(
        settings, ledger, shutdown=runtime.shutdown, wall_clock=runtime.clock
    ) as reader:
        await reader.rebuild()
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(reader.follow())
            try:
                await _consume(
                    settings,
                    runtime,
                    routing=routing,
                    dispatcher=dispatcher,
                    ledger=ledger,
                    reader=reader,
                )
            finally:
                reader.stop()


async def _consume(
    settings: NotifierSettings,
    runtime: ServiceRuntime,
    *,
    routing: Routing,
    dispatcher: AlertDispatcher,
    ledger: SentLedger,
    reader: LedgerReader,
) -> None:
    async def ledger_caught_up(_assigned: set[TopicPartition]) -> None:
        await reader.catch_up()

    marks: CommitMarks[TopicPartition] = CommitMarks()
    gate = RebalanceGate(runtime.health, on_assigned=ledger_caught_up)
    metrics = NotifierMetrics(runtime.registry)
    consumer_metrics = ConsumerMetrics(runtime.registry)
    backoff = Backoff(
        initial_seconds=settings.delivery_backoff_seconds,
        max_seconds=settings.delivery_max_backoff_seconds,
    )
    waits = ShutdownAwareSleep(shutdown=runtime.shutdown, health=runtime.health)
    async with (
        open_producer(settings) as producer,
        open_consumer(
            settings,
            topics=[settings.topic_classified],
            group_id=settings.notifier_group_id,
            listener=gate,
        ) as consumer,
    ):
        publisher = Publisher(producer, source=f"/edgarmon/{runtime.name}")
        writer = LedgerWriter(
            publisher, ledger, topic=settings.topic_alerts_sent, on_published=marks.release
        )
        dead_letters = DeadLetters(
            publisher,
            topic=settings.topic_deadletter,
            service=runtime.name,
            metrics=consumer_metrics,
        )
        digests = DigestSender(
            policies={r.name: r.digest for r in routing.routes if r.digest is not None},
            dispatcher=dispatcher,
            writer=writer,
            marks=marks,
            dead_letters=dead_letters,
            metrics=metrics,
            backoff=backoff,
            clock=runtime.clock,
        )
        queues = DestinationQueues(
            backoff=backoff, waits=waits, capacity=settings.destination_queue_capacity
        )
        sending = AlertSending(dispatcher, writer, dead_letters, marks, metrics, digests)
        hooks = AlertHooks(
            writer=writer,
            ledger=ledger,
            digests=digests,
            queues=queues,
            sending=sending,
            metrics=metrics,
            flush_digests_on_shutdown=settings.digest_flush_on_shutdown,
            drain_seconds=settings.shutdown_timeout_seconds,
        )
        loop = ConsumerLoop(
            consumer=consumer,
            publisher=publisher,
            message_type=FilingClassified,
            handler=AlertHandler(routing.plan, ledger, marks, digests, queues, sending, metrics),
            service=runtime.name,
            deadletter_topic=settings.topic_deadletter,
            health=runtime.health,
            shutdown=runtime.shutdown,
            metrics=consumer_metrics,
            gate=gate,
            group_id=settings.notifier_group_id,
            marks=marks,
            hooks=hooks,
            batch_size=settings.notifier_batch_size,
            backoff=backoff,
            pause=waits.wait,
        )
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(queues.run())
            try:
                await loop.run()
            finally:
                await queues.stop()
