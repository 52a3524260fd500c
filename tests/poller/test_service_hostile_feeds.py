"""The poller service against a local EDGAR serving poisoned feeds, and the real broker:
the good entries are published, each bad one is said once however often it is served,
and the poller keeps polling (no crash loop: the bad entries never leave the feed)."""

from __future__ import annotations

import pytest
from structlog.typing import EventDict

from edgarmon.testing.clock import ManualClock
from edgarmon.testing.kafka_io import wait_for_records

from .hostile_feeds import (
    SKIPPED_METRIC,
    company_entry,
    company_feed,
    latest_entry,
    latest_feed,
    skip_warnings,
)
from .service_harness import (
    SERVICE_START,
    LocalEdgar,
    poller_settings,
    published,
    running_poller,
    serving,
)

pytestmark = pytest.mark.kafka

WATCHED = "42"
GOOD = ("0000000011-25-000001", "0000000011-25-000002", "0000000011-25-000003")
ACCEPTED = "2025-06-02T10:3{}:00-04:00"  # minutes before SERVICE_START (10:40 ET)
BAD_CIK = "123456789012345"


async def test_poisoned_entries_cost_only_themselves_and_the_poller_keeps_polling(
    kafka_bootstrap: str, unique: str, logs: list[EventDict]
) -> None:
    title = f"8-K - ACME CORP ({BAD_CIK}) (Filer)"
    edgar = LocalEdgar(
        latest=latest_feed(
            latest_entry(GOOD[2], updated=ACCEPTED.format(5)),
            latest_entry("0000000011-25-000099", updated="9999-12-31T23:59:59-05:00"),
            latest_entry(GOOD[1], updated=ACCEPTED.format(4)),
            latest_entry("0000000011-25-000098", updated="0001-01-01T00:00:00-05:00"),
            latest_entry("0000000011-25-000097", updated=ACCEPTED.format(3), title=title),
            latest_entry(GOOD[0], updated=ACCEPTED.format(2)),
        ),
        company=company_feed(company_entry("0000000042-25-000001"), cik=BAD_CIK),
    )
    clock = ManualClock(SERVICE_START)
    async with serving(edgar) as base_url:
        settings = poller_settings(kafka_bootstrap, base_url, unique, watchlist_ciks=WATCHED)
        async with running_poller(settings, clock) as poller:
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, len(GOOD))
            # the same poisoned pages are served again and again
            latest, company = edgar.count("getcurrent"), edgar.count("getcompany")
            await edgar.until_served("getcurrent", latest + 5, poller=poller.task)
            await edgar.until_served("getcompany", company + 3, poller=poller.task)
            assert not poller.task.done()
            skipped = {
                (source, reason): poller.metric(SKIPPED_METRIC, source=source, reason=reason)
                for source, reason in [
                    ("latest_feed", "bad_date"),
                    ("latest_feed", "bad_cik"),
                    ("company_feed", "bad_cik"),
                ]
            }
            errors = [
                poller.metric("edgarmon_poll_errors_total", source=source)
                for source in ("latest_feed", "company_feed")
            ]
    events = await published(kafka_bootstrap, settings.topic_discovered)
    assert sorted(event.filing.accession_number for event in events) == list(GOOD)
    assert skipped == {
        ("latest_feed", "bad_date"): 2.0,
        ("latest_feed", "bad_cik"): 1.0,
        ("company_feed", "bad_cik"): 1.0,
    }
    assert errors == [0.0, 0.0], "a bad entry is not a failed poll"
    said = sorted((w["source"], w["entry_id"], w["reason"]) for w in skip_warnings(logs))
    assert said == [
        ("company_feed", f"company CIK {BAD_CIK}", "bad_cik"),
        ("latest_feed", "0000000011-25-000097", "bad_cik"),
        ("latest_feed", "0000000011-25-000098", "bad_date"),
        ("latest_feed", "0000000011-25-000099", "bad_date"),
    ], "each once, however many polls served it"
    assert all(w["log_level"] == "warning" for w in skip_warnings(logs))


async def test_a_company_feed_fixed_after_an_unreadable_company_does_not_publish_its_history(
    kafka_bootstrap: str, unique: str, logs: list[EventDict]
) -> None:
    history = company_entry("0000000042-23-000001")  # accepted 2023: before the horizon
    new = company_entry("0000000042-25-000002", updated=ACCEPTED.format(5))
    edgar = LocalEdgar(latest=latest_feed(), company=company_feed(history, new, cik=BAD_CIK))
    clock = ManualClock(SERVICE_START)
    async with serving(edgar) as base_url:
        settings = poller_settings(kafka_bootstrap, base_url, unique, watchlist_ciks=WATCHED)
        async with running_poller(settings, clock) as poller:
            await edgar.until_served("getcompany", 2, poller=poller.task)
            edgar.company = company_feed(history, new)  # EDGAR fixes the feed
            fixed_from = edgar.count("getcompany") + 1
            # the next poll starts once the first poll of the fixed feed has published
            await edgar.until_served("getcompany", fixed_from + 1, poller=poller.task)
            await wait_for_records(kafka_bootstrap, settings.topic_discovered, 1)
    events = await published(kafka_bootstrap, settings.topic_discovered)
    assert [event.filing.accession_number for event in events] == ["0000000042-25-000002"]
    (baseline,) = [line for line in logs if line["event"] == "company feed baseline taken"]
    assert (baseline["older_than_memory"], baseline["new"]) == (1, 1)
    assert len(skip_warnings(logs)) == 1
