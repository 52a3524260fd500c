"""The EDGAR URLs the poller reads, built on the configured base URL."""

from __future__ import annotations

from datetime import date
from typing import Final

from edgarmon.poller.domain.daily_index import IndexFlavor

LATEST_FEED_PATH: Final = "/cgi-bin/browse-edgar"


def latest_feed_url(base_url: str, *, start: int = 0, count: int = 100) -> str:
    """One page of the latest-filings Atom feed (every form, owners included)."""
    return (
        f"{base_url.rstrip('/')}{LATEST_FEED_PATH}?action=getcurrent"
        f"&count={count}&start={start}&type=&owner=include&output=atom"
    )


def company_feed_url(
    base_url: str, cik: int, *, count: int = 100, form_type: str = "", start: int = 0
) -> str:
    """A company's Atom feed, newest filing date first. Ownership reports are left out:
    they are on the latest-filings feed. CORRESP and UPLOAD letters are here, and only
    here. ``form_type`` keeps the forms it begins (EDGAR's ``type=`` is a prefix)."""
    return (
        f"{base_url.rstrip('/')}{LATEST_FEED_PATH}?action=getcompany&CIK={cik:010d}"
        f"&type={form_type}&dateb=&owner=exclude&start={start}&count={count}&output=atom"
    )


def quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def daily_index_url(base_url: str, day: date, *, flavor: IndexFlavor = "master") -> str:
    """``/Archives/edgar/daily-index/YYYY/QTRn/<flavor>.YYYYMMDD.idx``."""
    return (
        f"{base_url.rstrip('/')}/Archives/edgar/daily-index/{day.year}/QTR{quarter(day)}/"
        f"{flavor}.{day:%Y%m%d}.idx"
    )
