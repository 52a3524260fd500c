"""The full submission ``.txt`` of a simulated filing, as EDGAR serves it in the folder.

EDGAR's ``<accession>.txt`` is the whole filing in one file: the SGML header (form,
accession, acceptance time, ``ITEM INFORMATION``, the companies) and every document
between ``<DOCUMENT>`` and ``</DOCUMENT>``, text as it is and binary files (a PDF
letter) uuencoded. For a filing whose documents the simulator serves but whose
``.txt`` was not recorded, :func:`render_full_submission` builds one from the same
files, byte for byte, so a client reading the ``.txt`` reads what it would have
fetched document by document. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Sequence
from typing import Final

from edgarmon.simulator.filings import EASTERN, SimFiling

UU_LINE_BYTES: Final = 45
_EXHIBIT = re.compile(r"(?i)(?:ex|exhibit)[-_]?(\d{1,3})(?:[-_.]?(\d{1,2}))?(?!\d)")
_FILENAME_LINE = re.compile(rb"<FILENAME>[^<\r\n]*")
_LETTER_TYPES: Final = {"UPLOAD": "LETTER", "CORRESP": "CORRESP"}


def is_submission_document(name: str, accession: str) -> bool:
    """Whether a served file is one of the filing's documents (not its index pages,
    nor the ``.txt`` itself)."""
    lowered = name.lower()
    return not (
        lowered == "index.json"
        or lowered.endswith(("-index.htm", "-index.html", "-index-headers.html"))
        or name in {f"{accession}.txt", f"{accession}.nc"}
    )


def document_type(name: str, form_type: str, position: int) -> str:
    """The ``<TYPE>`` a document of the filing gets: the letter type for a letter, an
    exhibit's number for an exhibit (``EX-99.1``), else the form type (the primary)."""
    if form_type in _LETTER_TYPES:
        return _LETTER_TYPES[form_type]
    exhibit = _EXHIBIT.search(name)
    if exhibit and position > 0:
        number, sub = exhibit.groups()
        return f"EX-{number}.{sub}" if sub else f"EX-{number}"
    return form_type


def _uuencoded(name: str, data: bytes) -> bytes:
    lines = [f"begin 644 {name}\n".encode()]
    lines += [
        binascii.b2a_uu(data[at : at + UU_LINE_BYTES]) for at in range(0, len(data), UU_LINE_BYTES)
    ]
    lines.append(b"`\nend\n")
    return b"".join(lines)


def _header(filing: SimFiling | None, accession: str, count: int) -> bytes:
    lines = [f"ACCESSION NUMBER:\t\t{accession}", f"PUBLIC DOCUMENT COUNT:\t\t{count}"]
    if filing is None:
        return ("\n".join(lines) + "\n").encode()
    accepted = filing.accepted_at.astimezone(EASTERN)
    lines.insert(1, f"CONFORMED SUBMISSION TYPE:\t{filing.form_type}")
    lines += [f"ITEM INFORMATION:\t\t{name}" for _, name in filing.items]
    lines.append(f"FILED AS OF DATE:\t\t{filing.filing_date:%Y%m%d}")
    for company in filing.companies:
        role = "FILED BY" if company.role == "Filed by" else company.role.upper()
        lines += [
            "",
            f"{role}:",
            "",
            "\tCOMPANY DATA:\t",
            f"\t\tCOMPANY CONFORMED NAME:\t\t\t{company.name}",
            f"\t\tCENTRAL INDEX KEY:\t\t\t{company.cik:010d}",
        ]
    stamp = f"<ACCEPTANCE-DATETIME>{accepted:%Y%m%d%H%M%S}\n"
    return (stamp + "\n".join(lines) + "\n").encode()


def render_full_submission(
    filing: SimFiling | None, accession: str, documents: Sequence[tuple[str, bytes]]
) -> bytes:
    """The ``.txt`` for ``documents`` (name, bytes; the primary document first)."""
    form = filing.form_type if filing is not None else ""
    day = f"{filing.filing_date:%Y%m%d}" if filing is not None else ""
    parts = [
        f"<SEC-DOCUMENT>{accession}.txt : {day}\n".encode(),
        f"<SEC-HEADER>{accession}.hdr.sgml : {day}\n".encode(),
        _header(filing, accession, len(documents)),
        b"</SEC-HEADER>\n",
    ]
    for position, (name, data) in enumerate(documents, start=1):
        if data.lstrip()[:10].upper().startswith(b"<DOCUMENT>"):
            # already a document in its SGML wrapper (recorded so): kept, under the name
            # the simulator serves it by, as in its index.json
            inner = data.lstrip()[len(b"<DOCUMENT>") :]
            end = inner.rfind(b"</DOCUMENT>")
            inner = _FILENAME_LINE.sub(
                b"<FILENAME>" + name.encode(), inner[:end] if end >= 0 else inner, count=1
            )
            parts.append(b"<DOCUMENT>" + inner + b"</DOCUMENT>\n")
            continue
        kind = document_type(name, form, position - 1)
        is_pdf = data.lstrip()[:5].startswith(b"%PDF")
        parts.append(
            f"<DOCUMENT>\n<TYPE>{kind}\n<SEQUENCE>{position}\n<FILENAME>{name}\n<TEXT>\n".encode()
        )
        parts.append(b"<PDF>\n" + _uuencoded(name, data) + b"</PDF>\n" if is_pdf else data + b"\n")
        parts.append(b"</TEXT>\n</DOCUMENT>\n")
    parts.append(b"</SEC-DOCUMENT>\n")
    return b"".join(parts)


def primary_first(names: Sequence[str], form_type: str) -> list[str]:
    """The documents in ``.txt`` order: the primary (not an exhibit) first, then the
    rest by name."""
    ordered = sorted(names)
    if form_type in _LETTER_TYPES:
        return sorted(ordered, key=lambda name: not name.lower().endswith(".pdf"))
    return sorted(ordered, key=lambda name: _EXHIBIT.search(name) is not None)
