"""Paging through the latest-filings feed, without I/O.

The feed is newest first. One poll reads ``start=0``; when that page holds no
accession the poller already knew *before this poll*, filings may have been pushed
past it (a burst, an outage), so it reads ``start=100``, ``200``, ... until a page
holds a known accession, the feed ends, or EDGAR's depth is reached (about 5,100
entries: ``start=5100`` answered 503 in 2026). Accessions collected earlier in the
same poll never count as known: new filings push entries down, so a page repeats
the tail of the previous one, and stopping there would drop everything below.

Overlap between pages, and filings whose entries span two pages, are merged by
accession number in :func:`new_filings`.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from edgarmon.core.domain.filing import Filing
from edgarmon.poller.domain.feed_entries import FeedPage, group_entries

EDGAR_FEED_DEPTH: Final = 5100
"""Entries the latest-filings feed serves; ``start`` at or past this answers 503."""


@dataclass(frozen=True, slots=True)
class PageStep:
    """What to do after reading the page at ``start``."""

    next_start: int | None
    reached_known: bool = False
    end_of_feed: bool = False
    reached_horizon: bool = False
    depth_exhausted: bool = False
    """True when the walk stopped at EDGAR's depth without meeting a known accession:
    filings may have been missed, and the daily index must fill the gap."""


def plan_next_page(
    page: FeedPage,
    *,
    start: int,
    count: int,
    known: Container[str],
    depth: int = EDGAR_FEED_DEPTH,
    horizon: datetime | None = None,
) -> PageStep:
    """Decide whether to read the page after the one at ``start``.

    ``known`` holds the accessions known before this poll began. ``horizon``, when
    given, stops the walk at entries accepted before it (used on a first start with
    an empty memory, so the poller does not publish days of old filings).
    """
    if any(accession in known for accession in page.accessions):
        return PageStep(next_start=None, reached_known=True)
    if max(page.raw_entry_count, len(page.entries)) < count:
        return PageStep(next_start=None, end_of_feed=True)
    oldest = page.oldest_accepted_at
    if horizon is not None and oldest is not None and oldest < horizon:
        return PageStep(next_start=None, reached_horizon=True)
    next_start = start + count
    if next_start >= depth:
        return PageStep(next_start=None, depth_exhausted=True)
    return PageStep(next_start=next_start)


def new_filings(
    pages: Sequence[FeedPage], known: Container[str], *, horizon: datetime | None = None
) -> tuple[Filing, ...]:
    """The filings on ``pages`` not in ``known``, one per accession however many
    entries and pages it spans, oldest first (the order EDGAR accepted them)."""
    entries = [
        entry
        for page in pages
        for entry in page.entries
        if entry.accession_number not in known and (horizon is None or entry.accepted_at >= horizon)
    ]
    oldest_first = list(reversed(group_entries(entries)))
    # a stable sort of the reversed feed keeps EDGAR's order among equal times
    oldest_first.sort(key=lambda filing: filing.accepted_at)
    return tuple(oldest_first)
