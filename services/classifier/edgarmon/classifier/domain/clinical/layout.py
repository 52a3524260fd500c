"""How a document is laid out, and which of its parts a reader reads first.

A reader of a press release reads the headline and the lead; a reader of a
meeting abstract reads its title and its results; a reader of a slide deck, a
letter or an e-mail reads it from the top. So each unit to assess (a press
release, an exhibit, an 8-K item section) gets a :class:`Layout` and is cut into
zones: the *headline*, the *lead* and the *body*, sized for its layout.

Boilerplate is left out: contact and logo lines, and everything from "About
<Company>" or the forward-looking statements on (in a slide deck, the disclaimer
lines only, since a deck's disclaimer slide comes first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

_I = re.IGNORECASE


class Layout(StrEnum):
    RELEASE = "release"
    """A press release: a headline, a dateline, a lead."""
    SCIENTIFIC = "scientific"
    """A meeting abstract or poster: title, then Background / Methods / Results..."""
    SLIDES = "slides"
    """Text of a slide deck: many short fragments."""
    LETTER = "letter"
    """A letter ("Dear Shareholders", an agency's e-mail)."""
    SECTION = "section"
    """An item section of an 8-K's own text."""
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ZoneSizes:
    headline: int
    lead: int
    body: int


ZONE_SIZES: Final = {
    Layout.RELEASE: ZoneSizes(450, 900, 3000),
    Layout.SECTION: ZoneSizes(300, 900, 3000),
    Layout.SCIENTIFIC: ZoneSizes(300, 2500, 4000),
    Layout.SLIDES: ZoneSizes(300, 2500, 6000),
    Layout.LETTER: ZoneSizes(300, 1500, 3000),
    Layout.OTHER: ZoneSizes(300, 1200, 3000),
}
"""Characters per zone: what a reader of each layout takes in before deciding."""
NEWS_CHARS: Final = 12_000

BOILERPLATE_LINE: Final = re.compile(
    r"^\W*(?:ex(?:hibit|h)?\.?[- ]?99(?:[.\-]\d+)?\b.{0,60}|for immediate release\W*|"
    r"(?:press|news) release\W*|contacts?\s*:?.{0,80}|investors?(?: relations)?\s*:?.{0,60}|"
    r"media(?: relations| contacts?)?\s*:?.{0,60}|attached files.*|source\s*:.*|"
    r"date \d{4}-\d{2}-\d{2}|"
    r"\[?[\w .&]{0,40}logo\]?|\W*|.*@\S+\.\w{2,}.*|.*\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}.{0,30}|"
    r"(?:www\.|https?://)\S+.*|ext\.? \d+.*)$",
    _I,
)
"""Lines of a release that are not its news: exhibit labels, contacts, logos, phones."""
_PHONE_ALTERNATIVE: Final = r".*\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}.{0,30}|"
_BOILERPLATE_BUT_PHONE: Final = re.compile(
    BOILERPLATE_LINE.pattern.replace(_PHONE_ALTERNATIVE, "", 1), _I
)
_PHONE_LINE: Final = re.compile(rf"^\W*(?:{_PHONE_ALTERNATIVE[:-1]})$", _I)
_PHONE: Final = re.compile(r"\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}")
"""A phone number, which a phone line holds: only then is the line tried as one (its
``.*`` backtracks over the whole line, most of the time :data:`BOILERPLATE_LINE` took)."""
_PHONE_TAIL: Final = 30 + 13
"""Where a phone line's number starts, at the earliest, before the line's end: it ends
at most 30 characters before it, and is at most 13 long (without its "(")."""


def is_boilerplate(line: str) -> bool:
    """Whether :data:`BOILERPLATE_LINE` matches ``line`` (its alternatives, the phone
    line tried only on a line with a phone number)."""
    if _BOILERPLATE_BUT_PHONE.match(line):
        return True
    phone = _PHONE.search(line, max(0, len(line) - _PHONE_TAIL))
    return phone is not None and _PHONE_LINE.match(line) is not None


RELEASE_MARKER: Final = re.compile(
    r"^\W*(?:ex(?:hibit|h)?\.?[- ]?99(?:[.\-]\d+)?\W*$|for immediate release\b|"
    r"(?:press|news) release\W*$)",
    _I,
)
"""Where a press release starts inside an 8-K primary document."""

DATELINE: Final = re.compile(
    r"(?:\((?:GLOBE ?NEWSWIRE|BUSINESS ?WIRE|Marketwired|ACCESSWIRE|CNW|PRNewswire)\)|"
    r"/\s*PRNewswire(?:-FirstCall)?\s*/|/CNW/|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"\s*\)?\s*(?:--|\u2014|\u2013|-|/|:))",
)

