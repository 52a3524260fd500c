"""Which words a regular expression cannot match without: a cheap test before the search.

Python's ``re`` tries an alternation at every position of a text, so a vocabulary of
a hundred and more terms over every zone of every unit costs most of the
classifier's time. Most terms cannot match most zones at all: "complete response
letter" needs the letters "complete response letter". :func:`required_literals`
reads a pattern's parse tree and returns strings at least one of which every
match contains (lower-cased, so the test is sound for case-sensitive terms too);
a substring test on the lower-cased zone then skips the search. When the pattern
guarantees nothing (or the parse tree is not what this reads), it returns
``None`` and the search always runs.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from types import ModuleType
from typing import Any, Final


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:  # another Python: no prefilter, every search runs
        return None


parser = _module("re._parser")
constants = _module("re._constants")

SHORTEST: Final = 3
"""Literals shorter than this are too common to be worth a test."""


def _best(candidates: list[frozenset[str]]) -> frozenset[str]:
    return max(candidates, key=lambda options: (min(map(len, options)), -len(options)))


def _required(items: Any, ops: ModuleType) -> frozenset[str] | None:
    """Strings one of which every match of the parsed ``items`` contains."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= SHORTEST:
            candidates.append(frozenset({"".join(run)}))
        run.clear()

    for op, value in items:
        if op is ops.LITERAL:
            run.append(chr(value).lower())
            continue
        flush()
        found: frozenset[str] | None = None
        if op is ops.SUBPATTERN:
            found = _required(value[3], ops)
        elif op is ops.BRANCH:
            options = [_required(branch, ops) for branch in value[1]]
            if all(option is not None for option in options):
                found = frozenset().union(*(o for o in options if o is not None))
        elif op in (ops.MAX_REPEAT, ops.MIN_REPEAT) and value[0] >= 1:
            found = _required(value[2], ops)
        if found:
            candidates.append(found)
    flush()
    return _best(candidates) if candidates else None


@cache
def required_literals(pattern: str) -> frozenset[str] | None:
    """Lower-cased strings one of which every match of ``pattern`` contains, or ``None``."""
    if parser is None or constants is None:
        return None
    try:
        return _required(parser.parse(pattern, re.IGNORECASE), constants)
    except re.error:
        return None


def may_match(pattern: str, lowered: str) -> bool:
    """False only when ``pattern`` certainly cannot match the text ``lowered`` came from."""
    literals = required_literals(pattern)
    return literals is None or any(map(lowered.__contains__, literals))


def _extra_cases() -> frozenset[str]:
    """Characters ``re.IGNORECASE`` takes for an ASCII letter though ``str.lower`` does
    not make them one (U+0131 dotless i for "i", U+017F long s for "s")."""
    casefix = _module("re._casefix")
    extra: dict[int, tuple[int, ...]] = getattr(casefix, "_EXTRA_CASES", {})
    return frozenset(chr(code) for key, codes in extra.items() if key < 128 for code in codes)


_CASE_TRAPS: Final = _extra_cases()
_KNOWN_CASES: Final = _module("re._casefix") is not None


def _starts_of(op: Any, value: Any, rest: Any, ops: ModuleType) -> frozenset[str] | None:
    """Strings one of which every match of the group ``op`` starts, ``rest`` after it."""
    if op is ops.SUBPATTERN:
        return _starts(value[3], ops)
    if op is ops.BRANCH:
        options = [_starts(branch, ops) for branch in value[1]]
        if any(option is None for option in options):
            return None
        return frozenset().union(*(o for o in options if o is not None))
    if op in (ops.MAX_REPEAT, ops.MIN_REPEAT):
        first = _starts(value[2], ops)
        if value[0] >= 1 or first is None:
            return first
        after = _starts(rest, ops)  # an optional start: it, or what follows it
        return None if after is None else first | after
    return None


def _starts(items: Any, ops: ModuleType) -> frozenset[str] | None:
    """Strings one of which every match of the parsed ``items`` starts with."""
    run: list[str] = []
    for index, (op, value) in enumerate(items):
        if op is ops.LITERAL and chr(value).isascii():
            run.append(chr(value).lower())
            continue
        if run:
            break
        if op not in (ops.AT, ops.ASSERT, ops.ASSERT_NOT):  # zero width: the match starts after
            return _starts_of(op, value, items[index + 1 :], ops)
    return frozenset({"".join(run)}) if run else None


@cache
def start_literals(pattern: str) -> frozenset[str] | None:
    """Lower-cased ASCII strings one of which every match of ``pattern`` starts with, or
    ``None`` (then, or when one is shorter than :data:`SHORTEST`, a search must scan)."""
    if parser is None or constants is None or not _KNOWN_CASES:
        return None
    try:
        starts = _starts(parser.parse(pattern, re.IGNORECASE), constants)
    except re.error:
        return None
    return starts if starts and min(map(len, starts)) >= SHORTEST else None


def match_starts(pattern: str, text: str, lowered: str) -> list[int] | None:
    """Every position of ``text`` where a match of ``pattern`` may start, in order, or
    ``None`` when that is not known. ``lowered`` is ``text.lower()``; its positions are
    ``text``'s unless lowering changed its length ("İ"), and a letter of ``text`` is one
    of the pattern's (case aside) exactly when it is in ``lowered``, unless ``text``
    holds one of the few letters ``re`` folds onto an ASCII one that ``lower`` does not."""
    starts = start_literals(pattern)
    if starts is None or len(lowered) != len(text) or any(c in text for c in _CASE_TRAPS):
        return None
    found: set[int] = set()
    for literal in starts:
        at = lowered.find(literal)
        while at >= 0:
            found.add(at)
            at = lowered.find(literal, at + 1)
    return sorted(found)
