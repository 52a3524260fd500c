"""The units a filing's documents are assessed in.

Any document is one unit (an EX-99 press release, a slide deck, a poster, an
agency's letter), except an 8-K's own text: that is cut into its item sections
(each without its heading) and the press releases it embeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edgarmon.classifier.domain.clinical.layout import RELEASE_MARKER, Layout
from edgarmon.classifier.domain.form_inference import infer_cover
from edgarmon.classifier.domain.item_headings import item_headings
from edgarmon.classifier.domain.text_extraction import DocumentText

_SIGNATURES = re.compile(r"(?im)^\W*signatures?\W*$")
_RELEASE_START = re.compile(RELEASE_MARKER.pattern, re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Unit:
    source: str
    """Where evidence from it comes from: ``document:EX-99.1``, ``document:8-K:release``."""
    text: str
    layout: Layout | None = None
    """Known from where the unit sits (an 8-K item section); else read from the text."""


def _is_8k_text(document: DocumentText) -> bool:
    return document.doc_type.upper().startswith("8-K") or (
        not document.doc_type and infer_cover(document.text) is not None
    )


def units(document: DocumentText) -> list[Unit]:
    """The units of one document, in document order."""
    if not _is_8k_text(document):
        return [Unit(document.source, document.text)]
    text = document.text
    headings = item_headings(text)
    start = headings[0].start if headings else 0
    releases = [match.start() for match in _RELEASE_START.finditer(text, start)]
    signatures = _SIGNATURES.search(text, start)
    sections_end = min([*releases[:1], signatures.start() if signatures else len(text), len(text)])
    found: list[Unit] = []
    for index, heading in enumerate(headings):
        if heading.start >= sections_end:
            break
        following = headings[index + 1].start if index + 1 < len(headings) else len(text)
        section = text[heading.end : min(following, sections_end)].strip()
        if section:
            found.append(Unit(f"{document.source}:item {heading.number}", section, Layout.SECTION))
    if not headings and sections_end > 0:
        found.append(Unit(document.source, text[:sections_end]))
    for index, at in enumerate(releases):
        end = releases[index + 1] if index + 1 < len(releases) else len(text)
        found.append(Unit(f"{document.source}:release", text[at:end]))
    return found
