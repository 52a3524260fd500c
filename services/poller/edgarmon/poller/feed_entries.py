"""Feed entries and how they become filings.

EDGAR's feeds list one entry per company and role, so one filing may have many
entries (57 for one 424B5). :func:`group_entries` turns entries into one
:class:`~edgarmon.core.filing.Filing` per accession number, carrying every company.
The small readers here (items, acceptance time, filing date) are shared by the
latest-filings feed, the company feeds and the daily index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from edgarmon.core.filing import EASTERN, Company, Filing, normalize_accession

ROLE_NOT_STATED: Final = "Unspecified"
"""The role given to a company when the source does not state one (company feeds and
daily indexes list a company without saying whether it filed or was the subject)."""

_ITEM = re.compile(r"Item\s+([0-9A-Za-z]{1,3}(?:\.[0-9A-Za-z]{1,3})?)\s*:", re.IGNORECASE)
_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
_ACCESSION_NODASH = re.compile(r"/(\d{18})/")
_FILED = re.compile(r"Filed:\s*(?:</b>)?\s*(\d{4}-\d{2}-\d{2})")
_ACC_NO = re.compile(r"AccNo:\s*(?:</b>)?\s*(\d{10}-\d{2}-\d{6})")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed or one row of an index: one company in one filing."""

    accession_number: str
    form_type: str
    company: Company
    accepted_at: datetime
    filing_date: date
    index_url: str
    items: tuple[str, ...] = ()
    accepted_at_known: bool = True


@dataclass(frozen=True, slots=True)
class FeedPage:
    """The entries of one feed page, in feed order (newest first), and the entries
    that could not be read, with why (they are skipped, not guessed)."""

    entries: tuple[FeedEntry, ...]
    rejected: tuple[str, ...] = ()
    raw_entry_count: int = 0
    """Entries on the page as served, readable or not (a short page ends the feed)."""

    @property
    def accessions(self) -> tuple[str, ...]:
        """Accession numbers in feed order, each once."""
        return tuple(dict.fromkeys(entry.accession_number for entry in self.entries))

    @property
    def oldest_accepted_at(self) -> datetime | None:
        return min((entry.accepted_at for entry in self.entries), default=None)

    def filings(self) -> tuple[Filing, ...]:
        return group_entries(self.entries)


def items_from_summary(summary: str) -> tuple[str, ...]:
    """``Item 8.01: Other Events`` lines -> ``("8.01",)``; Form D's ``Item 3C.7`` too."""
    return tuple(dict.fromkeys(match.group(1) for match in _ITEM.finditer(summary)))


def accession_from_text(*texts: str) -> str | None:
    """The first accession number in ``texts``: the dashed form, or the 18-digit
    folder of an Archives link."""
    for text in texts:
        match = _ACC_NO.search(text) or _ACCESSION.search(text)
        if match:
            return match.group(1)
        folder = _ACCESSION_NODASH.search(text)
        if folder:
            return normalize_accession(folder.group(1))
    return None


def filing_date_from_summary(summary: str) -> date | None:
    match = _FILED.search(summary)
    return date.fromisoformat(match.group(1)) if match else None


def eastern_datetime(raw: str) -> datetime:
    """An ISO timestamp as an aware US Eastern datetime; a naive one is taken as Eastern."""
    value = datetime.fromisoformat(raw.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=EASTERN)
    return value.astimezone(EASTERN)


def start_of_day_eastern(day: date) -> datetime:
    """The acceptance time given to filings whose source states only a date (the daily
    index): midnight US Eastern of the filing date, marked ``accepted_at_known=False``."""
    return datetime.combine(day, time(0, 0), tzinfo=EASTERN)


def archives_index_url(base_url: str, cik: int, accession: str) -> str:
    """The canonical ``-index.htm`` URL of a filing under the configured base URL."""
    nodash = accession.replace("-", "")
    return f"{base_url.rstrip('/')}/Archives/edgar/data/{cik}/{nodash}/{accession}-index.htm"


def clean_text(value: str) -> str:
    """Collapse whitespace (EDGAR pads names and titles)."""
    return " ".join(value.split())


def group_entries(entries: Iterable[FeedEntry]) -> tuple[Filing, ...]:
    """One :class:`Filing` per accession number, in order of first appearance, with
    every company (each CIK and role once) and the items of any of its entries."""
    grouped: dict[str, list[FeedEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.accession_number, []).append(entry)
    return tuple(_filing_from(group) for group in grouped.values())


def _filing_from(group: list[FeedEntry]) -> Filing:
    first = group[0]
    companies = tuple(
        dict.fromkeys((entry.company.cik, entry.company.role) for entry in group).keys()
    )
    by_key = {(entry.company.cik, entry.company.role): entry.company for entry in group}
    items = tuple(dict.fromkeys(item for entry in group for item in entry.items))
    known_times = [entry.accepted_at for entry in group if entry.accepted_at_known]
    return Filing(
        accession_number=first.accession_number,
        form_type=first.form_type,
        companies=tuple(by_key[key] for key in companies),
        items=items,
        accepted_at=min(known_times) if known_times else first.accepted_at,
        accepted_at_estimated=not known_times,
        filing_date=first.filing_date,
        index_url=first.index_url,
    )
