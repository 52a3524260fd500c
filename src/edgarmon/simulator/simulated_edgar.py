"""The simulated EDGAR: what is visible at a simulated moment, and what was asked.

:class:`SimulatedEdgar` holds the schedule of filings (each with the simulated
moment it becomes visible), the recordings, the fair-access guard, the fault plan
and a log of requests. The HTTP layer (``server.py``) only translates. Simulated
time comes from an injected clock returning POSIX seconds: :class:`ManualClock` in
tests (advance it to make filings arrive), :class:`ScaledClock` when run as a server.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from edgarmon.simulator.fair_access import FairAccessGuard
from edgarmon.simulator.faults import FaultPlan
from edgarmon.simulator.feed_rendering import FeedEntryView
from edgarmon.simulator.filings import (
    EASTERN,
    FilingTemplate,
    SimCompany,
    SimFiling,
    recycled,
    schedule_filing,
)
from edgarmon.simulator.index_files import read_index_rows, render_index, rows_for
from edgarmon.simulator.recordings import Recordings

FEED_DEPTH: Final = 5100
INDEX_PUBLISH_HOUR: Final = 22
OWNERSHIP_FORMS: Final = frozenset({"3", "4", "5", "3/A", "4/A", "5/A"})


class ScaledClock:
    """Simulated time starting at ``start`` and running ``speed`` times real time."""

    def __init__(self, start: float, *, speed: float = 1.0) -> None:
        self._start = start
        self._speed = speed
        self._origin = time.monotonic()

    def __call__(self) -> float:
        return self._start + (time.monotonic() - self._origin) * self._speed


@dataclass(frozen=True, slots=True)
class RequestRecord:
    at: float
    path: str
    status: int
    client: str
    query: str = ""


@dataclass
class RateArrivals:
    """Filings from ``templates`` arriving ``rate`` per simulated second from ``start``;
    the first ``backlog`` are already visible before ``start``. With ``loop`` the
    templates are replayed with fresh accession numbers, so the feed never runs dry."""

    templates: Sequence[FilingTemplate]
    start: float
    rate: float
    backlog: int = 0
    loop: bool = False
    _next: int = 0

    def visible_at(self, position: int) -> float:
        return self.start + (position - self.backlog + 1) / self.rate

    def due(self, until: float) -> list[SimFiling]:
        arrived = []
        total = len(self.templates)
        while total and (self.loop or self._next < total):
            moment = self.visible_at(self._next)
            if moment > until:
                break
            template = recycled(self.templates[self._next % total], self._next // total)
            arrived.append(schedule_filing(template, moment))
            self._next += 1
        return arrived


@dataclass
class SimulatedEdgar:
    recordings: Recordings
    clock: Callable[[], float]
    guard: FairAccessGuard
    faults: FaultPlan = field(default_factory=FaultPlan)
    arrivals: RateArrivals | None = None
    feed_depth: int = FEED_DEPTH
    index_publish_hour: int = INDEX_PUBLISH_HOUR
    requests: list[RequestRecord] = field(default_factory=list)
    first_served: dict[str, float] = field(default_factory=dict)
    on_request: list[Callable[[RequestRecord], None]] = field(default_factory=list)
    """Called after each EDGAR request is answered (tests use it to let filings
    arrive between two pages of one poll)."""
    _schedule: list[SimFiling] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)
    _by_accession: dict[str, SimFiling] = field(default_factory=dict)

    # --- the schedule -------------------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), EASTERN)

    def add_filings(self, filings: Iterable[SimFiling]) -> None:
        """Schedule filings (each visible from its ``visible_at``)."""
        for filing in filings:
            if filing.accession in self._by_accession:
                continue
            position = bisect.bisect_right(self._times, filing.visible_at)
            self._times.insert(position, filing.visible_at)
            self._schedule.insert(position, filing)
            self._by_accession[filing.accession] = filing

    def visible_count(self) -> int:
        """How many filings are visible now (they are the first of the schedule)."""
        now = self.clock()
        if self.arrivals is not None:
            self.add_filings(self.arrivals.due(now))
        return bisect.bisect_right(self._times, now)

    def visible(self) -> list[SimFiling]:
        """Filings visible now, in the order they became visible."""
        return self._schedule[: self.visible_count()]

    def _newest_first(self) -> Iterator[SimFiling]:
        for position in range(self.visible_count() - 1, -1, -1):
            yield self._schedule[position]

    def find(self, accession: str) -> SimFiling | None:
        self.visible()
        return self._by_accession.get(accession)

    def is_hidden(self, accession: str) -> bool:
        """True for a scheduled filing that is not visible yet (its files answer 404)."""
        filing = self.find(accession)
        return filing is not None and filing.visible_at > self.clock()

    def visibility(self) -> dict[str, float]:
        """When each visible filing became visible, in simulated POSIX seconds."""
        return {
            filing.accession: filing.visible_at for filing in self.visible() if not filing.historic
        }

    # --- what the endpoints show ----------------------------------------------------

    def latest_entries(
        self, *, start: int, count: int, form_prefix: str = "", owner: str = "include"
    ) -> list[FeedEntryView] | None:
        """A page of the latest-filings feed, newest first; None past EDGAR's depth."""
        if start >= self.feed_depth:
            return None
        wanted = min(start + count, self.feed_depth)
        page: list[FeedEntryView] = []
        position = 0
        for filing in self._newest_first():
            if not self._on_feed(filing, form_prefix, owner):
                continue
            for company in filing.companies:
                if position >= start:
                    page.append(FeedEntryView(filing, company))
                position += 1
            if position >= wanted:
                break
        now = self.clock()
        for view in page[: wanted - start]:
            self.first_served.setdefault(view.filing.accession, now)
        return page[: wanted - start]

    @staticmethod
    def _on_feed(filing: SimFiling, form_prefix: str, owner: str) -> bool:
        if not filing.on_latest_feed or not filing.form_type.startswith(form_prefix):
            return False
        is_ownership = filing.form_type in OWNERSHIP_FORMS
        return not (owner == "exclude" and is_ownership) and not (
            owner == "only" and not is_ownership
        )

    def company_filings(self, cik: int) -> tuple[SimCompany, list[SimFiling]] | None:
        """The company and its visible filings, newest filing date first; None when it
        has none, or only those of its recorded feed (which is then served as it is)."""
        mine = [filing for filing in self.visible() if cik in filing.ciks]
        if all(filing.historic for filing in mine) and cik in self.recordings.company_feeds:
            return None
        if not mine:
            return None
        company = next(c for c in mine[-1].companies if c.cik == cik)
        mine.sort(key=lambda filing: (filing.filing_date, filing.accepted_at), reverse=True)
        return company, mine

    def index_published(self, day: date) -> bool:
        publish = datetime.combine(day, datetime.min.time(), tzinfo=EASTERN) + timedelta(
            hours=self.index_publish_hour
        )
        return self.clock() >= publish.timestamp()

    def daily_index(self, flavor: str, day: date) -> bytes | None:
        """``flavor``'s index for ``day``: the recording if there is one, else built
        from the recorded rows or from the simulated filings of that day. None before
        it is published (``index_publish_hour`` ET) and for days without filings."""
        if not self.index_published(day):
            return None
        recorded = self.recordings.daily_indexes.get((flavor, day))
        if recorded is not None:
            return recorded.read()
        for (_, other_day), file in self.recordings.daily_indexes.items():
            if other_day == day:
                rows = read_index_rows(file.read().decode("latin-1"))
                return render_index(flavor, day, rows)
        todays = [
            filing for filing in self.visible() if filing.index_day == day and not filing.historic
        ]
        if not todays:
            return None
        return render_index(flavor, day, rows_for(todays))

    # --- requests ---------------------------------------------------------------------

    def record(self, path: str, status: int, client: str, *, query: str = "") -> None:
        record = RequestRecord(self.guard.clock(), path, status, client, query)
        self.requests.append(record)
        for callback in self.on_request:
            callback(record)

    def request_count(self, path_prefix: str = "/") -> int:
        return sum(1 for record in self.requests if record.path.startswith(path_prefix))
