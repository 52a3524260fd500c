"""Parse EDGAR's submission containers: the full-submission ``.txt`` (SGML), the
dissemination ``.nc`` format, and a single ``<DOCUMENT>`` wrapper.

The header gives the form type, the companies in their roles, the acceptance
time (US Eastern, made tz-aware here), the ``ITEM INFORMATION`` names (8-K items
by name only) or ``<ITEMS>`` numbers (``.nc``), file numbers and the public
reference accession of an UPLOAD. Documents keep their raw ``<TEXT>`` body; the
caller decides which ones to turn into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.text_extraction import uudecode
from edgarmon.core.domain.filing import EASTERN, Company

_ROLE_NAMES: Final = {
    "FILER": "Filer",
    "FILED FOR": "Filed for",
    "FILED BY": "Filed by",
    "SUBJECT COMPANY": "Subject",
    "REPORTING OWNER": "Reporting",
    "ISSUER": "Issuer",
    "DEPOSITOR": "Depositor",
    "SECURITIZER": "Securitizer",
    "ISSUING ENTITY": "Issuing Entity",
    "SERIAL COMPANY": "Serial",
}
_SKIPPED_TYPES: Final = ("GRAPHIC", "ZIP", "EXCEL", "XML", "JSON", "EX-101", "PDF")
_SKIPPED_EXTENSIONS: Final = (".jpg", ".jpeg", ".gif", ".png", ".zip", ".xlsx", ".xsd", ".xml")

_SGML_MARKERS = re.compile(r"<SEC-DOCUMENT>|<SEC-HEADER>|<IMS-HEADER>|<SUBMISSION>")
_WRAPPER_START = re.compile(r"^\s*(?:<DOCUMENT>\s*)?<TYPE>", re.IGNORECASE)
# The value is stripped in code: a lazy ``(.*?)\s*$`` retried every split of a long run
# of spaces inside a value.
_HEADER_LINE = re.compile(r"^(\t*)([A-Z][A-Z0-9 \-/]*?):[ \t]*(.*)")
_DOC_FIELD = re.compile(r"<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>([^<\n]*)", re.IGNORECASE)
_NC_TOKEN = re.compile(r"<(/?)([A-Z0-9][A-Z0-9\-]*)>([^<]*)")


@dataclass(frozen=True, slots=True)
class SubmissionHeader:
    """What a submission header states. Fields are ``None``/empty when absent."""

    form_type: str | None = None
    accession_number: str | None = None
    accepted_at: datetime | None = None
    filing_date: date | None = None
    period: date | None = None
    companies: tuple[Company, ...] = ()
    item_names: tuple[str, ...] = ()
    """``ITEM INFORMATION`` values as written (names, old wording, bare numbers, blanks)."""
    item_numbers: tuple[str, ...] = ()
    """``<ITEMS>`` values of the ``.nc`` format: already numbers."""
    file_numbers: tuple[str, ...] = ()
    reference_accession: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One ``<DOCUMENT>`` of a submission, before text extraction."""

    doc_type: str
    sequence: int | None
    filename: str
    description: str
    body: str

    @property
    def has_text(self) -> bool:
        """False for images, XBRL, spreadsheets and other non-reading material."""
        upper = self.doc_type.upper()
        if upper.startswith(_SKIPPED_TYPES) and not self.filename.lower().endswith(".pdf"):
            return False
        if self.filename.lower().endswith(_SKIPPED_EXTENSIONS):
            return False
        return not self.body.lstrip().upper().startswith("<XML>")


@dataclass(frozen=True, slots=True)
class Submission:
    header: SubmissionHeader | None
    documents: tuple[RawDocument, ...]


def is_submission(text: str) -> bool:
    """True for a full-submission ``.txt`` or ``.nc`` file."""
    return bool(_SGML_MARKERS.search(text[:8192]))


def is_document_wrapper(text: str) -> bool:
    """True for a single document in its SGML wrapper (``<DOCUMENT><TYPE>...<TEXT>``)."""
    return bool(_WRAPPER_START.match(text[:512]))


def parse_submission(text: str) -> Submission:
    """Split a full submission or ``.nc`` file into its header and documents."""
    first_doc = text.find("<DOCUMENT>")
    header_text = text if first_doc < 0 else text[:first_doc]
    if "<SUBMISSION>" in header_text[:2048] and "<SEC-HEADER>" not in header_text:
        header = parse_nc_header(header_text)
    else:
        header = parse_sgml_header(header_text)
    return Submission(header, split_documents(text))


def split_documents(text: str) -> tuple[RawDocument, ...]:
    documents = []
    for chunk in text.split("<DOCUMENT>")[1:]:
        documents.append(parse_document(chunk.split("</DOCUMENT>")[0]))
    return tuple(documents)


def parse_document(chunk: str) -> RawDocument:
    """One document from the text after ``<DOCUMENT>`` (or a bare ``<TYPE>`` wrapper)."""
    text_at = chunk.find("<TEXT>")
    meta = chunk if text_at < 0 else chunk[:text_at]
    fields = {name.upper(): value.strip() for name, value in _DOC_FIELD.findall(meta)}
    body = "" if text_at < 0 else chunk[text_at + len("<TEXT>") :]
    end = body.rfind("</TEXT>")
    if end >= 0:
        body = body[:end]
    sequence = fields.get("SEQUENCE", "")
    return RawDocument(
        doc_type=fields.get("TYPE", ""),
        sequence=int(sequence) if sequence.isdigit() else None,
        filename=fields.get("FILENAME", ""),
        description=fields.get("DESCRIPTION", ""),
        body=body,
    )


