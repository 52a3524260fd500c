"""Find the item headings of an 8-K document wherever they are in its text.

A heading need not start a line: in HTML whose paragraphs run together, in table
cells, or run in ("Item 8.01. On June 1, the Company..."), it follows other text.
So every mention of an item number is found first, and then judged by its
neighbours, the way a reader tells a heading from a cross-reference:

- a mention after a word that points at something ("in", "under", "this",
  "pursuant to", "see"...) is a cross-reference: "incorporated by reference into
  this Item 8.01", "the information in Items 2.03 and 8.01";
- a mention followed by the item's name, by a stop or dash and a new sentence,
  by an exhibit letter, or by nothing at all on its line is a heading;
- a mention followed by a lower-case word ("Item 1.01 above", "Item 8.01 of this
  report") is a cross-reference;
- "and Item 8.01" joins the previous mention on its line, and is what that one is.

Lists ("Items 2.03 and 8.01"), stops, colons and dashes after the number
(``Item 8.01.``, ``ITEM 8.01 -``, ``Item 8.01:``), non-breaking and zero-width spaces
and full-width digits are all read. Old 8-Ks (before August 2004) number items
1 to 12 ("Item 5. Other Events"); those numbers count only when the document has
no modern ones, and are mapped to today's.

Each mention is judged from a bounded view of its line (:data:`LOOKAHEAD` characters
after it, 80 before), and line ends are found from where the last search stopped, so
that a document of one very long line full of mentions is read in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from edgarmon.classifier.domain.word_lists import word_set
from edgarmon.core.domain.form8k import ITEM_NAMES, OLD_ITEM_NAMES, OLD_ITEM_NUMBERS

POINTING_WORDS: Final = word_set(
    "in into under to of by see this that these those such said pursuant per within from "
    "with required requires requiring above below herein hereunder hereof thereof the our "
    "its their each any all both except including include includes regarding respecting "
    "for on at as than other also referenced referred described disclosed reported "
    "contained incorporated set forth furnished filed provided listed"
)
"""Words after which an item number is a cross-reference, not a heading."""
CONTINUING_WORDS: Final = word_set(
    "of above below hereof herein hereto is are was were be been to and or in shall will "
    "would may has have had that which as on for by with under this also set is"
)
"""Lower-case words that carry a sentence on past a cross-reference."""
JOINING_WORDS: Final = word_set("and or &")
LOOKAHEAD: Final = 1000
"""Characters read after an item number (past any space): a heading's name and the
200-character heading text fit well within it."""

_SPACE = r"[\s\u200b\u2060\ufeff]*"
_STOP = r"[.\uff0e\u2024]"
_NUMBER = rf"(\d{{1,2}})(?:{_SPACE}{_STOP}{_SPACE}(\d{{2}}))?(?!\d)"
_MENTION = re.compile(rf"\bitems?{_SPACE}{_NUMBER}", re.IGNORECASE)
_LIST_TAIL = re.compile(
    rf"{_SPACE}(?:,|;|/|&|\band\b|\bor\b|,{_SPACE}and\b){_SPACE}(?:items?{_SPACE})?{_NUMBER}",
    re.IGNORECASE,
)
_PREVIOUS_WORD = re.compile(r"([A-Za-z&]+)[^A-Za-z&\n]*$")
_AFTER_PUNCTUATION = re.compile(r"[\s\u200b]*[.:;,\uff0e\uff1a\-\u2010-\u2015)]+[\s\u200b]*")
_FIRST_WORD = re.compile(r"[\"'\u201c\u2018(]*([A-Za-z][A-Za-z'\u2019]*)")
_WORDS = re.compile(r"[a-z0-9]+")
_NON_SPACE = re.compile(r"\S")


def _words(name: str) -> str:
    return " ".join(_WORDS.findall(name.lower()))


_TITLES: Final = tuple(
    sorted(
        {_words(name) for name in (*ITEM_NAMES.values(), *OLD_ITEM_NAMES)},
        key=len,
        reverse=True,
    )
)
_TITLES_BY_FIRST_WORD: Final[dict[str, tuple[str, ...]]] = {
    first: tuple(title for title in _TITLES if title.split(" ", 1)[0] == first)
    for first in {title.split(" ", 1)[0] for title in _TITLES}
}
"""The item names (as words), longest first, by their first word: only those can start
a text that starts with that word."""


@dataclass(frozen=True, slots=True)
class ItemHeading:
    """One item heading of a document: today's item number and the heading as written."""

    number: str
    text: str
    start: int
    """Where the heading starts in the text it was read from."""
    end: int
    """Where it ends: after the item's name, or after the number when no name follows."""
    old_number: bool = False
    """Numbered in the pre-2004 scheme ("Item 5."), mapped to today's number."""


