"""The simulator's filings: templates read from recordings, and when each appears.

A :class:`FilingTemplate` is a filing without a time (from a recorded
latest-filings feed, or a whole day's daily index). Scheduling gives it the moment
it becomes visible on the simulated EDGAR and, from that, its acceptance time and
filing date, as EDGAR would:

- filings accepted after 5:30 pm ET get the next business day's filing date
  (Forms 3, 4, 5 and 144 keep the same day until 10 pm);
- CORRESP and UPLOAD letters are released weeks late and keep their original
  dates; they never appear on the latest-filings feed, only in the company feeds
  and in the daily index of the day they are released.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from edgarmon.core.domain.filing import LETTER_FORMS

EASTERN: Final = ZoneInfo("America/New_York")
LATE_RELEASE_FORMS: Final = frozenset(LETTER_FORMS)
SAME_DAY_UNTIL_10PM: Final = frozenset({"3", "4", "5", "3/A", "4/A", "5/A", "144", "144/A"})
_ATOM: Final = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, slots=True)
class SimCompany:
    cik: int
    name: str
    role: str = "Filer"


@dataclass(frozen=True, slots=True)
class FilingTemplate:
    accession: str
    form_type: str
    companies: tuple[SimCompany, ...]
    items: tuple[tuple[str, str], ...] = ()
    size_kb: int = 10
    original_filing_date: date | None = None


@dataclass(frozen=True, slots=True)
class SimFiling:
    """A filing on the simulated EDGAR. ``visible_at`` is simulated POSIX time."""

    accession: str
    form_type: str
    companies: tuple[SimCompany, ...]
    accepted_at: datetime
    filing_date: date
    visible_at: float
    items: tuple[tuple[str, str], ...] = ()
    size_kb: int = 10
    historic: bool = False
    """Read from a recorded company feed: always visible there, never on the
    latest-filings feed nor in a simulated daily index."""

    @property
    def on_latest_feed(self) -> bool:
        return self.form_type not in LATE_RELEASE_FORMS and not self.historic

    @property
    def index_day(self) -> date:
        """The daily index listing it: its filing date, or its release day if later."""
        released = datetime.fromtimestamp(self.visible_at, EASTERN).date()
        return max(self.filing_date, released)

    @property
    def ciks(self) -> frozenset[int]:
        return frozenset(company.cik for company in self.companies)


def next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def filing_date_for(form_type: str, accepted_at: datetime) -> date:
    """EDGAR's filing date for a filing accepted at ``accepted_at``."""
    local = accepted_at.astimezone(EASTERN)
    cutoff = time(22, 0) if form_type in SAME_DAY_UNTIL_10PM else time(17, 30)
    if local.weekday() >= 5 or local.time() > cutoff:
        return next_business_day(local.date())
    return local.date()


def schedule_filing(
    template: FilingTemplate, visible_at: float, *, keep_filing_date: bool = False
) -> SimFiling:
    """A template made visible at ``visible_at``, accepted then. Late letters keep
    their old dates; with ``keep_filing_date`` (a recorded day replayed) every filing
    keeps the date its index gave it."""
    moment = datetime.fromtimestamp(visible_at, EASTERN)
    original = template.original_filing_date
    late = template.form_type in LATE_RELEASE_FORMS
    if late and original is not None and original < moment.date():
        accepted_at = datetime.combine(original, time(12, 0), tzinfo=EASTERN)
        filing_date = original
    else:
        accepted_at = moment.replace(microsecond=0)
        filing_date = filing_date_for(template.form_type, accepted_at)
        if keep_filing_date and original is not None:
            filing_date = original
    return SimFiling(
        accession=template.accession,
        form_type=template.form_type,
        companies=template.companies,
        accepted_at=accepted_at,
        filing_date=filing_date,
        visible_at=visible_at,
        items=template.items,
        size_kb=template.size_kb,
    )


