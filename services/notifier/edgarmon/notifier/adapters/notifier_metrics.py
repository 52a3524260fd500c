"""The notifier's Prometheus metrics, registered on the registry ``main`` builds.

The core consumer metrics (records processed, dead letters, lag) are
:class:`edgarmon.core.adapters.consumer.ConsumerMetrics`; these are the notifier's own.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

from edgarmon.core.domain.messages import AlertChannel


class NotifierMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.sent = Counter(
            "edgarmon_alerts_sent_total",
            "Alerts delivered (one per filing and destination; a digest counts each filing)",
            ["channel"],
            registry=registry,
        )
        self.failures = Counter(
            "edgarmon_alert_failures_total",
            "Delivery tries failed after the sender's own retries (transient ones: tried again)",
            ["channel", "kind"],
            registry=registry,
        )
        self.duplicates_suppressed = Counter(
            "edgarmon_alerts_duplicates_suppressed_total",
            "Planned deliveries skipped because the sent-ledger already has them",
            registry=registry,
        )
        self.digests_sent = Counter(
            "edgarmon_digests_sent_total",
            "Digest messages delivered",
            ["channel"],
            registry=registry,
        )
        self.digest_held = Gauge(
            "edgarmon_digest_alerts_held",
            "Alerts waiting in open digest batches",
            registry=registry,
        )
        self.alerts_queued = Gauge(
            "edgarmon_alerts_queued",
            "Alerts (and due digests) waiting in their destinations' queues or being sent",
            registry=registry,
        )
        self.ledger_entries = Gauge(
            "edgarmon_sent_ledger_entries",
            "Entries in the in-memory sent-ledger",
            registry=registry,
        )
        for channel in AlertChannel:
            self.sent.labels(channel.value)
            self.digests_sent.labels(channel.value)
            for kind in ("transient", "permanent"):
                self.failures.labels(channel.value, kind)
