"""What the poller says about a watched CIK EDGAR has no filings for: normal for a new
registrant, so once at INFO, and once at WARNING only when it lasts a day."""

from __future__ import annotations

from datetime import timedelta

from structlog.typing import EventDict

from edgarmon.poller.workers.company_watch import NO_FILINGS_WARNING_AFTER, FeedlessCiks

NEW_REGISTRANT, OTHER = 855654, 1551152
START = 1_780_000_000.0
HOUR = 3600.0


def said(logs: list[EventDict]) -> list[tuple[str, int]]:
    return [(entry["log_level"], entry["cik"]) for entry in logs]


def test_a_cik_without_filings_is_said_once_at_info_however_often_it_is_polled(
    logs: list[EventDict],
) -> None:
    feedless = FeedlessCiks()
    for poll in range(100):  # a minute apart: 100 polls, 1 line
        feedless.no_filings(NEW_REGISTRANT, START + poll * 60)
    feedless.no_filings(OTHER, START)
    assert said(logs) == [("info", NEW_REGISTRANT), ("info", OTHER)]
    assert "new registrant" in logs[0]["event"]


def test_it_is_a_warning_once_when_it_persists_a_day(logs: list[EventDict]) -> None:
    assert timedelta(days=1) == NO_FILINGS_WARNING_AFTER
    feedless = FeedlessCiks()
    feedless.no_filings(NEW_REGISTRANT, START)
    feedless.no_filings(NEW_REGISTRANT, START + 23.9 * HOUR)
    assert said(logs) == [("info", NEW_REGISTRANT)]
    feedless.no_filings(NEW_REGISTRANT, START + 24 * HOUR)
    feedless.no_filings(NEW_REGISTRANT, START + 48 * HOUR)
    assert said(logs) == [("info", NEW_REGISTRANT), ("warning", NEW_REGISTRANT)]
    assert "check the watchlist" in logs[1]["event"]
    assert logs[1]["since"] == "2026-05-28T20:26:40+00:00"


def test_a_cik_that_files_is_forgotten(logs: list[EventDict]) -> None:
    feedless = FeedlessCiks(warn_after=timedelta(hours=1))
    feedless.no_filings(NEW_REGISTRANT, START)
    feedless.has_filings(NEW_REGISTRANT)  # its first filing: the letter
    feedless.no_filings(NEW_REGISTRANT, START + 2 * HOUR)  # gone again: a new episode
    feedless.no_filings(NEW_REGISTRANT, START + 2.5 * HOUR)
    assert said(logs) == [("info", NEW_REGISTRANT), ("info", NEW_REGISTRANT)]
