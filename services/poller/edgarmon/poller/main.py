"""``edgarmon poller`` (and ``python -m edgarmon.poller``): run the poller service.

Configured with ``EDGARMON_*`` variables only (see :mod:`edgarmon.poller.settings`).
Exit codes: 0 after a clean shutdown, 1 when the drain overran or Kafka failed (a
restart fences the producer and rebuilds the memory), 2 for a bad configuration
(no declared User-Agent, for one).
"""

from __future__ import annotations

from collections.abc import Sequence

from edgarmon.core.domain.errors import TransientError
from edgarmon.core.lifecycle import run_service
from edgarmon.poller.service import serve
from edgarmon.poller.settings import PollerSettings

EXIT_KAFKA_FAILED = 1


SUMMARY = (
    "Watches EDGAR (the latest-filings feed, the watchlist's company feeds and the daily\n"
    "index) within SEC fair access, and publishes each new filing once to Kafka\n"
    "(edgar.filings.discovered.v1)."
)


def run(argv: Sequence[str]) -> int:
    try:
        return run_service(
            name="poller", summary=SUMMARY, settings_type=PollerSettings, serve=serve, argv=argv
        )
    except TransientError:
        return EXIT_KAFKA_FAILED  # logged where it happened
