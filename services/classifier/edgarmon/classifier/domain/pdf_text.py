"""A PDF's page texts, read with pypdf within a budget of decompressed bytes per document.

pypdf inflates and parses the content streams of a page (and the form XObjects it
draws) each time it reads the page, and its parser reads whitespace a byte at a
time, about 20 MiB a second (text operators far slower). Sixty pages may share one
stream that inflates to 70 MiB: three minutes of parsing for no text. So before a
page is read, its streams are counted at their inflated size, each stream inflated
at most to what is left of the document's budget; past the budget the document is
refused with :class:`~edgarmon.classifier.domain.errors.UnreadableDocument` ("the PDF
decompresses to more than N MiB"). A stream shared by pages counts once for every
page that reads it, as that is how often pypdf parses it. Reading also stops after
:data:`MAX_PDF_PAGES` pages, or once the text is well past what is kept of it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Final

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from edgarmon.classifier.domain.errors import UnreadableDocument

MAX_PDF_PAGES: Final = 60
MAX_PDF_DECOMPRESSED_BYTES: Final = 8 * 1024 * 1024
"""Content bytes one PDF may inflate to, all its pages together. The largest PDF in
shared/ has 49 KB of content; pypdf parses 8 MiB of bare whitespace in 0.4 s."""
_FLATE: Final = frozenset({"/FlateDecode", "/Fl"})


def _resolved(value: object) -> object:
    get_object = getattr(value, "get_object", None)
    return get_object() if callable(get_object) else value


def _forms(resources: object, seen: set[int]) -> Iterator[StreamObject]:
    """The form XObjects a resource dictionary names, and the forms those draw."""
    resources = _resolved(resources)
    if not isinstance(resources, DictionaryObject):
        return
    xobjects = _resolved(resources.get("/XObject"))
    if not isinstance(xobjects, DictionaryObject):
        return
    for value in xobjects.values():
        form = _resolved(value)
        if isinstance(form, StreamObject) and form.get("/Subtype") == "/Form":
            if id(form) in seen:
                continue
            seen.add(id(form))
            yield form
            yield from _forms(form.get("/Resources"), seen)


def page_streams(page: PageObject) -> Iterator[StreamObject]:
    """The streams pypdf parses to read ``page``'s text: its contents and its forms."""
    contents = _resolved(page.get("/Contents"))
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    for part in parts:
        stream = _resolved(part)
        if isinstance(stream, StreamObject):
            yield stream
    yield from _forms(page.get("/Resources"), set())


def inflated_size(stream: StreamObject, limit: int) -> int:
    """The size of ``stream``'s data once decoded; more than ``limit`` (not exact) when
    it inflates past ``limit``. A deflated stream is inflated no further than that."""
    filters = _resolved(stream.get("/Filter"))
    parts = filters if isinstance(filters, ArrayObject) else [filters]
    if len(parts) == 1 and str(_resolved(parts[0])) in _FLATE:
        inflater = zlib.decompressobj()
        try:  # pypdf has no public accessor for a stream's raw (still deflated) bytes
            data = inflater.decompress(stream._data, limit + 1)
        except zlib.error:
            return 0  # pypdf's own recovery reads it, if anything can
        return len(data)
    return len(stream.get_data())


def page_texts(
    reader: PdfReader,
    *,
    max_pages: int = MAX_PDF_PAGES,
    max_decompressed_bytes: int = MAX_PDF_DECOMPRESSED_BYTES,
    max_chars: int,
    name: str | None = None,
) -> list[str]:
    """The text of each page read, in order, within the budget (see the module docstring).
    Stops once the text has twice ``max_chars`` characters."""
    left = max_decompressed_bytes
    sizes: dict[int, int] = {}
    texts: list[str] = []
    chars = 0
    for page in reader.pages[:max_pages]:
        for stream in page_streams(page):
            size = sizes.get(id(stream))
            if size is None:  # a size counted is exact: it was within the budget
                size = sizes[id(stream)] = inflated_size(stream, left)
            left -= size
            if left < 0:
                mib = max_decompressed_bytes / (1024 * 1024)
                raise UnreadableDocument(
                    f"the PDF decompresses to more than {mib:g} MiB", stage="pdf", name=name
                )
        texts.append(page.extract_text() or "")
        chars += len(texts[-1])
        if chars >= 2 * max_chars:
            break
    return texts
