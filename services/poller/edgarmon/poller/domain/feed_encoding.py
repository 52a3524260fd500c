"""How feedparser decoded EDGAR's feeds, kept when lxml replaced it (issue 15).

EDGAR's feeds declare ISO-8859-1 and hold windows-1252 quotes; some related feeds
declare windows-1252 and hold bytes it leaves undefined. :func:`as_utf8` decodes a
document as feedparser did without HTTP headers (the declared encoding, else UTF-8,
then windows-1252, then ISO-8859-2, which decodes any bytes) and re-encodes it as
UTF-8 for the XML parser; :func:`feed_text` reads each text value as feedparser gave
it (stripped, C1 characters as the windows-1252 characters meant, UTF-8 read as
Latin-1 undone).
"""

from __future__ import annotations

import contextlib
import re
from typing import Final

from edgarmon.core.domain.errors import FeedParseError

# feedparser's reading of the XML declaration, on the raw bytes
_DECLARED_ENCODING: Final = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")
_DECLARATION: Final = re.compile(r"^<\?xml[^>]*?>")
_UTF8_DECLARATION: Final = "<?xml version='1.0' encoding='utf-8'?>"
_BOMS: Final = (  # stripped before decoding
    (b"\x00\x00\xfe\xff", "utf-32be"),
    (b"\xff\xfe\x00\x00", "utf-32le"),
    (b"\xfe\xff", "utf-16be"),
    (b"\xff\xfe", "utf-16le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
_MARKERS: Final = (  # "<?xm" in encodings that are not ASCII's
    (b"\x4c\x6f\xa7\x94", "cp037"),
    (b"\x00\x3c\x00\x3f", "utf-16be"),
    (b"\x3c\x00\x3f\x00", "utf-16le"),
    (b"\x00\x00\x00\x3c", "utf-32be"),
    (b"\x3c\x00\x00\x00", "utf-32le"),
)
_UNICODE_LABELS: Final = frozenset(
    {"u16", "utf-16", "utf16", "utf_16", "u32", "utf-32", "utf32", "utf_32"}
    | {"iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4", "csunicode", "ucs-2", "ucs-4"}
)
_WINDOWS_1252: Final = {
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0)
    if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def as_utf8(body: bytes, what: str) -> bytes:
    """``body`` re-encoded as UTF-8 with a UTF-8 declaration, decoded by feedparser's
    rules (no HTTP headers): the declared encoding, else UTF-8, then windows-1252,
    then ISO-8859-2 (which decodes any bytes)."""
    data, bom = _without_bom(body)
    declared = _declared_encoding(data, bom)
    text: str | None = None
    for encoding in dict.fromkeys((declared or "utf-8", declared, bom, "utf-8", "windows-1252")):
        if not encoding:
            continue
        try:
            text = data.decode(encoding)
            break
        except (ValueError, LookupError):  # UnicodeError, and a name with a NUL in it
            continue
    if text is None:
        text = data.decode("iso-8859-2")
    if _DECLARATION.match(text):
        text = _DECLARATION.sub(_UTF8_DECLARATION, text, count=1)
    else:
        text = f"{_UTF8_DECLARATION}\n{text}"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:  # lone surrogates from a UTF-16 declaration
        raise FeedParseError(f"the {what} cannot be decoded: {error.reason}") from error


def _without_bom(body: bytes) -> tuple[bytes, str]:
    """``body`` without its byte-order mark, and the encoding the mark or the first
    bytes tell ("" when they tell nothing)."""
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            return body[len(mark) :], encoding
    for marker, encoding in _MARKERS:
        if body.startswith(marker):
            return body, encoding
    return body, ""


def _declared_encoding(data: bytes, bom: str) -> str:
    """The encoding the XML declaration names, lower-cased ("" when none)."""
    if bom:
        try:
            data = data.decode(bom).encode("utf-8")
        except (ValueError, LookupError):
            return ""
    match = _DECLARED_ENCODING.match(data)
    if match is None:
        return ""
    declared = match.group(1).decode("utf-8", "replace").lower()
    if bom and declared in _UNICODE_LABELS:
        return bom
    return "gb18030" if declared == "gb2312" else declared


def feed_text(raw: str) -> str:
    """A text value as feedparser gave it: stripped, UTF-8 that was read as Latin-1
    read again as UTF-8, and C1 characters as the windows-1252 characters EDGAR meant."""
    value = raw.strip()
    if value.isascii():
        return value
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("iso-8859-1").decode("utf-8")
    return value.translate(_WINDOWS_1252)