END_OF_NEWS: Final = re.compile(
    r"^\W*(?:about [A-Z][\w.,&'\u2019 \-]{1,60}|forward[- ]looking statements?.{0,40}|"
    r"safe harbor.{0,40}|cautionary (?:note|statement).{0,60}|###)\W*$",
    _I,
)
"""The start of boilerplate after the news: "About <Company>", forward-looking statements."""

DISCLAIMER_LINE: Final = re.compile(
    r"forward[- ]looking|safe harbor|securities litigation reform|risks and uncertainties|"
    r"not an offer|no representation|undue reliance",
    _I,
)
_SCIENTIFIC_SECTION = re.compile(
    r"(?im)^\W*(background|introduction|objectives?|aims?|purpose|methods?|design|results|"
    r"findings|conclusions?|discussion)\b\s*[:.\-\u2013\u2014]?"
)
_SALUTATION = re.compile(r"(?im)^\W*(?:dear\b|hello\b|to our (?:share|stock)holders)|^\W*from:")
_LETTER_HEADER_LINE = re.compile(
    r"^\W*(?:(?:from|sent|to|cc|bcc|date|subject|re|attention|attn)\s*:.*|"
    r"(?:dear|hello|hi|to)\b[^.]{0,80}[,:]?)\s*$",
    _I,
)
_LETTER_OPENING_SENTENCES: Final = 2
_CITY = re.compile(r"^[A-Z][A-Za-z.' \-]+(?:,\s*[A-Za-z.' ]+){0,2}\s*[,\-\u2013\u2014]?$")
SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bInc\.)(?<!\bCorp\.)(?<!\bNo\.)(?<!\bMr\.)(?<!\bMs\.)"
    r"(?<!\bDr\.)(?<!\bSt\.)(?<!\bvs\.)[\"\u201d]?\s+(?=[A-Z\"\u201c(])|\n"
)
"""A sentence's end. The look-behind that needs a stop comes first, so that at most
positions (no stop before them) one test fails, not nine."""
_SHORT_LINE: Final = 45
_CONTACT = re.compile(
    r"\b(?:ext\.?\s*\d+|inquiries|contacts?|relations|communications|e-?mail)\b|@|"
    r"\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}",
    _I,
)
_TITLE_WORDS: Final = 4
_TITLED: Final = frozenset({Layout.SCIENTIFIC, Layout.OTHER})
_SLIDE_NUMBER = re.compile(r"(?m)^\s*\d{1,3}\s*$")
"""Layouts whose first lines are a title (of an abstract, a poster, a deck, a filing)."""
_AUTHORS = re.compile(
    r"\b(?:M\.?D\.?|Ph\.?D\.?|MBBS|Pharm\.?D|M\.?Sc|MPH|FRCP)\b|"
    r"[A-Za-z]\s?\(?\d\)?\s?[,;]\s?[A-Z]|\b[A-Z]\.\s?[A-Z][a-z]+\s?\d?,"
)


@dataclass(frozen=True, slots=True)
class Zones:
    layout: Layout
    headline: str
    lead: str
    body: str
    news: str

    def front(self) -> str:
        return self.headline + "\n" + self.lead


def detect_layout(text: str) -> Layout:
    """The layout of a unit's text, from its first few thousand characters."""
    head = text[:6000]
    dateline = DATELINE.search(head[:1500])
    if dateline and dateline.start() > 15:
        return Layout.RELEASE
    if len({m.group(1).lower().rstrip("s") for m in _SCIENTIFIC_SECTION.finditer(head)}) >= 2:
        return Layout.SCIENTIFIC
    if _SALUTATION.search(head[:800]):
        return Layout.LETTER
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) >= 20 and sum(len(line) < _SHORT_LINE for line in lines) >= 0.6 * len(lines):
        return Layout.SLIDES
    return Layout.OTHER


