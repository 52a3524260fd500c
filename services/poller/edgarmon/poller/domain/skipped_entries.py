"""Feed entries, index rows and company feeds' companies that cannot be read: each is
skipped, costs only itself, and is said once.

The parsers stay pure: an entry that fails validation (an acceptance time at the edge
of the calendar, a CIK of more than 10 digits, no accession number, no form type ...)
is left out of the page and described by a :class:`SkippedEntry` in the result's
``skipped`` (source, the entry's accession or id, a reason from :class:`SkipReason`
and a detail for people). Nothing about one entry escapes a parser as an exception;
only a whole document that is not a feed or an index raises
:class:`~edgarmon.core.domain.errors.FeedParseError`.

The watch that polled the source hands ``skipped`` to its
:class:`~edgarmon.poller.adapters.skipped_entry_log.SkippedEntryLog`,
which logs one WARNING and counts ``edgarmon_poller_entries_skipped_total{source,reason}``
the first time it meets each (source, entry id, reason). A bad entry stays in the feed,
so the next polls show it again: they are neither logged nor counted again. The memory
is a bounded LRU (:data:`SKIPPED_MEMORY` keys): a flood of distinct bad entries cannot
grow it, and an entry evicted and met again is said again. After a restart each bad
entry still served is said once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pydantic import ValidationError

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.messages import DiscoverySource

SKIPPED_MEMORY: Final = 4096
"""Skipped entries a :class:`SkippedEntryLog` remembers having said."""

MAX_ID_CHARS: Final = 120
MAX_DETAIL_CHARS: Final = 300


class SkipReason(StrEnum):
    """Why an entry was skipped; the ``reason`` label of the metric (a closed set)."""

    BAD_DATE = "bad_date"
    """An acceptance time or date that is not a date, or outside 1993 to 2199."""
    BAD_CIK = "bad_cik"
    """A CIK that is not 1 to 10 digits."""
    NO_ACCESSION = "no_accession"
    """No accession number, or one that is not ``NNNNNNNNNN-YY-NNNNNN``."""
    BAD_FORM = "bad_form"
    """No form type, or one that is not a form type (too long, not printable ASCII)."""
    BAD_LAYOUT = "bad_layout"
    """An entry title or an index row not laid out as EDGAR lays them out."""
    INVALID = "invalid"
    """Any other field that fails validation."""


class UnreadableEntry(FeedParseError):
    """One entry of a feed or row of an index cannot be read. Raised by the parsers'
    readers and caught by the parser itself, which skips the entry: never seen outside."""

    def __init__(self, reason: SkipReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[type[UnreadableEntry], tuple[SkipReason, str]]:
        # picklable like the parsers' other errors (they may run in a child process)
        return (type(self), (self.reason, str(self)))


ENTRY_ERRORS: Final = (UnreadableEntry, ValueError, KeyError, OverflowError)
"""What reading one entry may raise; the parsers skip the entry on any of them.
(pydantic's ``ValidationError`` is a ``ValueError``.)"""


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry left out of a parsed page, and why."""

    source: DiscoverySource
    entry_id: str
    """The entry's accession number if it has one, else its Atom id, title or index line:
    what stays the same when the same entry is served again."""
    reason: SkipReason
    detail: str
    """Where it was and what is wrong with it, for the log."""

    @property
    def key(self) -> tuple[DiscoverySource, str, SkipReason]:
        return (self.source, self.entry_id, self.reason)

    def describe(self) -> str:
        return f"{self.detail} [{self.reason.value}]"


def shorten(value: object, limit: int = MAX_ID_CHARS) -> str:
    """``value`` on one line, cut to ``limit`` characters (entries may be hostile)."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def skipped_entry(
    error: Exception, *, source: DiscoverySource, entry_id: str, where: str
) -> SkippedEntry:
    """The :class:`SkippedEntry` for an entry whose reading raised ``error``."""
    return SkippedEntry(
        source=source,
        entry_id=shorten(entry_id) or "(none)",
        reason=_reason(error),
        detail=shorten(f"{where}: {_message(error)}", MAX_DETAIL_CHARS),
    )


_FIELD_REASONS: Final = {
    "cik": SkipReason.BAD_CIK,
    "accession_number": SkipReason.NO_ACCESSION,
    "form_type": SkipReason.BAD_FORM,
    "accepted_at": SkipReason.BAD_DATE,
    "filing_date": SkipReason.BAD_DATE,
}


def _reason(error: Exception) -> SkipReason:
    if isinstance(error, UnreadableEntry):
        return error.reason
    if isinstance(error, ValidationError):
        fields = [str(part) for detail in error.errors() for part in detail["loc"]]
        return next(
            (_FIELD_REASONS[name] for name in fields if name in _FIELD_REASONS),
            SkipReason.INVALID,
        )
    if isinstance(error, OverflowError):
        return SkipReason.BAD_DATE
    return SkipReason.INVALID


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in detail['loc']) or error.title}: {detail['msg']}"
            for detail in error.errors(include_url=False, include_input=False)
        )
    if isinstance(error, KeyError):
        return f"no {error.args[0] if error.args else 'field'!s}"
    return str(error)