class _Lines:
    """Where the lines around positions of one text start and end. Positions mostly move
    forward, so each search starts where the previous one stopped: a long line is
    scanned once, not once per mention on it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._asked_start = 0
        self._line_start = 0
        self._asked_end = 0
        self._line_end = -1

    def start(self, position: int) -> int:
        """Where the line holding ``position`` starts."""
        if position >= self._asked_start:
            found = self.text.rfind("\n", self._asked_start, position)
            if found >= 0:
                self._line_start = found + 1
        else:
            self._line_start = self.text.rfind("\n", 0, position) + 1
        self._asked_start = position
        return self._line_start

    def end(self, position: int) -> int:
        """Where the line holding ``position`` ends (its newline, or the end of the text)."""
        if not self._asked_end <= position <= self._line_end:
            found = self.text.find("\n", position)
            self._line_end = found if found >= 0 else len(self.text)
            self._asked_end = position
        return self._line_end

    def rest(self, position: int) -> str:
        """The rest of the line after ``position``: its leading space, then at most
        :data:`LOOKAHEAD` characters."""
        line_end = self.end(position)
        first = _NON_SPACE.search(self.text, position, line_end)
        return self.text[position : min(first.start() + LOOKAHEAD, line_end) if first else line_end]


def _blank_between(text: str, start: int, end: int) -> bool:
    """Whether only space stands in ``text[start:end]``, read back from ``end`` so that
    each run of space is read once, by the mention that follows it."""
    while end > start:
        begin = max(start, end - 256)
        if text[begin:end].strip():
            return False
        end = begin
    return True


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    numbers: tuple[tuple[str, str | None], ...]
    heading: bool


def _starts_with_title(after: str) -> int:
    """The length of an item name at the start of ``after`` (0 when there is none)."""
    head = after[:160]
    spoken = _words(head)
    for title in _TITLES_BY_FIRST_WORD.get(spoken.split(" ", 1)[0], ()):
        if spoken.startswith(title) and (len(spoken) == len(title) or spoken[len(title)] == " "):
            words = list(_WORDS.finditer(head.lower()))
            return words[len(title.split()) - 1].end()
    return 0


def _verdict_from_before(
    text: str, start: int, line_start: int, previous: _Mention | None
) -> bool | None:
    """What the words before a mention say: a cross-reference (False), the partner of a
    heading (True, "... Disclosure and Item 8.01"), or nothing (None)."""
    tail = text[max(line_start, start - 80) : start]
    if line_start > 0 and not tail.strip() and _blank_between(text, line_start, start):
        # At a line start: a line that breaks mid-sentence still points ("under\nItem 1.01").
        previous_line = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1].rstrip()
        if previous_line[-1:].isalpha():
            tail = previous_line[-80:]
    previous_word = _PREVIOUS_WORD.search(tail)
    if previous_word is None or tail[previous_word.end(1) :].strip():
        return None
    word = previous_word.group(1).lower()
    if word in JOINING_WORDS:
        return previous is not None and previous.heading and previous.start >= line_start
    return False if word in POINTING_WORDS else None


def _reads_as_heading(after: str) -> bool:
    """Whether the rest of the line after an item number reads as a heading's."""
    if not after.strip() or after.lstrip().startswith("("):
        return True
    punctuation = _AFTER_PUNCTUATION.match(after)
    rest = (after[punctuation.end() :] if punctuation else after).lstrip()
    if not rest or _starts_with_title(rest):
        return True
    first = _FIRST_WORD.match(rest)
    if first is None:
        return punctuation is not None
    if first.group(1)[0].isupper():
        return True
    return punctuation is not None and first.group(1).lower() not in CONTINUING_WORDS


def _is_heading(lines: _Lines, start: int, end: int, previous: _Mention | None) -> bool:
    verdict = _verdict_from_before(lines.text, start, lines.start(start), previous)
    if verdict is not None:
        return verdict
    return _reads_as_heading(lines.rest(end))


def _mentions(text: str) -> list[_Mention]:
    lines = _Lines(text)
    found: list[_Mention] = []
    position = 0
    while match := _MENTION.search(text, position):
        numbers: list[tuple[str, str | None]] = [(match.group(1), match.group(2))]
        end = match.end()
        while tail := _LIST_TAIL.match(text, end):
            numbers.append((tail.group(1), tail.group(2)))
            end = tail.end()
        previous = found[-1] if found else None
        found.append(
            _Mention(
                match.start(), end, tuple(numbers), _is_heading(lines, match.start(), end, previous)
            )
        )
        position = end
    return found


def _heading_span(lines: _Lines, mention: _Mention) -> tuple[str, int]:
    """The heading as written (its line, up to 200 characters, or up to the end of the
    item's name) and where the heading proper ends."""
    text = lines.text
    after = lines.rest(mention.end)
    punctuation = _AFTER_PUNCTUATION.match(after)
    offset = punctuation.end() if punctuation else 0
    title = _starts_with_title(after[offset:])
    end = mention.end + offset + title if title else mention.end
    cut = end if title else mention.end + min(len(after), 200)
    return " ".join(text[mention.start : cut].split())[:200], end


def item_headings(text: str) -> tuple[ItemHeading, ...]:
    """Every item heading of an 8-K document, first occurrence of each item, in order.

    Modern numbers ("8.01") win; old numbers ("Item 5.") count only when the
    document has no modern heading at all."""
    modern: dict[str, ItemHeading] = {}
    old: dict[str, ItemHeading] = {}
    lines = _Lines(text)
    for mention in _mentions(text):
        if not mention.heading:
            continue
        span: tuple[str, int] | None = None  # read only for a mention that adds an item
        for major, minor in mention.numbers:
            if minor is not None:
                number = f"{int(major)}.{int(minor):02d}"
                if number in ITEM_NAMES and number not in modern:
                    heading_text, end = span = span or _heading_span(lines, mention)
                    modern[number] = ItemHeading(number, heading_text, mention.start, end)
            elif (mapped := OLD_ITEM_NUMBERS.get(str(int(major)))) and mapped not in old:
                heading_text, end = span = span or _heading_span(lines, mention)
                old[mapped] = ItemHeading(mapped, heading_text, mention.start, end, old_number=True)
    return tuple((modern or old).values())
