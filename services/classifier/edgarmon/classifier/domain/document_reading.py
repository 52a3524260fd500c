"""Read whatever arrives (a full submission, an ``.nc`` file, a wrapped or bare
document, a PDF, plain text) into a header and document texts.

A document that cannot be read becomes a
:class:`~edgarmon.core.domain.messages.ClassificationError`; the others are still
read, so a broken exhibit never hides the rest of a filing. A fetched document
that gives no text at all (empty, only space or only markup) is such an error too
(stage ``read``, "no text to classify"), so that an event says why it has no labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from edgarmon.classifier.domain.errors import UnreadableDocument
from edgarmon.classifier.domain.submission import (
    RawDocument,
    SubmissionHeader,
    is_document_wrapper,
    is_submission,
    parse_document,
    parse_submission,
)
from edgarmon.classifier.domain.text_extraction import (
    DocumentText,
    check_size,
    decode_bytes,
    text_from_body,
    text_from_bytes,
)
from edgarmon.core.domain.errors import DocumentTooLarge
from edgarmon.core.domain.filing import Document
from edgarmon.core.domain.messages import ClassificationError

LETTER_TYPES = frozenset({"CORRESP", "LETTER", "UPLOAD"})


@dataclass(frozen=True, slots=True)
class ReadResult:
    header: SubmissionHeader | None
    documents: tuple[DocumentText, ...]
    errors: tuple[ClassificationError, ...] = ()


def is_label_document(doc_type: str, form_type: str | None, position: int) -> bool:
    """Whether a document can matter to a label: the primary document (first, or typed
    as the form), an EX-99 exhibit, or a correspondence letter."""
    upper = doc_type.upper()
    if position == 0 or upper in LETTER_TYPES:
        return True
    if form_type and upper == form_type.upper():
        return True
    return upper.startswith("EX-99")


def error_from(
    exc: UnreadableDocument | DocumentTooLarge, url: str | None = None
) -> ClassificationError:
    stage = exc.stage if isinstance(exc, UnreadableDocument) else "size"
    return ClassificationError(stage=stage, message=str(exc)[:1000], url=url)


def _read_raw(raw: RawDocument) -> DocumentText:
    return text_from_body(
        raw.body, filename=raw.filename, doc_type=raw.doc_type, description=raw.description
    )


def read_raw_documents(
    raws: Iterable[RawDocument], form_type: str | None
) -> tuple[tuple[DocumentText, ...], tuple[ClassificationError, ...]]:
    texts: list[DocumentText] = []
    errors: list[ClassificationError] = []
    for position, raw in enumerate(raw for raw in raws if raw.has_text):
        if not is_label_document(raw.doc_type, form_type, position):
            continue
        try:
            texts.append(_read_raw(raw))
        except UnreadableDocument as exc:
            errors.append(error_from(exc))
    return tuple(texts), tuple(errors)


def read_input(data: bytes, name: str = "") -> ReadResult:
    """Read one input file or download. Raises :class:`DocumentTooLarge` when over the cap;
    unreadable documents inside it become errors."""
    check_size(data, name or None)
    name = name.rstrip("/").rsplit("/", 1)[-1]
    try:
        if data.lstrip()[:5].startswith(b"%PDF"):
            return ReadResult(None, (text_from_bytes(data, filename=name),))
        text = decode_bytes(data)
        if is_submission(text):
            submission = parse_submission(text)
            form = submission.header.form_type if submission.header else None
            texts, errors = read_raw_documents(submission.documents, form)
            return ReadResult(submission.header, texts, errors)
        if is_document_wrapper(text):
            start = text.find("<DOCUMENT>")
            raw = parse_document(text[start + len("<DOCUMENT>") :] if start >= 0 else text)
            if not raw.filename:
                raw = RawDocument(raw.doc_type, raw.sequence, name, raw.description, raw.body)
            return ReadResult(None, (_read_raw(raw),))
        return ReadResult(None, (text_from_body(text, filename=name),))
    except UnreadableDocument as exc:
        return ReadResult(None, (), (error_from(exc),))


def _read_fetched_document(document: Document, data: bytes) -> DocumentText:
    check_size(data, document.url)
    text = decode_bytes(data) if not data.lstrip()[:5].startswith(b"%PDF") else ""
    if text and is_document_wrapper(text):
        start = text.find("<DOCUMENT>")
        raw = parse_document(text[start + len("<DOCUMENT>") :] if start >= 0 else text)
        doc = _read_raw(raw)
        read = DocumentText(document.type, document.filename, doc.text, doc.kind, raw.description)
    else:
        read = text_from_bytes(
            data,
            filename=document.filename,
            doc_type=document.type,
            description=document.description,
        )
    if not read.text:
        raise UnreadableDocument("no text to classify", stage="read", name=document.filename)
    return read


def read_fetched(
    fetched: Iterable[tuple[Document, bytes]],
) -> tuple[tuple[DocumentText, ...], tuple[ClassificationError, ...]]:
    """Read documents fetched from a filing's folder, as listed in ``documents_to_fetch``.
    A document without text is an error, not an empty text."""
    texts: list[DocumentText] = []
    errors: list[ClassificationError] = []
    for document, data in fetched:
        try:
            texts.append(_read_fetched_document(document, data))
        except (UnreadableDocument, DocumentTooLarge) as exc:
            errors.append(error_from(exc, url=document.url))
    return tuple(texts), tuple(errors)
