"""The EDGAR client's Prometheus metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class EdgarMetrics:
    """The client's metrics, registered on the registry built in ``main``."""

    def __init__(self, registry: CollectorRegistry) -> None:
        prefix = "edgarmon_edgar_"
        by_status = "Requests sent to EDGAR, by HTTP status or failure kind"
        self.requests = Counter(f"{prefix}requests", by_status, ["status"], registry=registry)
        active = "1 while a fair-access block is in force (no requests are sent)"
        self.block_active = Gauge(f"{prefix}block_active", active, registry=registry)
        self.blocks = Counter(f"{prefix}blocks", "Fair-access blocks detected", registry=registry)
        seconds = "Time from sending a request to reading its whole body"
        self.request_seconds = Histogram(f"{prefix}request_seconds", seconds, registry=registry)
