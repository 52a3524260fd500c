"""Splitting EDGAR's entry titles, in time linear in the title.

The latest-filings feed titles its entries ``FORM - NAME (CIK10) (Role)``, where names
may hold `` - `` and parentheses; company feeds title theirs ``8-K  - Current report``,
``S-1/A [Amend]  - ...`` or ``CORRESP [Cover] - Correspondence``. Both used to be
split by backtracking regular expressions (kept in the tests as the reference), which
take quadratic time on a long title of repeated `` - `` or `` [``: a hostile title of
64 KB held the parser for seconds. These functions give the same parts by scanning.

Titles are taken after :func:`~edgarmon.poller.domain.feed_entries.clean_text`: single spaces,
no other whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_DIGITS: Final = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class LatestTitle:
    """The parts of ``FORM - NAME (CIK) (Role)``, unchecked."""

    form: str
    name: str
    cik: str
    role: str


def split_latest_title(title: str) -> LatestTitle | None:
    """The parts of a latest-feed entry title, or None when it is not laid out so.

    The same parts as ``^(?P<form>.+?) - (?P<name>.*) \\((?P<cik>[0-9]+)\\)
    \\((?P<role>[^()]+)\\)$``: the role is what the last parentheses hold, the CIK the
    digits in the parentheses before, the form what precedes the first `` - ``, and the
    name what lies between."""
    if "\n" in title or not title.endswith(")"):
        return None
    role_open = title.rfind("(")
    role = title[role_open + 1 : -1]
    if role_open < 0 or not role or ")" in role:
        return None
    cik_close = role_open - 2  # ") (" before the role
    if cik_close < 0 or title[cik_close:role_open] != ") ":
        return None
    cik_open = title.rfind("(", 0, cik_close)
    cik = title[cik_open + 1 : cik_close]
    if cik_open < 1 or title[cik_open - 1] != " " or _DIGITS.fullmatch(cik) is None:
        return None
    name_end = cik_open - 1
    form_end = title.find(" - ", 1)
    if form_end < 0 or form_end + 3 > name_end:
        return None
    return LatestTitle(
        form=title[:form_end], name=title[form_end + 3 : name_end], cik=cik, role=role
    )


def company_title_form(title: str) -> str | None:
    """The form type that starts a company-feed entry title, or None.

    The same as ``^(?P<form>.+?)(?:\\s+\\[[^\\]]*\\])?\\s+-\\s`` on ``title + " "``: what
    precedes the first `` - ``, or the first `` [...] - `` that comes before it."""
    text = f"{title} "
    dash = text.find(" - ", 1)
    bracket = text.find(" [", 1)
    close = -1
    while bracket > 0 and (dash < 0 or bracket < dash):
        if close < bracket + 2:
            close = text.find("]", bracket + 2)
            if close < 0:
                break
        if text.startswith(" - ", close + 1):
            return text[:bracket]
        bracket = text.find(" [", bracket + 1)
    return text[:dash] if dash > 0 else None
