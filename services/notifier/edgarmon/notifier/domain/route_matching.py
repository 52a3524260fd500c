"""Matching classified filings against routes, through an index.

Each route is filed in the index under exactly one of its conditions, the one
most likely to be selective, in this order: CIKs, keywords (under the first word
of each phrase), 8-K items, forms, labels. A route that matches a filing must
satisfy that condition, so it is among the routes the filing's own CIKs, words,
items, form and labels look up. Only those candidates are checked in full; a
filing never walks the whole route list. Routes whose only condition is the
amendment policy are checked for every filing (there is nothing to index).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from edgarmon.core.domain.messages import (
    ClinicalUpdateLabel,
    DiscoverySource,
    FilingClassified,
    LabelId,
)
from edgarmon.notifier.domain.plain_text import word_tokens
from edgarmon.notifier.domain.routes import Route
from edgarmon.notifier.domain.routes_file import AmendmentPolicy, BackfillPolicy

_PIECE_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class FilingFacts:
    """What routes match on, read once from a classified filing."""

    labels: frozenset[LabelId]
    form: str
    is_amendment: bool
    items: frozenset[str]
    ciks: frozenset[int]
    words: frozenset[str]
    text: str
    """Word tokens of every searchable piece, space-padded, pieces kept apart by ``|``."""
    backfilled: bool = False
    """Published by `edgarmon backfill` for a past day: only routes that opt in alert."""

    @classmethod
    def of(cls, classified: FilingClassified) -> FilingFacts:
        filing = classified.filing
        pieces = [word_tokens(piece) for piece in searchable_pieces(classified)]
        text = " " + _PIECE_SEPARATOR.join(" ".join(tokens) for tokens in pieces if tokens) + " "
        return cls(
            labels=frozenset(label.id for label in classified.labels),
            form=filing.base_form_type.strip().upper(),
            is_amendment=filing.is_amendment,
            items=frozenset(classified.items) | frozenset(filing.items),
            ciks=filing.ciks,
            words=frozenset(token for tokens in pieces for token in tokens),
            text=text,
            backfilled=classified.discovered_by == DiscoverySource.BACKFILL,
        )


def searchable_pieces(classified: FilingClassified) -> Iterable[str]:
    """The text keywords are looked for in: evidence and details of the labels,
    company names and document descriptions."""
    filing = classified.filing
    for company in filing.companies:
        yield company.name
    for document in filing.documents:
        if document.description:
            yield document.description
    for label in classified.labels:
        for evidence in label.evidence:
            yield evidence.text
        if isinstance(label, ClinicalUpdateLabel):
            details = label.details
            yield from details.decisive_sentences
            yield from details.drugs
            yield from details.indications
            yield from details.trial_ids
            if details.meeting:
                yield details.meeting


def route_matches(route: Route, facts: FilingFacts) -> bool:
    """Whether every condition ``route`` states holds for ``facts``."""
    if route.amendments is AmendmentPolicy.EXCLUDE:
        amendment_ok = not facts.is_amendment
    elif route.amendments is AmendmentPolicy.ONLY:
        amendment_ok = facts.is_amendment
    else:
        amendment_ok = True
    if facts.backfilled and route.backfill is not BackfillPolicy.ALERT:
        return False
    return (
        amendment_ok
        and (not route.labels or not route.labels.isdisjoint(facts.labels))
        and (not route.forms or facts.form in route.forms)
        and (not route.items or not route.items.isdisjoint(facts.items))
        and (not route.ciks or not route.ciks.isdisjoint(facts.ciks))
        and (
            not route.keywords
            or any(f" {' '.join(phrase)} " in facts.text for phrase in route.keywords)
        )
    )


class RouteIndex:
    """Routes, indexed for matching. Immutable once built."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self._routes = tuple(routes)
        self._by_cik: dict[int, list[int]] = defaultdict(list)
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._by_item: dict[str, list[int]] = defaultdict(list)
        self._by_form: dict[str, list[int]] = defaultdict(list)
        self._by_label: dict[LabelId, list[int]] = defaultdict(list)
        self._unindexed: list[int] = []
        for position, route in enumerate(self._routes):
            self._file(position, route)

    def _file(self, position: int, route: Route) -> None:
        if route.ciks:
            for cik in route.ciks:
                self._by_cik[cik].append(position)
        elif route.keywords:
            for head in {phrase[0] for phrase in route.keywords}:
                self._by_word[head].append(position)
        elif route.items:
            for item in route.items:
                self._by_item[item].append(position)
        elif route.forms:
            for form in route.forms:
                self._by_form[form].append(position)
        elif route.labels:
            for label in route.labels:
                self._by_label[label].append(position)
        else:
            self._unindexed.append(position)

    @property
    def routes(self) -> tuple[Route, ...]:
        return self._routes

    def __len__(self) -> int:
        return len(self._routes)

    def candidates(self, facts: FilingFacts) -> list[int]:
        """Positions of the routes that may match, in file order."""
        found: set[int] = set(self._unindexed)
        for cik in facts.ciks:
            found.update(self._by_cik.get(cik, ()))
        by_word = self._by_word
        if by_word:
            for word in facts.words:
                found.update(by_word.get(word, ()))
        for item in facts.items:
            found.update(self._by_item.get(item, ()))
        found.update(self._by_form.get(facts.form, ()))
        for label in facts.labels:
            found.update(self._by_label.get(label, ()))
        return sorted(found)

    def match_facts(self, facts: FilingFacts) -> tuple[Route, ...]:
        routes = self._routes
        return tuple(
            routes[position]
            for position in self.candidates(facts)
            if route_matches(routes[position], facts)
        )

    def match(self, classified: FilingClassified) -> tuple[Route, ...]:
        """The routes ``classified`` matches, in file order."""
        return self.match_facts(FilingFacts.of(classified))
