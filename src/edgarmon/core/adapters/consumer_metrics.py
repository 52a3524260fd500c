"""The consumer engine's Prometheus metrics, registered on the registry ``main`` builds."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class ConsumerMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.processed = Counter(
            "edgarmon_records_processed_total",
            "Records handled (including dead-lettered ones)",
            ["topic"],
            registry=registry,
        )
        self.deadletters = Counter(
            "edgarmon_deadletters_total",
            "Records sent to the dead-letter topic",
            ["topic"],
            registry=registry,
        )
        self.lag = Gauge(
            "edgarmon_consumer_lag",
            "Records behind the partition's end",
            ["topic", "partition"],
            registry=registry,
        )
