"""Cleaning untrusted filing text into one safe line before any renderer sees it.

Filing text can hold control characters (CR, LF, NUL), bidirectional overrides
that reorder what a reader sees, and runs of whitespace. :func:`clean_line`
removes all of them and shortens the result, so that what reaches Slack, an
HTML part or an e-mail subject is a single printable line. Escaping for each
format happens later, in the renderer.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

ELLIPSIS: Final = "…"

_BIDI_AND_INVISIBLE: Final = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_WHITESPACE = re.compile(r"\s+")


def _printable(char: str) -> str:
    if char in _BIDI_AND_INVISIBLE:
        return ""
    category = unicodedata.category(char)
    if category in {"Cc", "Cs", "Co", "Cn"} or category.startswith("Z"):
        return " "
    if category == "Cf":
        return ""
    return char


def clean_line(text: str, limit: int | None = None) -> str:
    """``text`` as one printable line: no control or format characters, single
    spaces, at most ``limit`` characters (an ellipsis marks a cut)."""
    printable = "".join(_printable(char) for char in text)
    line = _WHITESPACE.sub(" ", printable).strip()
    if limit is not None:
        line = shorten(line, limit)
    return line


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when cut.

    Cuts at a word boundary when one is near the limit.
    """
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


_WORD = re.compile(r"\w+")


def word_tokens(text: str) -> tuple[str, ...]:
    """Case-folded word tokens: ``"huC242-DM4 in Gastric"`` -> ``("huc242", "dm4", "in",
    "gastric")``. Keywords and filing text are compared as token sequences."""
    return tuple(_WORD.findall(text.casefold()))


def slug(text: str, limit: int = 40) -> str:
    """A lower-case token of ``[a-z0-9-]`` for identifiers built from free text."""
    token = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return token[:limit].strip("-") or "x"
