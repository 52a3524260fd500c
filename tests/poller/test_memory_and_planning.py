"""The bounded seen memory, reconciliation planning and the poller's settings."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.domain.filing import EASTERN
from edgarmon.core.settings import load_settings
from edgarmon.poller.domain.reconciliation import (
    days_to_reconcile,
    index_days_due,
    is_business_day,
    latest_ready_day,
    next_index_read_at,
)
from edgarmon.poller.domain.seen import SeenAccessions, rebuild_seen
from edgarmon.poller.settings import PollerSettings


def _acc(number: int) -> str:
    return f"0000000001-26-{number:06d}"


def test_seen_memory_forgets_the_oldest_beyond_its_capacity() -> None:
    seen = SeenAccessions(3)
    assert [seen.add(_acc(n)) for n in (1, 2, 3)] == [True, True, True]
    assert seen.add(_acc(2)) is False
    seen.add(_acc(4))  # 1 is the oldest and goes
    assert _acc(1) not in seen
    assert [_acc(n) in seen for n in (2, 3, 4)] == [True, True, True]
    assert len(seen) == 3


def test_seen_memory_is_rebuilt_from_the_topic_keeping_the_newest() -> None:
    from_topic = [_acc(n) for n in range(1, 11)] + [_acc(3)]  # a duplicate on the topic
    seen = rebuild_seen(from_topic, capacity=5)
    assert list(seen) == [_acc(n) for n in (7, 8, 9, 10, 3)]
    with pytest.raises(ValueError, match="capacity"):
        SeenAccessions(0)


def _et(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=EASTERN)


def test_the_index_of_a_day_is_ready_only_after_its_evening() -> None:
    monday = date(2023, 7, 3)
    assert latest_ready_day(_et(2023, 7, 3, 22, 59), ready_hour=23) == date(2023, 6, 30)
    assert latest_ready_day(_et(2023, 7, 3, 23, 0), ready_hour=23) == monday
    assert latest_ready_day(_et(2023, 7, 9, 12, 0), ready_hour=23) == date(2023, 7, 7)  # Sunday


def test_reconciliation_after_downtime_reads_every_business_day_since() -> None:
    # down from Friday afternoon to Wednesday morning; the weekend and the 4th of July
    # (a federal holiday: EDGAR is closed) have no index, and are not asked for
    days = days_to_reconcile(
        _et(2023, 7, 5, 9, 0), since=_et(2023, 6, 30, 14, 0), ready_hour=23, max_days=10
    )
    assert days == (date(2023, 6, 30), date(2023, 7, 3))
    capped = days_to_reconcile(
        _et(2023, 7, 6, 9, 0), since=_et(2023, 6, 1, 14, 0), ready_hour=23, max_days=2
    )
    assert capped == (date(2023, 7, 3), date(2023, 7, 5))


def test_federal_holidays_come_observed_from_the_calendar() -> None:
    assert not is_business_day(date(2026, 7, 3))  # July 4 is a Saturday: observed Friday
    assert not is_business_day(date(2025, 11, 27))  # Thanksgiving
    assert not is_business_day(date(2025, 10, 13))  # Columbus Day: markets open, EDGAR not
    assert is_business_day(date(2025, 11, 28))  # the Friday after: EDGAR is open
    assert latest_ready_day(_et(2025, 11, 28, 8, 0), ready_hour=23) == date(2025, 11, 26)
    first_start = days_to_reconcile(_et(2023, 7, 5, 9, 0), since=None, ready_hour=23, max_days=5)
    assert first_start == (date(2023, 7, 3),)  # the 4th of July is no business day


def test_nightly_reading_schedule() -> None:
    assert index_days_due(
        _et(2023, 7, 6, 23, 30), after=date(2023, 7, 5), ready_hour=23, max_days=5
    ) == (date(2023, 7, 6),)
    assert (
        index_days_due(_et(2023, 7, 6, 22, 30), after=date(2023, 7, 5), ready_hour=23, max_days=5)
        == ()
    )
    assert next_index_read_at(_et(2023, 7, 7, 23, 30), ready_hour=23) == _et(2023, 7, 10, 23, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_index_read_at(datetime(2023, 7, 7, 12, 0), ready_hour=23)


def test_poller_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "Example Corp ops@example.com")
    monkeypatch.setenv("EDGARMON_WATCHLIST_CIKS", "320193, 1318605")
    monkeypatch.setenv("EDGARMON_LATEST_FEED_INTERVAL_SECONDS", "2.5")
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", "/nonexistent")
    monkeypatch.delenv("EDGARMON_KAFKA_BOOTSTRAP_SERVERS", raising=False)  # a dev's broker
    settings = load_settings(PollerSettings)
    assert settings.watchlist_ciks == (320193, 1318605)
    assert settings.latest_feed_interval_seconds == 2.5
    assert settings.latest_feed_page_size == 100
    assert settings.edgar_requests_per_second < 10
    assert settings.edgar_block_seconds >= 600
    assert settings.kafka_bootstrap_servers == "127.0.0.1:9092"


def test_poller_settings_refuse_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDGARMON_SECRETS_DIR", "/nonexistent")
    monkeypatch.setenv("EDGARMON_EDGAR_USER_AGENT", "Example Corp ops@example.com")
    monkeypatch.setenv("EDGARMON_LATEST_FEED_PAGE_SIZE", "37")
    with pytest.raises(ConfigurationError, match="EDGARMON_LATEST_FEED_PAGE_SIZE"):
        load_settings(PollerSettings)
    monkeypatch.delenv("EDGARMON_LATEST_FEED_PAGE_SIZE")
    monkeypatch.delenv("EDGARMON_EDGAR_USER_AGENT")
    with pytest.raises(ConfigurationError, match="EDGARMON_EDGAR_USER_AGENT is required"):
        load_settings(PollerSettings)
