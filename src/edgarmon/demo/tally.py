"""The demo's numbers, each with the parts it is made of, so that the summary can say
how they reconcile: what the simulator made visible, what the poller published, what
was classified, what reached Slack and e-mail, and what the sent ledger holds.

:func:`count` reads the topics back and the sinks' deliveries; :meth:`Tally.unreconciled`
names what does not add up (nothing, in a healthy run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from edgarmon.core.domain.messages import (
    AlertChannel,
    AlertSent,
    FilingClassified,
    FilingDiscovered,
)
from edgarmon.demo.pacing import findable
from edgarmon.demo.pipeline import DemoRun, accessions_in, is_digest


@dataclass(frozen=True, slots=True)
class RouteTally:
    """The sent ledger's records of one route: one per filing and destination."""

    route: str
    filings: int
    slack: int
    email: int
    digested: int
    """Records of filings sent in a digest (one per filing in it, per destination)."""

    @property
    def records(self) -> int:
        return self.slack + self.email + self.digested


@dataclass(frozen=True, slots=True)
class Tally:
    seconds: float
    # the simulator, until it closed: visible = early + arrived + featured
    visible: int
    early: int
    """Visible before the poller's first publish: the start-up backlog, found at once."""
    arrived: int
    featured: int
    """Featured filings made visible after the poller's first publish (all, normally)."""
    history: int
    """Filings of the recorded company feeds: EDGAR's past, always there, not counted."""
    # the poller: published = visible - unpublished + published_after_close
    published: int
    by_source: dict[str, int]
    duplicates: int
    unfindable: int
    """Visible letters of companies not on the watchlist: on no feed the poller reads."""
    missed: tuple[str, ...]
    """Visible, findable and not published before the services stopped."""
    published_after_close: int
    """Featured filings scheduled after EDGAR closed (only when the time ran out)."""
    # the classifier
    classified: int
    errored: int
    labels: dict[str, int]
    # the sinks and the ledger
    slack_alerts: int
    slack_digests: int
    digested_filings: int
    emails: int
    ledger: int
    routes: tuple[RouteTally, ...]
    dead_letters: int
    # latency, from visibility: only filings visible after the poller's first publish
    detection: tuple[float, ...]
    to_slack: tuple[float, ...]
    alerted_immediately: int

    @property
    def slack_messages(self) -> int:
        return self.slack_alerts + self.slack_digests

    def unreconciled(self) -> list[str]:
        """What does not add up; empty in a healthy run."""
        problems = []
        if self.missed:
            problems.append(f"visible, findable, never published: {', '.join(self.missed)}")
        if self.duplicates:
            problems.append(f"published more than once: {self.duplicates}")
        if self.classified != self.published:
            problems.append(f"classified {self.classified} of {self.published} published")
        checks = (
            ("Slack alerts", sum(r.slack for r in self.routes), self.slack_alerts),
            ("e-mails", sum(r.email for r in self.routes), self.emails),
            ("filings in digests", sum(r.digested for r in self.routes), self.digested_filings),
        )
        for name, recorded, received in checks:
            if recorded != received:
                problems.append(f"ledger records of {name}: {recorded}, received: {received}")
        return problems


def _routes(ledger: Iterable[AlertSent]) -> tuple[RouteTally, ...]:
    by_route: dict[str, list[AlertSent]] = {}
    for record in ledger:
        by_route.setdefault(record.route, []).append(record)
    return tuple(
        RouteTally(
            route=route,
            filings=len({r.accession_number for r in records}),
            slack=sum(1 for r in records if r.channel is AlertChannel.SLACK and not r.digest),
            email=sum(1 for r in records if r.channel is AlertChannel.EMAIL and not r.digest),
            digested=sum(1 for r in records if r.digest),
        )
        for route, records in sorted(by_route.items())
    )


def count(
    run: DemoRun,
    *,
    discovered: Sequence[FilingDiscovered],
    classified: Sequence[FilingClassified],
    ledger: Sequence[AlertSent],
    dead_letters: int,
) -> Tally:
    """The tally of a finished run, from its topics read back and its sinks."""
    when = run.sim.visibility()
    closed = run.edgar_closed_at or run.stopped_at
    visible = {accession: at for accession, at in when.items() if at <= closed}
    featured = {item.template.accession for item in run.featured}
    published = {m.filing.accession_number for m in discovered}
    unpublished = [run.sim.find(accession) for accession in visible.keys() - published]
    unfindable = [f for f in unpublished if f is not None and not findable(f, run.watchlist)]
    # Filings already visible when the poller came up measure start-up, not detection.
    poller_up = min((m.discovered_at.timestamp() for m in discovered), default=0.0)
    early = sum(1 for at in visible.values() if at < poller_up)
    featured_later = sum(1 for a in featured & visible.keys() if visible[a] >= poller_up)
    detection = tuple(
        m.discovered_at.timestamp() - when[m.filing.accession_number]
        for m in discovered
        if when.get(m.filing.accession_number, 0.0) >= poller_up
    )
    immediate: dict[str, float] = {}
    for received, post in run.deliveries.slack:
        if not is_digest(post):
            for accession in accessions_in(post):
                immediate.setdefault(accession, received)
    digests = [post for _, post in run.deliveries.slack if is_digest(post)]
    return Tally(
        seconds=run.stopped_at - run.started_at,
        visible=len(visible),
        early=early,
        arrived=len(visible) - early - featured_later,
        featured=featured_later,
        history=sum(1 for filing in run.sim.visible() if filing.historic),
        published=len(discovered),
        by_source=dict(sorted(Counter(str(m.source) for m in discovered).items())),
        duplicates=len(discovered) - len(published),
        unfindable=len(unfindable),
        missed=tuple(
            sorted(f.accession for f in unpublished if f is not None and f not in unfindable)
        ),
        published_after_close=len(published - visible.keys()),
        classified=len(classified),
        errored=sum(1 for m in classified if m.errors),
        labels=dict(sorted(Counter(str(lb.id) for m in classified for lb in m.labels).items())),
        slack_alerts=len(run.deliveries.slack) - len(digests),
        slack_digests=len(digests),
        digested_filings=sum(len(accessions_in(post)) for post in digests),
        emails=len(run.deliveries.mail),
        ledger=len(ledger),
        routes=_routes(ledger),
        dead_letters=dead_letters,
        detection=detection,
        to_slack=tuple(
            received - when[accession]
            for accession, received in immediate.items()
            if when.get(accession, 0.0) >= poller_up
        ),
        alerted_immediately=len(immediate),
    )
