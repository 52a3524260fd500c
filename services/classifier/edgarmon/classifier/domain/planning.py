"""Plan what to fetch for a filing, before any request is made.

:func:`needs_documents` says whether a filing's labels need its documents at all:
a 10-Q, a Form 4 or an S-1 can carry none of our labels, so it costs no request.
:func:`documents_to_fetch` picks, from the filing's ``index.json`` directory
listing, only what the labels need: the primary document and the EX-99 exhibits
of an 8-K or 6-K, the letter of a CORRESP or UPLOAD.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Final

from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import LETTER_FORMS, Document, Filing

ITEMS_WITH_NEWS: Final = frozenset({"7.01", "8.01"})
EARNINGS_ITEM: Final = "2.02"
EXHIBITS_ITEM: Final = "9.01"
MAX_EXHIBITS: Final = 4
MAX_LETTERS: Final = 3

_SKIP = re.compile(
    r"(?i)(?:-index(?:-headers)?\.html?|\.(?:xsd|xml|json|js|css|jpe?g|gif|png|zip|xlsx?|xbrl)|"
    r"^R\d+\.htm|^FilingSummary|^Financial_Report|^\d{10}-\d{2}-\d{6}\.txt)$"
)
_READABLE = re.compile(r"(?i)\.(?:html?|txt|pdf)$")
_EX99 = re.compile(r"(?i)(?:ex|exhibit)[-_]?99(?:[-_.]?(\d{1,2}))?(?!\d)")
_OTHER_EXHIBIT = re.compile(r"(?i)(?:^|[^a-z])(?:d?ex|exhibit)[-_]?\d")
_PRIMARY_HINT = re.compile(r"(?i)(?:8|6)-?k|form")


def needs_documents(filing: Filing) -> bool:
    """Whether any label depends on the filing's documents.

    - CORRESP/UPLOAD: the letter gives the label's details (comments, deadline, contacts).
    - 6-K: a foreign issuer's press release may be a clinical update.
    - 8-K: when its items are unknown, or include 7.01/8.01 (news in the body or an
      exhibit), or 9.01 exhibits outside an earnings (2.02) report. Item 8.01 itself is
      decided from the items, but a clinical update needs the text.
    - Anything else (10-K, 10-Q, Form 4, S-1, 13F...): no label needs a document.
    """
    form = filing.base_form_type.upper()
    if form in LETTER_FORMS or form == "6-K":
        return True
    if form != "8-K":
        return False
    items = set(filing.items)
    if not items:
        return True
    return bool(items & ITEMS_WITH_NEWS) or (EXHIBITS_ITEM in items and EARNINGS_ITEM not in items)


def _listing(index_json: bytes) -> list[tuple[str, int | None]]:
    try:
        data = json.loads(index_json)
        entries = data["directory"]["item"]
        listing = []
        for entry in entries:
            name = str(entry["name"])
            size = str(entry.get("size", "")).strip()
            listing.append((name, int(size) if size.isdigit() else None))
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedParseError(f"not an EDGAR index.json directory listing: {exc}") from exc
    return listing


def exhibit_type(name: str) -> str | None:
    """``EX-99.1`` for ``ex99-1.htm``, ``d123dex991.htm``, ``acst-ex99_1.htm``; else None."""
    match = _EX99.search(name)
    if not match:
        return None
    return f"EX-99.{match.group(1)}" if match.group(1) else "EX-99"


def _from_known_documents(filing: Filing) -> tuple[Document, ...]:
    form = filing.base_form_type.upper()
    if form in LETTER_FORMS:
        return tuple(
            d for d in filing.documents if d.type.upper() in {"CORRESP", "LETTER", "UPLOAD"}
        )[:MAX_LETTERS]
    primary = [d for d in filing.documents if d.type.upper() == filing.form_type.upper()][:1]
    exhibits = [d for d in filing.documents if d.type.upper().startswith("EX-99")]
    return (*primary, *exhibits[:MAX_EXHIBITS])


def full_submission_url(filing: Filing) -> str:
    """The filing's full submission ``.txt`` (SGML header and every document), which
    EDGAR serves in the filing's folder."""
    return f"{filing.folder_url}{filing.accession_number}.txt"


def documents_to_fetch(filing: Filing, index_json: bytes) -> tuple[Document, ...]:
    """The documents the labels need, from the filing's ``index.json`` (or from
    ``filing.documents`` when the index was already read). Empty when
    :func:`needs_documents` is false. Raises :class:`FeedParseError` for a listing
    that is not one."""
    if not needs_documents(filing):
        return ()
    if filing.documents:
        return _from_known_documents(filing)
    return choose_documents(filing, _listing(index_json))


def choose_documents(
    filing: Filing, listing: Sequence[tuple[str, int | None]]
) -> tuple[Document, ...]:
    """The documents the labels need among a folder's files (name, size): from
    ``index.json``, or the documents of the full submission, chosen the same way."""
    if not needs_documents(filing):
        return ()
    form = filing.base_form_type.upper()
    readable = [
        (name, size) for name, size in listing if _READABLE.search(name) and not _SKIP.search(name)
    ]
    folder = filing.folder_url

    def document(name: str, doc_type: str, size: int | None) -> Document:
        return Document(url=folder + name, type=doc_type, filename=name, size=size)

    if form in LETTER_FORMS:
        letter_type = "LETTER" if form == "UPLOAD" else "CORRESP"
        letters = sorted(readable, key=lambda entry: not entry[0].lower().endswith(".pdf"))
        return tuple(document(n, letter_type, s) for n, s in letters[:MAX_LETTERS])
    exhibits = sorted(
        ((exhibit_type(n), n, s) for n, s in readable if exhibit_type(n)),
        key=lambda entry: entry[0] or "",
    )
    others = [(n, s) for n, s in readable if not exhibit_type(n) and not _OTHER_EXHIBIT.search(n)]
    others.sort(key=lambda entry: not _PRIMARY_HINT.search(entry[0]))
    chosen = [document(n, filing.form_type, s) for n, s in others[:1]]
    chosen += [document(n, t, s) for t, n, s in exhibits[:MAX_EXHIBITS] if t]
    return tuple(chosen)
