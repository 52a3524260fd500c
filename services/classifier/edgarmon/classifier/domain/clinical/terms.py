"""Vocabulary as named terms, grouped into signals.

A *term* is one way of saying something ("topline", "first patient dosed"); a
*signal* is what the terms say (``trial_results``, ``financing``). Terms have
stable names (``trial_results.topline``) so that the evaluation can count where
each one fires and switch off, for a held-out company, every term that no other
company's documents use: a term written for one document must not vouch for
that document in cross-validation.

A term may require a neighbour (``near``: a pattern within ``window`` characters
on either side) or be vetoed by one (``veto``: "jury" before "trial"), so that a
word is counted only in the sense the signal means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from edgarmon.classifier.domain.clinical.prefilter import match_starts, may_match


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    pattern: str
    """A regular expression, matched case-insensitively unless ``case`` is set."""
    case: bool = False
    near: str | None = None
    veto: str | None = None
    window: int = 80
    note: str = ""
    """Why the term is there when few documents here use it: the class it serves."""

    def first(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """The first match in ``text`` that has the neighbours the term asks for.
        ``lowered`` (``text.lower()``, when the caller has it) lets a term that cannot
        match skip the search."""
        if lowered is None:
            matches = _compiled(self.pattern, self.case).finditer(text)
        elif not may_match(self.pattern, lowered):
            return None
        elif (starts := match_starts(self.pattern, text, lowered)) is None:
            matches = _compiled(self.pattern, self.case).finditer(text)
        else:
            matches = _matches_at(_compiled(self.pattern, self.case), text, starts)
        for match in matches:
            if self.accepts(text, match.start(), match.end()):
                return match
        return None

    def accepts(self, text: str, start: int, end: int) -> bool:
        """Whether a match at ``text[start:end]`` has the neighbours the term asks for."""
        if self.near is None and self.veto is None:
            return True
        around = text[max(0, start - self.window) : end + self.window]
        if self.veto is not None and _compiled(self.veto).search(around):
            return False
        return self.near is None or _compiled(self.near).search(around) is not None


@dataclass(frozen=True, slots=True)
class Signal:
    """What a group of terms says, with the terms that say it."""

    name: str
    terms: tuple[Term, ...]
    note: str = ""

    def found(
        self, text: str, disabled: frozenset[str] = frozenset(), lowered: str | None = None
    ) -> frozenset[str]:
        """The names of the terms that occur in ``text``; ``disabled`` terms never do.
        ``lowered`` is ``text.lower()`` when the caller already has it."""
        if not text:
            return frozenset()
        lowered = text.lower() if lowered is None else lowered
        return frozenset(
            term.name
            for term in self.terms
            if term.name not in disabled and term.first(text, lowered) is not None
        )


def occurs(signal: Signal, text: str, disabled: frozenset[str] = frozenset()) -> bool:
    """Whether ``signal.found(text, disabled)`` finds any term, without finding them all."""
    lowered = text.lower()
    return any(
        term.name not in disabled and term.first(text, lowered) is not None for term in signal.terms
    )


def _matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` gives, when every match starts at one of
    ``starts`` (ascending): tried there only, not at every position of ``text``. A match
    at a position sees the text before it (``\\b``, look-behind) as a search does, and
    is never empty (it starts with a literal), so the next one is looked for after it."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            yield match
            end = match.end()


@lru_cache(maxsize=1024)
def _compiled(pattern: str, case: bool = False) -> re.Pattern[str]:
    """A term's pattern, compiled (by its text: a string's hash is kept, a term's is not)."""
    return re.compile(pattern, 0 if case else re.IGNORECASE)
