"""8-K items: read them from each source, and reconcile the sources.

Sources (:class:`~edgarmon.core.messages.ItemSource`):

- ``given``: stated by the caller (``--items``);
- ``event``: the feed summary, carried on the discovered filing;
- ``sgml_header``: ``ITEM INFORMATION`` lines give names only, and before August
  2004 the old wording ("Other events" was old Item 5, today's 8.01); 1994 files
  give bare old numbers ("7", "2; 7"); the ``.nc`` format gives numbers;
- ``document``: the document's own item headings ("ITEM 8.01 OTHER EVENTS", or
  "Item 5. Other Events" in old filings).

The first source that states any item decides, in the order above; the others
are kept as readings so that a disagreement is visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from edgarmon.classifier.word_lists import word_set
from edgarmon.core.form8k import ITEM_NAMES
from edgarmon.core.messages import ItemReading, ItemSource

OLD_ITEM_NUMBERS: Final = {
    "1": "5.01",  # Changes in Control of Registrant
    "2": "2.01",  # Acquisition or Disposition of Assets
    "3": "1.03",  # Bankruptcy or Receivership
    "4": "4.01",  # Changes in Registrant's Certifying Accountant
    "5": "8.01",  # Other Events
    "6": "5.02",  # Resignations of Registrant's Directors
    "7": "9.01",  # Financial Statements and Exhibits
    "8": "5.03",  # Change in Fiscal Year
    "9": "7.01",  # Regulation FD Disclosure
    "10": "5.05",  # Amendments to the Registrant's Code of Ethics
    "11": "5.04",  # Temporary Suspension of Trading Under Employee Benefit Plans
    "12": "2.02",  # Results of Operations and Financial Condition
}
"""Items of the 8-K before 23 August 2004, and the item that replaced each."""

OLD_ITEM_NAMES: Final = {
    "Acquisition or Disposition of Assets": "2.01",
    "Resignations of Registrant's Directors": "5.02",
    "Change in Fiscal Year": "5.03",
    "Other Events": "8.01",
    "Other Events and Regulation FD Disclosure": "8.01",
    "Financial Statements, Pro Forma Financial Information and Exhibits": "9.01",
    "Amendments to the Registrant's Code of Ethics": "5.05",
}

_REFERENCE_WORDS: Final = word_set(
    "of above below is are was were herein hereof hereto to and in under by this that which "
    "shall will has have including as with for from on or the a an"
)
_HEADING = re.compile(
    r"^\W{0,3}items?\s*(\d{1,2})(?:\.(\d{2}))?(?![\d.]\d)\s*[.:\-\u2013\u2014]?\s*(.*)$",
    re.IGNORECASE,
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("registrant's", "registrants"))


_BY_NAME: Final = {_key(name): number for number, name in ITEM_NAMES.items()} | {
    _key(name): number for name, number in OLD_ITEM_NAMES.items()
}


def item_from_name(name: str) -> str | None:
    """The item number for an ``ITEM INFORMATION`` name, modern or old wording."""
    key = _key(name)
    if not key:
        return None
    if key in _BY_NAME:
        return _BY_NAME[key]
    matches = {
        number
        for known, number in _BY_NAME.items()
        if len(key) >= 12 and (known.startswith(key) or key.startswith(known))
    }
    return matches.pop() if len(matches) == 1 else None


def items_from_header_values(values: Iterable[str]) -> tuple[str, ...]:
    """Item numbers from header values: names, old names, bare old numbers ("2; 7"),
    or modern numbers ("8.01"). Blank and unknown values are skipped."""
    found: list[str] = []
    for value in values:
        if re.fullmatch(r"[\d\s.;,]+", value.strip()):
            numbers = [_number(part.strip()) for part in re.split(r"[;,\s]+", value.strip())]
        else:
            whole = item_from_name(value)
            parts = [item_from_name(part) for part in re.split(r"[;,]", value)]
            numbers = [whole] if whole else parts
        for number in numbers:
            if number and number not in found:
                found.append(number)
    return tuple(found)


def _number(part: str) -> str | None:
    if re.fullmatch(r"\d{1,2}\.\d{2}", part):
        return part
    if re.fullmatch(r"\d{1,2}", part):
        return OLD_ITEM_NUMBERS.get(str(int(part)))
    return None


def item_headings(text: str) -> tuple[tuple[str, str], ...]:
    """(item number, heading line) for a document's own item headings ("Item 8.01 Other
    Events", or "Item 5. Other Events" in old filings). Mentions inside sentences ("the
    information in this Item 8.01") are not headings; bare old numbers count only when the
    document has no modern numbers."""
    modern: dict[str, str] = {}
    old: dict[str, str] = {}
    for raw_line in text.splitlines():
        line = raw_line.strip()
        match = _HEADING.match(line)
        if not match:
            continue
        major, minor, rest = match.groups()
        next_word = rest.split(" ", 1)[0].lower().strip(",;") if rest else ""
        if next_word in _REFERENCE_WORDS:
            continue
        if minor is not None:
            number = f"{int(major)}.{minor}"
            if number in ITEM_NAMES:
                modern.setdefault(number, line[:200])
        elif mapped := OLD_ITEM_NUMBERS.get(str(int(major))):
            old.setdefault(mapped, line[:200])
    return tuple((modern or old).items())


def items_from_document(text: str) -> tuple[str, ...]:
    """Item numbers from the document's own headings, in order (see :func:`item_headings`)."""
    return tuple(number for number, _ in item_headings(text))


PRIORITY: Final = (ItemSource.GIVEN, ItemSource.EVENT, ItemSource.SGML_HEADER, ItemSource.DOCUMENT)


def reconcile(readings: Sequence[ItemReading]) -> tuple[tuple[str, ...], ItemSource | None]:
    """The items and the source that decided them: the first source, by priority, that
    states any item. ``(), None`` when no source states one."""
    for source in PRIORITY:
        for reading in readings:
            if reading.source == source and reading.items:
                return reading.items, source
    return (), None


def describe_item(number: str) -> str:
    return f"Item {number}: {ITEM_NAMES.get(number, 'unknown item')}"