def news_lines(text: str, layout: Layout, limit: int = NEWS_CHARS) -> list[str]:
    """The unit's own lines: boilerplate lines dropped; cut at "About ..." or the
    forward-looking statements (after the first few lines), or in a slide deck,
    disclaimer lines dropped. Lines stop once, joined, they reach ``limit`` characters:
    what follows is not read (a long filing's lines are not all matched)."""
    kept: list[str] = []
    joined = -1  # len("\n".join(kept))
    for line in text.splitlines():
        if joined >= limit:
            break
        if layout is Layout.SLIDES:
            if not DISCLAIMER_LINE.search(line) and not is_boilerplate(line):
                kept.append(line)
                joined += len(line) + 1
            continue
        if len(kept) >= 3 and END_OF_NEWS.match(line):
            break
        if not is_boilerplate(line):
            kept.append(line)
            joined += len(line) + 1
    return kept


def split_zones(text: str, layout: Layout | None = None) -> Zones:
    """The unit's zones, sized for its layout (detected when not given)."""
    layout = layout or detect_layout(text)
    sizes = ZONE_SIZES[layout]
    news = "\n".join(news_lines(text, layout))[:NEWS_CHARS]
    dateline = DATELINE.search(news[:1500]) if layout is Layout.RELEASE else None
    if dateline and dateline.start() > 15:
        head_end = dateline.start()
        headline = _headline_lines(_without_dateline_city(news[max(0, head_end - 500) : head_end]))
    elif layout is Layout.LETTER:
        news = "\n".join(line for line in news.split("\n") if not _LETTER_HEADER_LINE.match(line))
        opening = SENTENCE_END.split(news, _LETTER_OPENING_SENTENCES)
        head_end = min(
            len(news) - len(opening[-1]) if len(opening) > _LETTER_OPENING_SENTENCES else len(news),
            sizes.headline,
        )
        headline = news[:head_end]
    elif layout is Layout.SLIDES:
        head_end = _first_slide_end(news, sizes.headline)
        headline = news[:head_end]
    elif layout in _TITLED:
        news = _from_title(news)
        head_end = _title_end(news, sizes.headline)
        headline = news[:head_end]
    else:
        first_line = news.split("\n", 1)[0]
        first_sentence = SENTENCE_END.split(first_line, 1)[0]
        head_end = len(first_line) if len(first_line) <= sizes.headline else len(first_sentence)
        head_end = min(head_end, sizes.headline)
        headline = news[:head_end]
    lead = news[head_end : head_end + sizes.lead]
    body = news[head_end + sizes.lead : head_end + sizes.lead + sizes.body]
    return Zones(layout, headline, lead, body, news)


def _first_slide_end(news: str, limit: int) -> int:
    """Where a deck's title slide ends: at its first slide number (a line that is only a
    number), or at ``limit``."""
    number = _SLIDE_NUMBER.search(news, 0, limit)
    return number.start() if number else min(limit, len(news))


def _is_title_line(line: str) -> bool:
    return len(line.split()) >= _TITLE_WORDS and not _AUTHORS.search(line)


def _from_title(news: str) -> str:
    """``news`` from its title on: an abstract number, a poster id or a company name on a
    line of its own before the title is not the title."""
    lines = news.split("\n")
    start = next((i for i, line in enumerate(lines[:8]) if _is_title_line(line)), 0)
    return "\n".join(lines[start:])


def _title_end(news: str, limit: int) -> int:
    """Where a title that may run over several lines ends: before the authors, a line
    of fewer than two words (a date, a slide number), or a full sentence's end."""
    end = 0
    for line in news.split("\n"):
        if end and (len(line.split()) < 2 or _AUTHORS.search(line) or end + len(line) > limit):
            break
        end += len(line) + 1
        if line.rstrip().endswith((".", "!", "?")):
            break
    return min(end, limit, len(news))


def _headline_lines(before_dateline: str) -> str:
    """The headline: the lines just before the dateline, back to the first contact or
    label line (a name, "ext. 16 (investor inquiries)", "Exhibit 99.1")."""
    lines = before_dateline.split("\n")
    kept: list[str] = []
    for line in reversed(lines):
        if kept and (len(line.split()) < _TITLE_WORDS or _CONTACT.search(line)):
            break
        kept.insert(0, line)
    return "\n".join(kept)


def _without_dateline_city(headline: str) -> str:
    """Drop a trailing "CAMBRIDGE, MA," line: the dateline's city, not the headline."""
    lines = headline.rstrip().split("\n")
    if len(lines) > 1 and len(lines[-1]) < 60 and _CITY.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` with four words or more, one space between words."""
    return [" ".join(s.split()) for s in SENTENCE_END.split(text) if len(s.split()) >= 4]
