"""The service's plain parts, without a broker: the start-up memory and its horizon,
the company feed's first sight, dedup before publishing, the detection-delay metric,
and the start-up refusals of ``edgarmon poller``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from edgarmon.core.domain.filing import EASTERN, Company, Filing
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.adapters.memory import memory_from_events
from edgarmon.poller.adapters.metrics import PollerMetrics
from edgarmon.poller.adapters.publishing import discovered_events, not_yet_seen
from edgarmon.poller.domain.seen import SeenAccessions
from edgarmon.poller.main import run
from edgarmon.poller.workers.company_watch import KnownAccessions, split_first_sight

NOW = datetime(2025, 6, 2, 14, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def filing(number: int, accepted_at: datetime, form: str = "8-K", **extra: object) -> Filing:
    accession = f"0000000001-25-{number:06d}"
    values: dict[str, object] = {
        "accession_number": accession,
        "form_type": form,
        "companies": (Company(cik=320193, name="Apple Inc.", role="Filer"),),
        "accepted_at": accepted_at,
        "filing_date": accepted_at.astimezone(EASTERN).date(),
        "index_url": f"https://www.sec.gov/Archives/edgar/data/320193/{accession}-index.htm",
    }
    values.update(extra)
    return Filing.model_validate(values)


def test_memory_rebuilt_from_events_in_any_order_knows_when_the_poller_was_last_up() -> None:
    events = [
        (NOW - 2 * DAY, "0000000001-25-000002"),
        (NOW - 3 * DAY, "0000000001-25-000001"),
        (NOW - DAY, "0000000001-25-000003"),  # partitions interleave: not in time order
    ]
    memory = memory_from_events(
        events, now=NOW, capacity=2, lookback=10 * DAY, first_start_backfill=timedelta(hours=1)
    )
    assert memory.last_alive == NOW - DAY
    assert not memory.first_start
    assert memory.horizon == NOW - 10 * DAY
    assert list(memory.seen) == ["0000000001-25-000002", "0000000001-25-000003"]  # newest kept


def test_a_first_start_publishes_only_its_backfill_window() -> None:
    memory = memory_from_events(
        [], now=NOW, capacity=10, lookback=10 * DAY, first_start_backfill=timedelta(hours=1)
    )
    assert memory.first_start
    assert memory.last_alive is None
    assert memory.horizon == NOW - timedelta(hours=1)


def test_first_sight_of_a_company_feed_takes_what_predates_the_memory_as_baseline() -> None:
    horizon = NOW - 10 * DAY
    letter = filing(1, NOW - 40 * DAY, form="CORRESP")  # old date: before the memory
    recent = filing(2, NOW - DAY)
    new, baseline = split_first_sight((letter, recent), horizon=horizon)
    assert new == (recent,)
    assert baseline == (letter,)
    known = KnownAccessions(SeenAccessions(10), {letter.accession_number})
    assert letter.accession_number in known
    assert recent.accession_number not in known


def test_only_filings_not_yet_published_are_published_each_once() -> None:
    seen = SeenAccessions(10)
    seen.add("0000000001-25-000001")
    one, two, three = (filing(n, NOW) for n in (1, 2, 3))
    assert not_yet_seen((one, two, three, two), seen) == (two, three)
    events = discovered_events(
        (two, three), DiscoverySource.COMPANY_FEED, discovered_at=NOW, topic="t"
    )
    assert [(o.topic, o.message.kafka_key()) for o in events] == [
        ("t", two.accession_number),
        ("t", three.accession_number),
    ]


def test_detection_delay_counts_stated_acceptance_times_only() -> None:
    registry = CollectorRegistry()
    metrics = PollerMetrics(registry)
    stated = filing(1, NOW - timedelta(seconds=3))
    estimated = filing(
        2, datetime(2025, 6, 2, tzinfo=EASTERN), accepted_at_estimated=True, form="10-K"
    )
    letter = filing(3, NOW - 30 * DAY, form="CORRESP")
    metrics.record_published(
        (stated, estimated, letter), DiscoverySource.LATEST_FEED, published_at=NOW
    )
    assert registry.get_sample_value("edgarmon_detection_delay_seconds_count") == 1.0
    assert registry.get_sample_value("edgarmon_detection_delay_seconds_sum") == 3.0
    published = registry.get_sample_value(
        "edgarmon_filings_published_total", {"source": "latest_feed"}
    )
    assert published == 3.0
    assert registry.get_sample_value("edgarmon_last_publish_timestamp_seconds") == NOW.timestamp()
    for source in ("latest_feed", "company_feed", "daily_index"):  # exported from the start
        assert registry.get_sample_value("edgarmon_poll_errors_total", {"source": source}) == 0


@pytest.mark.parametrize(
    ("user_agent", "complaint"),
    [
        (None, "EDGARMON_EDGAR_USER_AGENT is required"),
        ("python-requests/2.32", "must declare a company or person name and an e-mail"),
        ("ops@example.com", "must declare a company or person name and an e-mail"),
    ],
)
def test_the_poller_refuses_to_start_without_a_declared_user_agent(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    user_agent: str | None,
    complaint: str,
) -> None:
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", "/nonexistent")
    if user_agent is None:
        monkeypatch.delenv("EDGARMON_EDGAR_USER_AGENT", raising=False)
    else:
        monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", user_agent)
    assert run([]) == 2
    assert complaint in capsys.readouterr().err


def test_the_memory_must_reach_back_over_the_reconciled_days(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", "/nonexistent")
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "Example Corp ops@example.com")
    monkeypatch.setenv("EDGARMON_RECONCILIATION_MAX_DAYS", "10")
    monkeypatch.setenv("EDGARMON_SEEN_LOOKBACK_DAYS", "7")
    assert run([]) == 2
    assert "EDGARMON_SEEN_LOOKBACK_DAYS must be at least 15.0" in capsys.readouterr().err
