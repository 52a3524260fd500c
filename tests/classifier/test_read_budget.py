"""Documents that stay costly after every parser fix (lexbor clones open formatting
tags into every new paragraph; a page of a million bare elements) are read in a
bounded worker: past the memory or time budget the filing is still classified from
what is known, with one error on the event, and the next filing reads normally."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from edgarmon.classifier.adapters.filing_documents import classify_discovered
from edgarmon.core.adapters.bounded_work import WorkBudget, bounded_workers
from edgarmon.core.domain.filing import Company, Document, Filing

FOLDER = "https://www.sec.gov/Archives/edgar/data/1/000000000031000001"
RELEASE = (
    b"<html><body><p>Northwind Bio Reports Positive Phase 2 Results for NW-101</p>"
    b"<p>CAMBRIDGE, Mass., May 1, 2031 -- Northwind Bio today announced positive topline "
    b"results from its Phase 2 trial of NW-101 in ulcerative colitis.</p></body></html>"
)


def formatting_clones(tags: int = 256, paragraphs: int = 20_000) -> bytes:
    """0.2 MiB of HTML that lexbor grows to gigabytes: ``tags`` formatting elements left
    open, re-opened by the parser in each of ``paragraphs`` paragraphs."""
    opened = b"".join(b'<b id="%d">' % n for n in range(tags))
    return b"<html><body><p>" + opened + b"</p><p>z" * paragraphs + b"</body></html>"


def flat_page(elements: int = 1_000_000) -> bytes:
    return b"<html><body>" + b"<br>" * elements + b"</body></html>"


def eight_k(name: str) -> Filing:
    return Filing(
        accession_number="0000000000-31-000001",
        form_type="8-K",
        companies=(Company(cik=1, name="Northwind Bio", role="Filed for"),),
        items=("8.01", "9.01"),
        accepted_at=datetime(2031, 5, 1, 14, 0, tzinfo=UTC),
        filing_date=date(2031, 5, 1),
        index_url=f"{FOLDER}/0000000000-31-000001-index.htm",
        documents=(Document(url=f"{FOLDER}/{name}", type="EX-99.1", filename=name),),
    )


class Serves:
    """A fetcher that answers every URL with ``body``."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def fetch(self, url: str, *, max_bytes: int | None = None) -> bytes:
        return self.body


@pytest.mark.parametrize(
    ("body", "budget", "said"),
    [
        (formatting_clones(), WorkBudget(60.0, 128 * 2**20), "needed more than 128 MiB"),
        (flat_page(), WorkBudget(0.2, 512 * 2**20), "did not finish within 0.2 s"),
    ],
    ids=["memory", "time"],
)
async def test_a_document_past_its_budget_is_an_error_on_the_event(
    body: bytes, budget: WorkBudget, said: str
) -> None:
    async with bounded_workers(budget, name="document read") as parsing:
        over = await classify_discovered(eight_k("ex99.htm"), Serves(body), parsing=parsing)
        after = await classify_discovered(eight_k("ex99.htm"), Serves(RELEASE), parsing=parsing)

    (error,) = over.classification.errors
    # Past the memory cap either Python's allocation fails (the budget's error) or
    # lexbor's own does first and it gives up on the document: both say so on the event.
    assert (error.stage, error.message) in {
        ("read", f"BudgetExceeded: document read {said}"),
        ("html", "html: lexbor cannot parse it: Can't parse HTML. (ex99.htm)"),
    }
    assert [label.id.value for label in over.classification.labels] == ["8k_item_8_01"]
    assert after.classification.errors == ()
    assert {label.id.value for label in after.classification.labels} == {
        "8k_item_8_01",
        "clinical_update",
    }
