"""A letter released late, behind 200 newer filings of a watched company, is published
from the company's feed within one cycle, not with that night's daily index."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from edgarmon.core.domain.filing import EASTERN
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.simulator.filings import SimCompany, SimFiling
from edgarmon.simulator.simulated_edgar import RequestRecord
from edgarmon.testing.clock import ManualClock
from tests.poller.service_harness import (
    SERVICE_START,
    poller_settings,
    published,
    running_poller,
    simulator,
    until,
)

CIK = 1_999_001
COMPANY = (SimCompany(cik=CIK, name="Busy Filer Inc"),)
LETTER = "0001999001-25-000001"
RELEASE_AFTER = 10.0  # simulated seconds after the start


def busy_company(start: datetime) -> list[SimFiling]:
    """200 8-Ks from the last 40 days, and a CORRESP dated 60 days ago, released later."""
    filings = [
        SimFiling(
            accession=f"0001999001-25-{n + 100:06d}",
            form_type="8-K",
            companies=COMPANY,
            accepted_at=start - timedelta(hours=4 * n + 5),
            filing_date=(start - timedelta(hours=4 * n + 5)).date(),
            visible_at=start.timestamp() - 4 * 3600 * n - 18_000,
        )
        for n in range(200)
    ]
    dated = start - timedelta(days=60)
    letter = SimFiling(
        accession=LETTER,
        form_type="CORRESP",
        companies=COMPANY,
        accepted_at=dated,
        filing_date=dated.date(),
        visible_at=start.timestamp() + RELEASE_AFTER,
    )
    return [*filings, letter]


def unfiltered_company_feed(record: RequestRecord) -> bool:
    return "action=getcompany" in record.query and "type=&" in record.query


@pytest.mark.parametrize("letter_pages", [3, 0], ids=["letter feeds", "company feed only"])
async def test_a_late_letter_is_published_within_one_company_cycle(
    kafka_bootstrap: str, unique: str, shared: Path, letter_pages: int
) -> None:
    clock = ManualClock(SERVICE_START)
    start = datetime.fromtimestamp(SERVICE_START, EASTERN)
    async with simulator(shared / "edgar", clock) as sim:
        sim.sim.arrivals = None  # only this company's filings
        sim.sim.add_filings(busy_company(start))
        settings = poller_settings(
            kafka_bootstrap,
            sim.base_url,
            unique,
            watchlist_ciks=(CIK,),
            company_letter_feed_pages=letter_pages,
        )
        async with running_poller(settings, clock) as poller:

            def cycles() -> int:
                return sum(1 for r in sim.sim.requests if unfiltered_company_feed(r))

            def first_turn_done() -> bool:  # the last request of a turn answered
                last = "type=UPLOAD&" if letter_pages else "type=&"
                return any(last in r.query for r in sim.sim.requests)

            await until(sim.sim, first_turn_done, task=poller.task)  # baseline taken
            clock.advance(RELEASE_AFTER)
            released_at = cycles()
            # The next turn has begun: the first one after the release is done, published.
            await until(sim.sim, lambda: cycles() >= released_at + 2, task=poller.task)
        events = await published(kafka_bootstrap, settings.topic_discovered)
    letters = [e for e in events if e.filing.accession_number == LETTER]
    if letter_pages:
        (letter,) = letters
        assert letter.source is DiscoverySource.COMPANY_FEED
        assert letter.filing.filing_date == date.fromordinal(start.date().toordinal() - 60)
    else:
        assert letters == []  # beyond the newest 40: it would wait for the night's index
    assert all(e.filing.form_type != "8-K" for e in events)  # the history is the baseline
