"""Turn one document's bytes into plain text: HTML, PDF, uuencoded PDF or text.

Every function here is pure. Text keeps one line per block (paragraph, table
row, heading), so that item headings and numbered comments stay at the start
of a line; HTML is read from its parse tree (:mod:`edgarmon.classifier.domain.html_text`).
Input over :data:`MAX_INPUT_BYTES` raises the core
:class:`~edgarmon.core.domain.errors.DocumentTooLarge`; text is cut at
:data:`MAX_TEXT_CHARS`; anything that cannot be read raises
:class:`~edgarmon.classifier.domain.errors.UnreadableDocument`, never a crash.
"""

from __future__ import annotations

import binascii
import io
import re
import struct
from dataclasses import dataclass
from typing import Final

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.html_text import visible_text
from edgarmon.classifier.domain.pdf_text import (
    MAX_PDF_DECOMPRESSED_BYTES,
    MAX_PDF_PAGES,
    page_texts,
)
from edgarmon.core.domain.errors import DocumentTooLarge

MAX_INPUT_BYTES: Final = 25 * 1024 * 1024
"""Largest input read at all (a full submission with its exhibits)."""
MAX_TEXT_CHARS: Final = 400_000
"""Text kept per document; a comment letter or press release is far shorter."""

# What pypdf raises on malformed files besides its own errors.
_PDF_FAILURES: Final = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    RecursionError,
    ZeroDivisionError,
    struct.error,
)

