"""The poller's metrics, registered on the registry built in ``main`` (never the global one).

- ``edgarmon_filings_published_total{source}``: filings published, by the source that
  first showed them (latest_feed, company_feed, daily_index);
- ``edgarmon_poll_errors_total{source}``: polls that failed (EDGAR unavailable, a feed
  that does not parse, a fair-access block);
- ``edgarmon_polls_total{source}``: polls that completed;
- ``edgarmon_last_publish_timestamp_seconds``: when the last transaction committed;
- ``edgarmon_detection_delay_seconds``: acceptance at EDGAR to publication, for filings
  whose acceptance time EDGAR states (not the daily index's estimated midnight) and
  that are not letters released weeks late with their original time;
- ``edgarmon_feed_depth_exhausted_total``: latest-feed walks that reached EDGAR's depth
  without meeting a known filing (the daily index fills the gap that night);
- ``edgarmon_poller_entries_skipped_total{source,reason}``: feed entries, index rows and
  company feeds' companies skipped because they cannot be read, each counted once when
  first met, not at every poll that shows it again (see
  :mod:`edgarmon.poller.domain.skipped_entries`; ``reason`` is a :class:`SkipReason`);
- ``edgarmon_seen_accessions``: accession numbers the poller remembers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from edgarmon.core.domain.filing import LETTER_FORMS, Filing
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.domain.skipped_entries import SkipReason

LATE_RELEASE_FORMS: Final = frozenset(LETTER_FORMS)
DELAY_BUCKETS: Final = (0.5, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600)


class PollerMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        by_source = ["source"]
        self.published = Counter(
            "edgarmon_filings_published",
            "Filings published to the discovered topic, by the source that found them",
            by_source,
            registry=registry,
        )
        self.poll_errors = Counter(
            "edgarmon_poll_errors", "Polls that failed, by source", by_source, registry=registry
        )
        self.polls = Counter(
            "edgarmon_polls", "Polls that completed, by source", by_source, registry=registry
        )
        self.last_publish = Gauge(
            "edgarmon_last_publish_timestamp_seconds",
            "POSIX time of the last committed publication",
            registry=registry,
        )
        self.detection_delay = Histogram(
            "edgarmon_detection_delay_seconds",
            "From EDGAR's acceptance time to publication (stated acceptance times only)",
            buckets=DELAY_BUCKETS,
            registry=registry,
        )
        self.depth_exhausted = Counter(
            "edgarmon_feed_depth_exhausted",
            "Latest-feed walks that reached EDGAR's depth without meeting a known filing",
            registry=registry,
        )
        self.entries_skipped = Counter(
            "edgarmon_poller_entries_skipped",
            "Feed entries, index rows and company feeds' companies skipped because they "
            "cannot be read, by source and reason; each counted once when first met",
            ["source", "reason"],
            registry=registry,
        )
        self.daily_index_missing = Counter(
            "edgarmon_poller_daily_index_missing",
            "Business days whose daily index EDGAR had not published hours after it was due",
            registry=registry,
        )
        self.seen = Gauge(
            "edgarmon_seen_accessions", "Accession numbers remembered", registry=registry
        )
        for source in DiscoverySource:
            for counter in (self.published, self.poll_errors, self.polls):
                counter.labels(source=source.value)
            for reason in SkipReason:
                self.entries_skipped.labels(source=source.value, reason=reason.value)

    def record_published(
        self, filings: Iterable[Filing], source: DiscoverySource, *, published_at: datetime
    ) -> None:
        count = 0
        for filing in filings:
            count += 1
            if filing.accepted_at_estimated or filing.base_form_type in LATE_RELEASE_FORMS:
                continue
            delay = (published_at - filing.accepted_at).total_seconds()
            self.detection_delay.observe(max(0.0, delay))
        self.published.labels(source=source.value).inc(count)
        self.last_publish.set(published_at.timestamp())
