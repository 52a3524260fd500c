"""The poller's three EDGAR sources, read through the fair-access client.

These are the only poller functions that do I/O; the decisions (paging, grouping,
what is new) are the pure functions they call. None of them remembers anything:
they return what is new against ``seen``, and the service loop adds an accession to
``seen`` only once its event is safely on the topic.

Parsing runs where ``parsing`` says: the service's bounded worker processes (a feed
that overruns the budget is a :class:`~edgarmon.core.domain.errors.FeedParseError`), or
inline for bytes we wrote ourselves (the default, for tests).

Errors pass through: :class:`~edgarmon.core.domain.errors.EdgarUnavailable`,
:class:`~edgarmon.core.domain.errors.FeedParseError` and
:class:`~edgarmon.core.domain.errors.FairAccessBlocked`; the next poll starts afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, TypeVar

from edgarmon.core.adapters.bounded_work import INLINE, Parsing
from edgarmon.core.adapters.edgar_budget import EdgarResponse
from edgarmon.core.adapters.edgar_http import EdgarClient
from edgarmon.core.domain.errors import BudgetExceeded, EdgarUnavailable, FeedParseError
from edgarmon.core.domain.filing import Filing
from edgarmon.poller.domain.atom_feeds import parse_company_feed, parse_latest_feed
from edgarmon.poller.domain.daily_index import DailyIndex, IndexFlavor, parse_daily_index
from edgarmon.poller.domain.edgar_urls import company_feed_url, daily_index_url, latest_feed_url
from edgarmon.poller.domain.feed_entries import FeedPage
from edgarmon.poller.domain.paging import EDGAR_FEED_DEPTH, PageStep, new_filings, plan_next_page
from edgarmon.poller.domain.skipped_entries import SkippedEntry

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class LatestPoll:
    """The result of one poll of the latest-filings feed."""

    filings: tuple[Filing, ...]
    pages_read: int
    last_step: PageStep
    skipped: tuple[SkippedEntry, ...] = ()

    @property
    def depth_exhausted(self) -> bool:
        return self.last_step.depth_exhausted


async def poll_latest(
    client: EdgarClient,
    seen: Container[str],
    *,
    page_size: int = 100,
    depth: int = EDGAR_FEED_DEPTH,
    horizon: datetime | None = None,
    stop_on_deep_failure: bool = False,
    parsing: Parsing = INLINE,
) -> LatestPoll:
    """Read the latest-filings feed from the top, paging on until a page holds an
    accession in ``seen``; return the filings not in ``seen``, oldest first.

    A page that fails raises, and the next poll starts again from the top. With
    ``stop_on_deep_failure`` a failure past the first page instead ends the walk as
    if EDGAR's depth were reached there (``depth_exhausted``): the pages read are
    the newest part of the feed, and the daily index fills what lies below. The
    service sets it after repeated failures, so that a feed whose depth shrank (it
    answers 503 past its depth) cannot stop publication after an outage."""
    pages: list[FeedPage] = []
    start: int | None = 0
    step = PageStep(next_start=0)
    while start is not None:
        try:
            # urgent: how soon every filing is seen hangs on this poll, while a turn of
            # company feeds (letters, weeks late anyway) can wait a token
            response = await client.get(
                latest_feed_url(client.base_url, start=start, count=page_size), urgent=True
            )
            _require_ok(response.status, response.url)
        except EdgarUnavailable:
            if not (stop_on_deep_failure and start > 0):
                raise
            step = PageStep(next_start=None, depth_exhausted=True)
            break
        page = await _parsed(parsing, parse_latest_feed, response, base_url=client.base_url)
        pages.append(page)
        step = plan_next_page(
            page, start=start, count=page_size, known=seen, depth=depth, horizon=horizon
        )
        start = step.next_start
    return LatestPoll(
        filings=new_filings(pages, seen, horizon=horizon),
        pages_read=len(pages),
        last_step=step,
        skipped=tuple(entry for page in pages for entry in page.skipped),
    )


NO_MATCHING_COMPANY: Final = b"No matching"
"""EDGAR answers a company feed request for a CIK it has no filings for with an HTML
page saying "No matching Ticker Symbol." (status 200), not with an empty feed."""


@dataclass(frozen=True, slots=True)
class CompanyFeedPoll:
    """The result of one poll of a company feed."""

    filings: tuple[Filing, ...]
    skipped: tuple[SkippedEntry, ...] = ()
    unreadable: bool = False
    """Nothing on the feed could be read: its company, or every entry, was skipped."""


def no_matching_company(body: bytes) -> bool:
    """EDGAR's HTML page for a company without (such) filings, instead of a feed."""
    return not body.lstrip().startswith(b"<?xml") and NO_MATCHING_COMPANY in body


