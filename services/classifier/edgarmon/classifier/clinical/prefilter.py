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
    return literals is None or any(literal in lowered for literal in literals)
