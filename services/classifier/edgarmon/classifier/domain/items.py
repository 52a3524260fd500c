"""8-K items: read them from each source, and reconcile the sources.

Sources (:class:`~edgarmon.core.domain.messages.ItemSource`):

- ``given``: stated by the caller (``--items``);
- ``event``: the feed summary, carried on the discovered filing;
- ``sgml_header``: ``ITEM INFORMATION`` lines give names only, and before August
  2004 the old wording ("Other events" was old Item 5, today's 8.01); 1994 files
  give bare old numbers ("7", "2; 7"); the ``.nc`` format gives numbers;
- ``document``: the document's own item headings ("ITEM 8.01 OTHER EVENTS", or
  "Item 5. Other Events" in old filings), wherever they stand in its text
  (:mod:`edgarmon.classifier.domain.item_headings`).

The first source that states any item decides, in the order above; the others
are kept as readings so that a disagreement is visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from edgarmon.classifier.domain.item_headings import item_headings
from edgarmon.core.domain.form8k import ITEM_NAMES, OLD_ITEM_NAMES, OLD_ITEM_NUMBERS
from edgarmon.core.domain.messages import ItemReading, ItemSource


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


def items_from_document(text: str) -> tuple[str, ...]:
    """Item numbers from the document's own headings, in order (see
    :func:`~edgarmon.classifier.domain.item_headings.item_headings`)."""
    return tuple(heading.number for heading in item_headings(text))


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