_SPACE: Final = r"[ \t\u00a0\u2002\u2003\u2009\u200b\ufeff]"
_RUNS_IN_LINE = re.compile(rf"{_SPACE}(?:(?<=[^ ])|(?={_SPACE})){_SPACE}*")
"""Runs of space on a line (of space, tabs and the space characters EDGAR's HTML uses;
the other blanks, "\\r", "\\f", "\\v", end a line) but a lone space: one space is
what each becomes. A match starts with a space character, so ``re`` skips to those."""
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""Control characters but the blanks (tab, newline, "\\v", "\\f", "\\r")."""
_HTML_TAG = re.compile(r"(?i)<(?:html|body|p|div|tr|td|font|br|span|b|center)\b")
_HTML_START = re.compile(r"(?i)<html\b|<!doctype\s+html|<body\b")
_PAGE_BREAK = re.compile(r"(?i)</?PAGE>")
# A line holding only an SGML layout tag. The space around the tag stays on its line
# ([^\S\n]: whitespace but a newline): a ``\s*`` here could run over newlines, and
# on a million blank lines it backtracked over all of them from every line start.
_SGML_TEXT_TAGS = re.compile(r"(?im)^[^\S\n]*</?(?:PAGE|S|C|CAPTION|TABLE|FN)>[^\S\n]*$")


@dataclass(frozen=True, slots=True)
class DocumentText:
    """One document as text, with what is known about it."""

    doc_type: str
    """EDGAR document type when known ("8-K", "EX-99.1", "CORRESP", "LETTER"), else ""."""
    filename: str
    text: str
    kind: str
    """How it was read: "html", "pdf" or "text"."""
    description: str = ""
    truncated: bool = False

    @property
    def source(self) -> str:
        """Where evidence from this document comes from, e.g. ``document:EX-99.1``."""
        return f"document:{self.doc_type or self.filename or 'input'}"

    @property
    def is_exhibit(self) -> bool:
        return self.doc_type.upper().startswith("EX-")


def check_size(data: bytes | str, name: str | None = None, limit: int = MAX_INPUT_BYTES) -> None:
    """Raise :class:`DocumentTooLarge` when ``data`` is over ``limit`` bytes."""
    if len(data) > limit:
        raise DocumentTooLarge(f"{name or 'input'} is {len(data)} bytes, over the {limit} cap")


def decode_bytes(data: bytes) -> str:
    """Bytes as text: UTF-8 when valid, else Windows-1252 (EDGAR's older documents)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def looks_binary(text: str) -> bool:
    """True when ``text`` is mostly control characters: not a text format at all."""
    sample = text[:4096]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    return len(_CONTROLS.findall(sample)) > len(sample) // 20


def looks_like_html(text: str) -> bool:
    if _HTML_START.search(text[:20_000]):
        return True
    return len(_HTML_TAG.findall(text[:5000])) >= 2


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """Cut ``text`` at ``limit`` characters; say whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def tidy_lines(text: str) -> str:
    """One space between words, no empty lines, no trailing blanks."""
    lines = map(str.strip, _RUNS_IN_LINE.sub(" ", text).splitlines())
    return "\n".join(line for line in lines if line)


def plain_text(text: str) -> str:
    """Plain text (including old SGML text documents) with layout tags removed."""
    return tidy_lines(_PAGE_BREAK.sub("\n", _SGML_TEXT_TAGS.sub("", text.replace("\x00", ""))))


def html_to_text(html: str, *, name: str | None = None) -> str:
    """Visible text of an HTML document, one line per block (see
    :mod:`edgarmon.classifier.domain.html_text`)."""
    if looks_binary(html):
        raise UnreadableDocument("binary content where HTML was expected", stage="html", name=name)
    return tidy_lines(visible_text(html, name=name))


def pdf_to_text(
    data: bytes,
    *,
    name: str | None = None,
    max_pages: int = MAX_PDF_PAGES,
    max_decompressed_bytes: int = MAX_PDF_DECOMPRESSED_BYTES,
) -> str:
    """Text of a PDF's first ``max_pages`` pages, read with pypdf; refused when its
    content inflates past ``max_decompressed_bytes``
    (see :mod:`edgarmon.classifier.domain.pdf_text`)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument("not a PDF (no %PDF header)", stage="pdf", name=name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is encrypted", stage="pdf", name=name)
        pages = page_texts(
            reader,
            max_pages=max_pages,
            max_decompressed_bytes=max_decompressed_bytes,
            max_chars=MAX_TEXT_CHARS,
            name=name,
        )
    except _PDF_FAILURES as exc:
        raise UnreadableDocument(f"broken PDF: {exc}", stage="pdf", name=name) from exc
    text = tidy_lines("\n".join(pages))
    if not text:
        raise UnreadableDocument(
            "the PDF has no text layer (a scanned image?)", stage="pdf", name=name
        )
    return text


def uudecode(text: str, *, name: str | None = None) -> bytes:
    """Decode the first uuencoded block (``begin 644 NAME`` ... ``end``) in ``text``."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("begin ")), None)
    if start is None:
        raise UnreadableDocument("no 'begin' line", stage="uuencode", name=name)
    out = bytearray()
    for line in lines[start + 1 :]:
        if line.strip() == "end":
            return bytes(out)
        if not line:
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Some encoders pad or trim lines; decode only the bytes the length byte announces.
            count = ((ord(line[0]) - 32) & 63) * 4 + 5
            try:
                out += binascii.a2b_uu(line[: count // 3])
            except binascii.Error as exc:
                raise UnreadableDocument(f"bad line: {exc}", stage="uuencode", name=name) from exc
    raise UnreadableDocument("no 'end' line", stage="uuencode", name=name)


def text_from_body(
    body: str, *, filename: str = "", doc_type: str = "", description: str = ""
) -> DocumentText:
    """Read the body of an SGML ``<TEXT>`` section, or a whole decoded file."""
    stripped = body.lstrip()
    name = filename or None
    if stripped.startswith("<PDF>") or (
        filename.lower().endswith(".pdf") and "\nbegin " in body[:2000]
    ):
        text, kind = pdf_to_text(uudecode(body, name=name), name=name), "pdf"
    elif looks_like_html(body):
        text, kind = html_to_text(body, name=name), "html"
    elif looks_binary(body):
        raise UnreadableDocument("binary content where text was expected", stage="text", name=name)
    else:
        text, kind = plain_text(body), "text"
    capped, truncated = cap_text(text)
    return DocumentText(doc_type, filename, capped, kind, description, truncated)


def text_from_bytes(
    data: bytes, *, filename: str = "", doc_type: str = "", description: str = ""
) -> DocumentText:
    """Read one standalone document (a fetched exhibit, a letter PDF, a local file)."""
    check_size(data, filename or None)
    if data.lstrip()[:5].startswith(b"%PDF"):
        text = pdf_to_text(data, name=filename or None)
        capped, truncated = cap_text(text)
        return DocumentText(doc_type, filename, capped, "pdf", description, truncated)
    return text_from_body(
        decode_bytes(data), filename=filename, doc_type=doc_type, description=description
    )
