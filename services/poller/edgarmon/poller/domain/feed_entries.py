"""Feed entries and how they become filings.

EDGAR's feeds list one entry per company and role, so one filing may have many
entries (57 for one 424B5). :func:`group_entries` turns entries into one
:class:`~edgarmon.core.domain.filing.Filing` per accession number, carrying every company.
The small readers here (items, acceptance time, filing date, CIK, form type) are
shared by the latest-filings feed, the company feeds and the daily index. Those that
validate raise :class:`~edgarmon.poller.domain.skipped_entries.UnreadableEntry`, and the
parser skips the entry (see :mod:`edgarmon.poller.domain.skipped_entries`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from edgarmon.core.domain.filing import EASTERN, Company, Filing, normalize_accession
from edgarmon.poller.domain.skipped_entries import (
    SkippedEntry,
    SkipReason,
    UnreadableEntry,
    shorten,
)

ROLE_NOT_STATED: Final = "Unspecified"
"""The role given to a company when the source does not state one (company feeds and
daily indexes list a company without saying whether it filed or was the subject)."""

EARLIEST_EDGAR_DAY: Final = date(1993, 1, 1)
LATEST_PLAUSIBLE_DAY: Final = date(2199, 12, 31)
"""Dates outside these are not EDGAR's (it took its first electronic filings in 1993):
an entry dated year 1 or 9999 is skipped, not published (nor let stop the paging)."""

# ASCII: under IGNORECASE alone [A-Za-z] also matches the Kelvin sign and the long s
_ITEM = re.compile(
    r"Item\s+([0-9A-Za-z]{1,3}(?:\.[0-9A-Za-z]{1,3})?)\s*:", re.IGNORECASE | re.ASCII
)
_ACCESSION = re.compile(r"([0-9]{10}-[0-9]{2}-[0-9]{6})")
_ACCESSION_NODASH = re.compile(r"/([0-9]{18})/")
# "\s*(?:</b>)?\s*" matched the same, in time quadratic in a run of spaces
_FILED = re.compile(r"Filed:\s*(?:</b>\s*)?([0-9]{4}-[0-9]{2}-[0-9]{2})")
_ACC_NO = re.compile(r"AccNo:\s*(?:</b>\s*)?([0-9]{10}-[0-9]{2}-[0-9]{6})")
_CIK = re.compile(r"[0-9]{1,10}")
_FORM_TYPE = re.compile(r"[A-Za-z0-9][ -~]{0,39}")


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
    skipped: tuple[SkippedEntry, ...] = ()
    raw_entry_count: int = 0
    """Entries on the page as served, readable or not (a short page ends the feed)."""

    @property
    def rejected(self) -> tuple[str, ...]:
        """What was skipped, one line each."""
        return tuple(entry.describe() for entry in self.skipped)

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
    return iso_day(match.group(1), "filing date") if match else None


def eastern_datetime(raw: str) -> datetime:
    """An ISO timestamp as an aware US Eastern datetime; a naive one is taken as Eastern.
    Raises :class:`UnreadableEntry` (``bad_date``) for one that is not a timestamp or
    not EDGAR's (see :data:`EARLIEST_EDGAR_DAY`)."""
    try:
        value = datetime.fromisoformat(raw.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=EASTERN)
        value = value.astimezone(EASTERN)
    except (ValueError, OverflowError) as error:
        raise UnreadableEntry(
            SkipReason.BAD_DATE, f"acceptance time {shorten(raw, 60)!r} is not usable: {error}"
        ) from error
    edgar_day(value.date(), "acceptance time")
    return value


def iso_day(raw: str, what: str) -> date:
    """A ``YYYY-MM-DD`` date within EDGAR's years, or :class:`UnreadableEntry`."""
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError as error:
        raise UnreadableEntry(
            SkipReason.BAD_DATE, f"{what} {shorten(raw, 60)!r} is not a date: {error}"
        ) from error
    return edgar_day(value, what)


def edgar_day(value: date, what: str) -> date:
    """``value`` if EDGAR could have dated something so, else :class:`UnreadableEntry`."""
    if not EARLIEST_EDGAR_DAY <= value <= LATEST_PLAUSIBLE_DAY:
        raise UnreadableEntry(
            SkipReason.BAD_DATE,
            f"{what} {value.isoformat()} is outside EDGAR's years "
            f"({EARLIEST_EDGAR_DAY.year} to {LATEST_PLAUSIBLE_DAY.year})",
        )
    return value


def parse_cik(raw: str) -> int:
    """A CIK as EDGAR writes it: 1 to 10 ASCII digits (leading zeros allowed)."""
    text = raw.strip()
    if _CIK.fullmatch(text) is None:
        raise UnreadableEntry(
            SkipReason.BAD_CIK, f"CIK {shorten(text, 40)!r} is not 1 to 10 digits"
        )
    return int(text)


def parse_accession(raw: str) -> str:
    """The dashed accession number, or :class:`UnreadableEntry` (``no_accession``)."""
    try:
        accession = normalize_accession(raw)
    except ValueError as error:
        raise UnreadableEntry(SkipReason.NO_ACCESSION, shorten(error)) from error
    if not accession.isascii():
        raise UnreadableEntry(
            SkipReason.NO_ACCESSION, f"not an accession number: {shorten(raw, 40)!r}"
        )
    return accession


def parse_form_type(raw: str) -> str:
    """A form type as EDGAR writes them ("8-K", "SC 13G/A", "1-A POS"): up to 40
    printable ASCII characters starting with a letter or digit."""
    form = clean_text(raw)
    if _FORM_TYPE.fullmatch(form) is None:
        what = repr(shorten(form, 40)) if form else "empty"
        raise UnreadableEntry(SkipReason.BAD_FORM, f"form type {what} is not a form type")
    return form


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
