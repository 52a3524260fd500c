"""Classify one input (a local file's bytes or a download) in one pure step."""

from __future__ import annotations

from collections.abc import Sequence

from edgarmon.classifier.domain.classify import (
    DEFAULT_THRESHOLD,
    Classification,
    KnownFiling,
    classify,
)
from edgarmon.classifier.domain.document_reading import ReadResult, read_input
from edgarmon.classifier.domain.tuning import Tuning


def classify_input(
    data: bytes,
    name: str = "",
    *,
    form_type: str | None = None,
    items: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    tuning: Tuning | None = None,
) -> Classification:
    """Read ``data`` (full submission, ``.nc``, wrapped or bare document, PDF, text) and
    classify it. ``form_type`` and ``items`` are what the caller states, if anything.
    Raises :class:`~edgarmon.core.domain.errors.DocumentTooLarge` over the input cap."""
    return classify_read(
        read_input(data, name),
        form_type=form_type,
        items=items,
        threshold=threshold,
        tuning=tuning,
    )


def classify_read(
    read: ReadResult,
    *,
    form_type: str | None = None,
    items: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    tuning: Tuning | None = None,
) -> Classification:
    """Classify an input already read (see :func:`classify_input`)."""
    known = KnownFiling.from_header(read.header) if read.header else KnownFiling()
    known = known.with_given(form_type, items)
    return classify(known, read.documents, errors=read.errors, threshold=threshold, tuning=tuning)