def eastern_datetime(raw: str) -> datetime | None:
    """``YYYYMMDDhhmmss`` on EDGAR's clock, as a tz-aware US Eastern time."""
    raw = raw.strip()
    if not re.fullmatch(r"\d{14}", raw):
        return None
    try:
        return datetime.strptime(raw, "%Y%m%d%H%M%S").replace(tzinfo=EASTERN)
    except ValueError:
        return None


def compact_date(raw: str) -> date | None:
    raw = raw.strip()
    if not re.fullmatch(r"\d{8}", raw):
        return None
    try:
        return datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        return None


class _Companies:
    """Collects (role, name, CIK) while walking a header."""

    def __init__(self) -> None:
        self.role: str | None = None
        self.name: str | None = None
        self.cik: int | None = None
        self.found: list[Company] = []

    def start(self, raw_role: str) -> None:
        self.flush()
        key = raw_role.replace("-", " ").strip().upper()
        self.role = _ROLE_NAMES.get(key, key.title())

    def flush(self) -> None:
        if self.role and self.name and self.cik is not None:
            company = Company(cik=self.cik, name=self.name, role=self.role)
            if company not in self.found:
                self.found.append(company)
        self.name, self.cik = None, None


def parse_sgml_header(text: str) -> SubmissionHeader:
    """The ``<SEC-HEADER>`` of a full submission (tab-indented ``KEY: value`` lines)."""
    values: dict[str, str] = {}
    items: list[str] = []
    files: list[str] = []
    companies = _Companies()
    accepted = re.search(r"<ACCEPTANCE-DATETIME>\s*(\d{14})", text)
    for line in text.splitlines():
        match = _HEADER_LINE.match(line)
        if not match:
            continue
        indent, key, value = match.groups()
        value = value.rstrip()
        if key == "ITEM INFORMATION":
            items.append(value)
        elif not indent and not value and key.replace("-", " ") in _ROLE_NAMES:
            companies.start(key)
        elif key == "COMPANY CONFORMED NAME":
            companies.name = value
        elif key == "CENTRAL INDEX KEY" and value.isdigit():
            companies.cik = int(value)
        elif key == "SEC FILE NUMBER" and value and value not in files:
            files.append(value)
        elif not indent:
            values.setdefault(key, value)
    companies.flush()
    return SubmissionHeader(
        form_type=values.get("CONFORMED SUBMISSION TYPE") or None,
        accession_number=values.get("ACCESSION NUMBER") or None,
        accepted_at=eastern_datetime(accepted.group(1)) if accepted else None,
        filing_date=compact_date(values.get("FILED AS OF DATE", "")),
        period=compact_date(values.get("CONFORMED PERIOD OF REPORT", "")),
        companies=tuple(companies.found),
        item_names=tuple(items),
        file_numbers=tuple(files),
        reference_accession=values.get("PUBLIC REFERENCE ACCESSION NUMBER") or None,
    )


def parse_nc_header(text: str) -> SubmissionHeader:
    """The header of a dissemination ``.nc`` file (``<TAG>value`` tokens, blocks closed)."""
    values: dict[str, str] = {}
    items: list[str] = []
    files: list[str] = []
    companies = _Companies()
    for closing, tag, raw_value in _NC_TOKEN.findall(text):
        value = raw_value.strip()
        role_key = tag.replace("-", " ")
        if role_key in _ROLE_NAMES:
            if closing:
                companies.flush()
                companies.role = None
            else:
                companies.start(tag)
        elif closing:
            continue
        elif tag == "ITEMS" and value:
            items.append(value)
        elif tag == "CONFORMED-NAME" and companies.role:
            companies.name = value
        elif tag == "CIK" and value.isdigit() and companies.role:
            companies.cik = int(value)
        elif tag == "FILE-NUMBER" and value and value not in files:
            files.append(value)
        else:
            values.setdefault(tag, value)
    companies.flush()
    accepted = values.get("ACCEPTANCE-DATETIME", "")
    return SubmissionHeader(
        form_type=values.get("TYPE") or None,
        accession_number=values.get("ACCESSION-NUMBER") or None,
        accepted_at=eastern_datetime(accepted),
        filing_date=compact_date(values.get("FILING-DATE", "")),
        period=compact_date(values.get("PERIOD", "")),
        companies=tuple(companies.found),
        item_numbers=tuple(items),
        file_numbers=tuple(files),
        reference_accession=values.get("PUBLIC-REFERENCE-ACC") or None,
    )


def _uuencoded(raw: RawDocument) -> bool:
    head = raw.body[:2000]
    return head.lstrip().startswith("<PDF>") or (
        raw.filename.lower().endswith(".pdf") and "\nbegin " in head
    )


def submission_files(data: bytes) -> tuple[tuple[str, bytes | UnreadableDocument], ...]:
    """Each document of a full submission ``.txt`` as (file name, the bytes its folder
    serves under that name): a uuencoded PDF decoded, a text or HTML body as it stands
    between ``<TEXT>`` and ``</TEXT>``; a PDF that does not decode is its
    :class:`~edgarmon.classifier.domain.errors.UnreadableDocument` instead. The ``.txt`` is
    split as Latin-1, which maps every byte to one character and back, so each document
    keeps its own encoding. Documents without a file name are left out."""
    files: list[tuple[str, bytes | UnreadableDocument]] = []
    for raw in split_documents(data.decode("latin-1")):
        if not raw.filename:
            continue
        if _uuencoded(raw):
            try:
                files.append((raw.filename, uudecode(raw.body, name=raw.filename)))
            except UnreadableDocument as exc:
                files.append((raw.filename, exc))
            continue
        body = raw.body.removeprefix("\r\n").removeprefix("\n").removesuffix("\n")
        files.append((raw.filename, body.encode("latin-1")))
    return tuple(files)
