"""The classifier service: every discovered filing becomes exactly one classified event.

:func:`serve` is the one place that builds the I/O: the fair-access EDGAR client
(its own aiohttp session, allowed hosts, size cap, timeout and this process's
request budget), the fetcher, the handler, and the shared consumer loop of
:func:`edgarmon.core.adapters.consumer.consume` in transactional mode. Each batch of
``edgar.filings.discovered.v1`` records is handled, its ``FilingClassified``
events are published and the consumed offsets are committed in one Kafka
transaction (``send_offsets_to_transaction``), so ``read_committed`` readers see
each filing's event once, across crashes and restarts.

The handler never drops a filing: failed fetches and unreadable documents end up
in the event's ``errors`` with what could be decided from the metadata. Only a
fair-access block is raised (as the transient :class:`FairAccessBlocked`): the
loop then rewinds to the record and tries it again after a backoff, while the
client sends nothing until the block is over.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram

from edgarmon.classifier.adapters.fetching import (
    DocumentFetcher,
    EdgarClientFetcher,
    RetryingFetcher,
)
from edgarmon.classifier.adapters.filing_documents import classify_discovered
from edgarmon.classifier.domain.planning import needs_documents
from edgarmon.classifier.settings import ClassifierSettings, transactional_id_for
from edgarmon.core.adapters.bounded_work import Parsing, bounded_workers
from edgarmon.core.adapters.consumer import consume
from edgarmon.core.adapters.edgar_http import open_edgar_client
from edgarmon.core.adapters.kafka import Outgoing
from edgarmon.core.domain.errors import FairAccessBlocked
from edgarmon.core.domain.messages import FilingClassified, FilingDiscovered, LabelId
from edgarmon.core.lifecycle import ServiceRuntime

log = structlog.get_logger(__name__)

KNOWN_ERROR_STAGES = ("fetch", "index", "pdf", "html", "size")


class ClassifierMetrics:
    """The classifier's metrics, on the registry built in ``main``. They count work done:
    a batch retried after a Kafka error counts its filings again."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.classified = Counter(
            "edgarmon_filings_classified",
            "Filings classified and handed to the transaction",
            registry=registry,
        )
        self.labels = Counter(
            "edgarmon_labels",
            "Labels given (at or above the threshold)",
            ["label"],
            registry=registry,
        )
        self.errors = Counter(
            "edgarmon_classification_errors",
            "Errors recorded on classified filings, by stage (fetch, index, pdf, html, ...)",
            ["stage"],
            registry=registry,
        )
        self.deferred = Counter(
            "edgarmon_classifications_deferred",
            "Filings put back to be tried again later (reason: fair_access_block)",
            ["reason"],
            registry=registry,
        )
        self.requests = Counter(
            "edgarmon_classifier_fetches",
            "Documents (index.json included) the classifier asked EDGAR for",
            registry=registry,
        )
        self.seconds = Histogram(
            "edgarmon_classification_seconds",
            "Time to classify one filing, fetches included",
            buckets=(0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=registry,
        )
        for label in LabelId:
            self.labels.labels(label.value)
        for stage in KNOWN_ERROR_STAGES:
            self.errors.labels(stage)

    def observe(self, message: FilingClassified, *, requests: int, seconds: float) -> None:
        self.classified.inc()
        self.requests.inc(requests)
        self.seconds.observe(seconds)
        for label in message.labels:
            self.labels.labels(label.id.value).inc()
        for error in message.errors:
            self.errors.labels(error.stage).inc()


def utc_now() -> datetime:
    return datetime.now(UTC)


class ClassifyHandler:
    """The consumer loop's handler: one discovered filing in, one classified event out."""

    def __init__(
        self,
        *,
        fetcher: DocumentFetcher,
        output_topic: str,
        threshold: float,
        max_documents: int,
        classifier_version: str,
        metrics: ClassifierMetrics,
        parsing: Parsing,
        submission_max_bytes: int,
        budget_waited: Callable[[], float] = lambda: 0.0,
        now: Callable[[], datetime] = utc_now,
        clock: Callable[[], float] = time.perf_counter,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._fetcher = fetcher
        self._topic = output_topic
        self._threshold = threshold
        self._max_documents = max_documents
        self._version = classifier_version
        self._metrics = metrics
        self._parsing = parsing
        self._submission_max_bytes = submission_max_bytes
        self._budget_waited = budget_waited
        self._now = now
        self._clock = clock
        self._wall = wall

    async def __call__(self, message: FilingDiscovered, record: Any) -> list[Outgoing]:
        started, started_at, waited = self._clock(), self._wall(), self._budget_waited()
        try:
            classified = await classify_discovered(
                message.filing,
                self._fetcher,
                threshold=self._threshold,
                max_documents=self._max_documents,
                parsing=self._parsing,
                submission_max_bytes=self._submission_max_bytes,
            )
        except FairAccessBlocked as exc:
            self._metrics.deferred.labels("fair_access_block").inc()
            log.warning("EDGAR block: classification deferred", blocked_until=exc.until)
            raise
        event = classified.to_message(
            classified_at=self._now(),
            classifier_version=self._version,
            discovered_by=message.source,
        )
        self._metrics.observe(event, requests=classified.requests, seconds=self._clock() - started)
        # Labels and errors are worth an info line; a filing with neither (most of them:
        # Form 4s, 10-Qs...) only a debug one. The times say where a filing's latency went
        # (records are handled one at a time, so the budget's running total is this one's).
        report = log.info if event.labels or event.errors else log.debug
        budget_wait = max(0.0, self._budget_waited() - waited)
        report(
            "filing classified",
            form_type=event.filing.form_type,
            labels=[label.id.value for label in event.labels],
            errors=[error.stage for error in event.errors],
            requests=classified.requests,
            started_at=round(started_at, 6),
            budget_wait_seconds=round(budget_wait, 6),
            fetch_seconds=round(max(0.0, classified.fetch_seconds - budget_wait), 6),
            read_seconds=round(classified.read_seconds, 6),
            handled_at=round(self._wall(), 6),
        )
        return [Outgoing(self._topic, event)]


async def run_classifier(
    settings: ClassifierSettings,
    runtime: ServiceRuntime,
    fetcher: DocumentFetcher,
    parsing: Parsing,
    *,
    budget_waited: Callable[[], float] = lambda: 0.0,
) -> None:
    """Consume discovered filings and publish classified ones until shutdown, fetching
    through ``fetcher`` (retried on EDGAR outages) and reading documents where
    ``parsing`` says. ``serve`` builds both; tests pass a fetcher over a client with
    injected time."""
    handler = ClassifyHandler(
        fetcher=RetryingFetcher(
            fetcher,
            attempts=settings.fetch_attempts,
            backoff_seconds=settings.fetch_retry_seconds,
            sleep=runtime.shutdown.sleep,  # a wait that ends early on shutdown
            stop_requested=lambda: runtime.shutdown.requested,
        ),
        output_topic=settings.topic_classified,
        threshold=settings.label_threshold,
        max_documents=settings.max_documents_per_filing,
        classifier_version=settings.classifier_version,
        metrics=ClassifierMetrics(runtime.registry),
        parsing=parsing,
        submission_max_bytes=settings.submission_max_bytes,
        budget_waited=budget_waited,
    )
    transactional_id = transactional_id_for(settings)
    log.info(
        "classifier consuming",
        topic=settings.topic_discovered,
        group_id=settings.consumer_group,
        transactional_id=transactional_id,
    )
    await consume(
        settings,
        runtime,
        topics=[settings.topic_discovered],
        group_id=settings.consumer_group,
        message_type=FilingDiscovered,
        handler=handler,
        transactional_id=transactional_id,
        batch_size=settings.consumer_batch_size,
        # A filing that needs EDGAR takes a request budget's worth of time: what was
        # classified before it is committed first, so it does not wait for those fetches.
        slow=lambda message: needs_documents(message.filing),
    )


async def serve(settings: ClassifierSettings, runtime: ServiceRuntime) -> None:
    """Run the classifier until ``runtime.shutdown`` is requested (``main`` and the demo)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # broken PDFs become event errors
    async with (
        open_edgar_client(settings, registry=runtime.registry) as client,
        bounded_workers(
            settings.parse_budget,
            workers=settings.parse_workers,
            name="document read",
            shutdown=runtime.shutdown,
        ) as parsing,
    ):
        fetcher = EdgarClientFetcher(client)
        await run_classifier(
            settings, runtime, fetcher, parsing, budget_waited=lambda: fetcher.budget_wait_seconds
        )
