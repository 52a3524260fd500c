"""Filings published by `edgarmon backfill` are alerted on only by routes that opt in."""

from __future__ import annotations

import pytest

from edgarmon.core.domain import codec
from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.domain.messages import DiscoverySource, FilingClassified
from edgarmon.notifier.domain.route_matching import RouteIndex
from edgarmon.notifier.domain.routes import BackfillPolicy, DigestPolicy, parse_routes
from tests.contract.golden_records import golden_record

DIGEST = DigestPolicy(interval_seconds=60, max_alerts=10)


def routes(extra: dict[str, object] | None = None) -> RouteIndex:
    history: dict[str, object] = {
        "name": "history",
        "match": {"forms": ["8-K"]},
        "deliver": {"slack": ["#h"]},
    }
    history.update(extra or {"backfill": "alert"})
    live = {"name": "live", "match": {"forms": ["8-K"]}, "deliver": {"slack": ["#l"]}}
    return RouteIndex(
        parse_routes({"version": 1, "routes": [live, history]}, tickers=None, default_digest=DIGEST)
    )


def classified(source: DiscoverySource | None) -> FilingClassified:
    record = golden_record("v1", "classified_item_8_01_clinical")
    event = codec.decode(record.value, record.headers, FilingClassified)
    return event.model_copy(update={"discovered_by": source})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (DiscoverySource.BACKFILL, ["history"]),
        (DiscoverySource.LATEST_FEED, ["live", "history"]),
        (None, ["live", "history"]),  # a record from before interface 1.1
    ],
)
def test_only_routes_that_opt_in_alert_on_backfilled_filings(
    source: DiscoverySource | None, expected: list[str]
) -> None:
    assert [route.name for route in routes().match(classified(source))] == expected


def test_the_policy_is_skip_unless_stated_and_nothing_else_is_accepted() -> None:
    index = routes({"backfill": "skip"})
    assert index.match(classified(DiscoverySource.BACKFILL)) == ()
    live = parse_routes(
        {
            "version": 1,
            "routes": [{"name": "a", "match": {"forms": ["4"]}, "deliver": {"slack": ["#a"]}}],
        },
        tickers=None,
        default_digest=DIGEST,
    )
    assert live[0].backfill is BackfillPolicy.SKIP
    with pytest.raises(ConfigurationError, match="backfill"):
        routes({"backfill": "sometimes"})
