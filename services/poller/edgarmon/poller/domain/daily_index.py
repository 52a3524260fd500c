"""Parsing EDGAR's daily index files: ``company``, ``form``, ``master`` and ``crawler``
``.YYYYMMDD.idx`` (and the quarterly files, which share the layout).

Each file opens with a preamble (``Description:``, ``Last Data Received:`` ...), a
header naming the columns and a line of dashes. ``company``/``crawler``/``form`` rows
are fixed-width; ``master`` rows are ``CIK|Company Name|Form Type|Date Filed|File Name``.
An index may hold no rows at all. The same accession appears once per CIK.

The index states no acceptance time. A filing read from it gets midnight US Eastern
of its ``Date Filed`` (see :func:`start_of_day_eastern`) and ``accepted_at_known``
False on its entries; CORRESP and UPLOAD letters released late carry their original
(old) date here, as on EDGAR.

A row that cannot be read (a CIK of more than 10 digits, a date outside EDGAR's years,
no accession number ...) is skipped and described in ``DailyIndex.skipped``; the rest
of the index is used. The parser logs nothing (see :mod:`edgarmon.poller.domain.skipped_entries`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import Company, Filing
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.domain.feed_entries import (
    ROLE_NOT_STATED,
    FeedEntry,
    archives_index_url,
    clean_text,
    edgar_day,
    group_entries,
    iso_day,
    parse_cik,
    parse_form_type,
    start_of_day_eastern,
)
from edgarmon.poller.domain.skipped_entries import (
    ENTRY_ERRORS,
    SkippedEntry,
    SkipReason,
    UnreadableEntry,
    skipped_entry,
)

IndexFlavor = Literal["company", "form", "master", "crawler"]

_FIXED_ROW = re.compile(
    r"^(?P<left>.*\S)\s+(?P<cik>[0-9]+)\s+(?P<date>[0-9]{8}|[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"\s+(?P<path>\S+)\s*$"
)
_ACCESSION = re.compile(r"([0-9]{10}-[0-9]{2}-[0-9]{6})")
_LAST_DATA = re.compile(r"^Last Data Received:\s*(?P<value>.+?)\s*$", re.MULTILINE)
_DATE_FORMATS: Final = ("%b %d, %Y", "%B %d, %Y")


@dataclass(frozen=True, slots=True)
class IndexRow:
    cik: int
    company_name: str
    form_type: str
    date_filed: date
    accession_number: str


@dataclass(frozen=True, slots=True)
class DailyIndex:
    """A parsed index: its rows, the filings they make, and the rows that could not be
    read (skipped, with why)."""

    flavor: IndexFlavor
    last_data_received: date | None
    rows: tuple[IndexRow, ...]
    skipped: tuple[SkippedEntry, ...]
    filings: tuple[Filing, ...]

    @property
    def accessions(self) -> frozenset[str]:
        return frozenset(row.accession_number for row in self.rows)

    @property
    def rejected(self) -> tuple[str, ...]:
        """What was skipped, one line each."""
        return tuple(entry.describe() for entry in self.skipped)


def parse_daily_index(body: bytes | str, *, base_url: str) -> DailyIndex:
    """Parse an index file. Raises :class:`FeedParseError` when it has no column
    header and dashes line (an HTML error page, a truncated preamble)."""
    text = body.decode("latin-1") if isinstance(body, bytes) else body
    lines = text.splitlines()
    dashes = next((i for i, line in enumerate(lines) if line.startswith("-----")), None)
    if dashes is None:
        raise FeedParseError(
            f"not an EDGAR index: no line of dashes under a column header; starts {text[:80]!r}"
        )
    header_lines = _header_lines(lines, dashes)
    header = " ".join(header_lines)
    flavor = _flavor(header, header_lines)
    split_at = 0 if flavor == "master" else _split_column(flavor, header_lines)
    rows: list[IndexRow] = []
    entries: list[FeedEntry] = []
    skipped: list[SkippedEntry] = []
    for number, line in enumerate(lines[dashes + 1 :], start=dashes + 2):
        if not line.strip():
            continue
        try:
            row = _row(line, flavor, split_at)
            entry = _entry(row, base_url)
        except ENTRY_ERRORS as error:
            accession = _ACCESSION.search(line)
            skipped.append(
                skipped_entry(
                    error,
                    source=DiscoverySource.DAILY_INDEX,
                    entry_id=accession.group(1) if accession else line,
                    where=f"line {number} ({line[:80]!r})",
                )
            )
            continue
        rows.append(row)
        entries.append(entry)
    return DailyIndex(
        flavor=flavor,
        last_data_received=_last_data_received(text),
        rows=tuple(rows),
        skipped=tuple(skipped),
        filings=group_entries(entries),
    )


def _header_lines(lines: list[str], dashes: int) -> list[str]:
    """The column header: the non-blank lines right above the dashes."""
    header: list[str] = []
    for line in reversed(lines[:dashes]):
        if not line.strip():
            break
        header.insert(0, line)
    return header


def _flavor(header: str, header_lines: list[str]) -> IndexFlavor:
    if "|" in header:
        return "master"
    first = header_lines[0] if header_lines else ""
    if first.startswith("Form Type"):
        return "form"
    if first.startswith("Company Name"):
        return "crawler" if re.search(r"\bURL\b", header) else "company"
    raise FeedParseError(f"not an EDGAR index: unknown column header {header[:120]!r}")


def _row(line: str, flavor: IndexFlavor, split_at: int) -> IndexRow:
    if flavor == "master":
        parts = line.split("|")
        if len(parts) != 5:
            raise UnreadableEntry(SkipReason.BAD_LAYOUT, "expected 5 '|'-separated fields")
        cik, name, form, raw_date, path = (part.strip() for part in parts)
    else:
        match = _FIXED_ROW.match(line)
        if match is None:
            raise UnreadableEntry(SkipReason.BAD_LAYOUT, "not a 'name form CIK date path' row")
        left, cik, raw_date, path = match.group("left", "cik", "date", "path")
        head, tail = left[:split_at], left[split_at:]
        name, form = (tail, head) if flavor == "form" else (head, tail)
    accession = _ACCESSION.search(path)
    if accession is None:
        raise UnreadableEntry(SkipReason.NO_ACCESSION, "no accession number in the file name")
    name = clean_text(name)
    if not name:
        raise UnreadableEntry(SkipReason.BAD_LAYOUT, "empty company name")
    return IndexRow(
        cik=parse_cik(cik),
        company_name=name,
        form_type=parse_form_type(form),
        date_filed=_date(raw_date),
        accession_number=accession.group(1),
    )


def _split_column(flavor: IndexFlavor, header_lines: list[str]) -> int:
    """Where a fixed-width row's name and form type meet."""
    return _column(header_lines[0], "Company Name" if flavor == "form" else "Form Type")


def _column(header_line: str, title: str) -> int:
    position = header_line.find(title)
    if position <= 0:
        raise FeedParseError(f"index header has no {title!r} column: {header_line[:120]!r}")
    return position


def _date(raw: str) -> date:
    if len(raw) == 8 and raw.isascii() and raw.isdigit():
        try:
            day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError as error:
            raise UnreadableEntry(
                SkipReason.BAD_DATE, f"date filed {raw!r} is not a date: {error}"
            ) from error
        return edgar_day(day, "date filed")
    return iso_day(raw, "date filed")


def _entry(row: IndexRow, base_url: str) -> FeedEntry:
    return FeedEntry(
        accession_number=row.accession_number,
        form_type=row.form_type,
        company=Company(cik=row.cik, name=row.company_name, role=ROLE_NOT_STATED),
        accepted_at=start_of_day_eastern(row.date_filed),
        filing_date=row.date_filed,
        index_url=archives_index_url(base_url, row.cik, row.accession_number),
        accepted_at_known=False,
    )


def _last_data_received(text: str) -> date | None:
    match = _LAST_DATA.search(text[:2000])
    if match is None:
        return None
    value = " ".join(match.group("value").split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
