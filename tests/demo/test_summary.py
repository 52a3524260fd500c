"""The demo summary says what each number is made of, and says so when they do not add
up (the healthy run is checked end to end in tests/e2e/test_pipeline.py)."""

from __future__ import annotations

import dataclasses

from edgarmon.demo.report import render
from edgarmon.demo.tally import RouteTally, Tally

TOPICS = {
    "topic_discovered": "edgar.filings.discovered.v1",
    "topic_classified": "edgar.filings.classified.v1",
    "topic_alerts_sent": "edgar.alerts.sent.v1",
    "topic_deadletter": "edgar.deadletter.v1",
}
HEALTHY = Tally(
    seconds=45.2,
    visible=137,
    early=40,
    arrived=87,
    featured=10,
    history=100,
    published=137,
    by_source={"company_feed": 3, "latest_feed": 134},
    duplicates=0,
    unfindable=0,
    missed=(),
    published_after_close=0,
    classified=137,
    errored=0,
    labels={"8k_item_8_01": 22, "clinical_update": 5, "sec_correspondence": 3},
    slack_alerts=8,
    slack_digests=2,
    digested_filings=22,
    emails=8,
    ledger=38,
    routes=(
        RouteTally(route="clinical", filings=5, slack=5, email=5, digested=0),
        RouteTally(route="other-events", filings=22, slack=0, email=0, digested=22),
        RouteTally(route="sec-letters", filings=3, slack=3, email=3, digested=0),
    ),
    dead_letters=0,
    detection=tuple(0.5 for _ in range(97)),
    to_slack=tuple(1.0 for _ in range(8)),
    alerted_immediately=8,
)


def test_every_number_says_what_it_is_made_of() -> None:
    assert HEALTHY.unreconciled() == []
    lines = render(HEALTHY, TOPICS).splitlines()
    assert lines[4:12] == [
        "filings made visible by the simulator: 137 = 40 before the poller's first publish "
        "(start-up backlog) + 87 arriving later + 10 featured",
        "  (not counted: the 100 older filings of the recorded company feeds, EDGAR's past, "
        "the poller's baseline)",
        "published to edgar.filings.discovered.v1: 137 (company_feed 3, latest_feed 134); "
        "duplicates: 0",
        "classified on edgar.filings.classified.v1: 137 (every published filing); "
        "with an error field: 0",
        "  labels: 8k_item_8_01 22, clinical_update 5, sec_correspondence 3 "
        "(a filing may have several, or none)",
        "alerts: 10 Slack messages = 8 alerts + 2 digests of 22 filings; 8 e-mails",
        "ledger records on edgar.alerts.sent.v1: 38, one per filing, route and destination:",
        "  route clinical: 10 = 5 Slack alerts + 5 e-mails",
    ]
    assert "  route other-events: 22 = 22 filings in digests" in lines
    assert "  to the discovered topic: p50 0.50 s, p99 0.50 s (n=97)" in lines
    assert (
        "    (n: the published filings visible after the poller's first publish; the 40 of "
        "the start-up backlog measure start-up, not detection)"
    ) in lines
    assert not any("not published" in line or "DOES NOT ADD UP" in line for line in lines)


def test_what_was_not_published_is_explained_and_what_does_not_add_up_is_said() -> None:
    short = dataclasses.replace(
        HEALTHY,
        published=134,
        by_source={"company_feed": 3, "latest_feed": 131},
        unfindable=1,
        missed=("0000000001-26-000002", "0000000001-26-000003"),
        classified=134,
        emails=7,
    )
    assert short.unreconciled() == [
        "visible, findable, never published: 0000000001-26-000002, 0000000001-26-000003",
        "ledger records of e-mails: 8, received: 7",
    ]
    text = render(short, TOPICS)
    assert (
        "  not published: 3 (1 on no feed the poller reads: letters of companies not on "
        "the watchlist; 2 not found before the services stopped)"
    ) in text.splitlines()
    assert "DOES NOT ADD UP: ledger records of e-mails: 8, received: 7" in text