async def poll_company_feed(
    client: EdgarClient,
    cik: int,
    seen: Container[str],
    *,
    count: int = 100,
    parsing: Parsing = INLINE,
) -> CompanyFeedPoll | None:
    """The filings in ``cik``'s company feed that are not in ``seen``, oldest first (and
    the entries skipped), or None when EDGAR has no filings for ``cik`` (yet: a watched
    company may file its first).
    This is where CORRESP and UPLOAD letters appear, weeks late, with old dates."""
    response = await client.get(company_feed_url(client.base_url, cik, count=count))
    _require_ok(response.status, response.url)
    if no_matching_company(response.body):
        return None
    page = await _parsed(parsing, parse_company_feed, response, base_url=client.base_url)
    unreadable = not page.entries and bool(page.skipped)
    return CompanyFeedPoll(new_filings([page], seen), page.skipped, unreadable=unreadable)


async def poll_letter_feed(
    client: EdgarClient,
    cik: int,
    form_type: str,
    seen: Container[str],
    *,
    count: int,
    max_pages: int,
    parsing: Parsing = INLINE,
) -> CompanyFeedPoll | None:
    """The ``form_type`` letters of ``cik``'s feed not in ``seen``, paging back (newest
    filing date first) until a page holds a letter already known, the feed ends, or
    ``max_pages`` are read. A letter is released weeks after its date, so it may sit
    behind many newer filings: in a feed of letters alone it is near the top.
    None when the company has no such letters."""
    pages = []
    for number in range(max_pages):
        url = company_feed_url(
            client.base_url, cik, count=count, form_type=form_type, start=number * count
        )
        response = await client.get(url)
        _require_ok(response.status, response.url)
        if no_matching_company(response.body):
            break
        page = await _parsed(parsing, parse_company_feed, response, base_url=client.base_url)
        pages.append(page)
        met_known = any(entry.accession_number in seen for entry in page.entries)
        if met_known or page.raw_entry_count < count:
            break
    if not pages:
        return None
    skipped = tuple(entry for page in pages for entry in page.skipped)
    unreadable = not any(page.entries for page in pages) and bool(skipped)
    return CompanyFeedPoll(new_filings(pages, seen), skipped, unreadable=unreadable)


@dataclass(frozen=True, slots=True)
class IndexRead:
    """A daily index as read: ``index`` is None when EDGAR has none for the day (a
    weekend, a holiday, or not published yet). Acceptance times of its filings are
    not known (midnight ET of the filing date stands in)."""

    day: date
    index: DailyIndex | None
    new: tuple[Filing, ...]
    not_modified: bool = False


async def read_daily_index(
    client: EdgarClient,
    day: date,
    seen: Container[str],
    *,
    flavor: IndexFlavor = "master",
    parsing: Parsing = INLINE,
) -> IndexRead:
    """Read ``day``'s index and return its filings not in ``seen``, in index order."""
    response = await client.get(daily_index_url(client.base_url, day, flavor=flavor))
    if response.status == 404:
        return IndexRead(day=day, index=None, new=())
    _require_ok(response.status, response.url)
    index = await _parsed(parsing, parse_daily_index, response, base_url=client.base_url)
    fresh = tuple(filing for filing in index.filings if filing.accession_number not in seen)
    return IndexRead(day=day, index=index, new=fresh, not_modified=response.not_modified)


async def _parsed(
    parsing: Parsing, parse: Callable[..., P], response: EdgarResponse, *, base_url: str
) -> P:
    """``parse(response.body)``, where ``parsing`` runs it; past its budget the feed
    counts as one that cannot be parsed."""
    try:
        return await parsing.run(parse, response.body, base_url=base_url)
    except BudgetExceeded as exc:
        raise FeedParseError(f"{response.url}: {exc}") from exc


def _require_ok(status: int, url: str) -> None:
    if not (200 <= status < 300 or status == 304):
        raise EdgarUnavailable(f"EDGAR answered {status} for {url}")