def recycled(template: FilingTemplate, round_number: int) -> FilingTemplate:
    """The template with a new, unique accession number, for pools replayed in a loop.
    Real prefixes start ``00`` (or ``99`` for SEC staff), so rounds use ``11``-``89``."""
    if round_number == 0:
        return template
    prefix = f"{10 + (round_number % 80) or 11:02d}"
    return replace(template, accession=prefix + template.accession[2:])


def day_replay_times(count: int, day: date, *, seed: int = 20230703) -> list[float]:
    """``count`` acceptance moments over one EDGAR day (06:00-22:00 ET), shaped like a
    real day: a burst at the 06:00 opening (the overnight queue), a busy morning and
    a heavy 16:00-17:30 close. Deterministic for a seed. Sorted."""
    rng = random.Random(seed)  # noqa: S311 -- a reproducible schedule, not a secret
    opening = datetime.combine(day, time(6, 0), tzinfo=EASTERN).timestamp()
    weights = [(6, 0.6), (7, 1.0), (8, 1.6), (9, 1.2), (10, 1.0), (11, 0.9), (12, 0.8)]
    weights += [(13, 0.9), (14, 0.9), (15, 1.1), (16, 2.4), (17, 1.8), (18, 0.5)]
    weights += [(19, 0.4), (20, 0.3), (21, 0.3)]
    burst = count // 12
    times = [opening] * burst
    hours = rng.choices([hour for hour, _ in weights], [w for _, w in weights], k=count - burst)
    for hour in hours:
        base = datetime.combine(day, time(hour, 0), tzinfo=EASTERN).timestamp()
        times.append(float(int(base + rng.uniform(0, 3600))))
    return sorted(times)


def templates_from_latest_feed(paths: list[Path]) -> list[FilingTemplate]:
    """Filings from recorded latest-filings feed pages, oldest first, one per accession."""
    grouped: dict[str, tuple[str, list[SimCompany], tuple[tuple[str, str], ...], int, str]] = {}
    for path in paths:
        root = ET.parse(path).getroot()  # noqa: S314 -- our own read-only recordings
        for entry in root.iter(f"{_ATOM}entry"):
            parsed = _feed_entry(entry)
            if parsed is None:
                continue
            accession, form, company, items, size, updated = parsed
            slot = grouped.setdefault(accession, (form, [], items, size, updated))
            if company not in slot[1]:
                slot[1].append(company)
    ordered = sorted(grouped.items(), key=lambda item: item[1][4])
    return [
        FilingTemplate(accession, form, tuple(companies), items, size)
        for accession, (form, companies, items, size, _) in ordered
    ]


def _feed_entry(
    entry: ET.Element,
) -> tuple[str, str, SimCompany, tuple[tuple[str, str], ...], int, str] | None:
    title = entry.findtext(f"{_ATOM}title", "")
    raw_id = entry.findtext(f"{_ATOM}id", "")
    summary = entry.findtext(f"{_ATOM}summary", "")
    updated = entry.findtext(f"{_ATOM}updated", "")
    category = entry.find(f"{_ATOM}category")
    if "accession-number=" not in raw_id or " - " not in title or category is None:
        return None
    accession = raw_id.rsplit("=", 1)[1].strip()
    head, _, role = title.rpartition(" (")
    name_part, _, cik = head.rpartition(" (")
    name = name_part.split(" - ", 1)[1]
    items = tuple(
        (line.split(":", 1)[0].replace("Item", "").strip(), line.split(":", 1)[1].strip())
        for line in summary.split("<br>")[1:]
        if line.strip().startswith("Item") and ":" in line
    )
    size_text = summary.split("Size:</b>")[-1].split()[:1]
    size = int(size_text[0]) if size_text and size_text[0].isdigit() else 10
    company = SimCompany(int(cik.rstrip(")")), name, role.rstrip(")"))
    return accession, category.get("term", ""), company, items, size, updated
