"""The classifier's own failures, all under the core exception tree.

:class:`UnreadableDocument` is a :class:`~edgarmon.core.domain.errors.FeedParseError`
("a feed, index or document could not be parsed"): a broken PDF, binary bytes
posing as HTML, an unknown SGML layout. It names the ``stage`` that failed so
that a caller can record a :class:`~edgarmon.core.domain.messages.ClassificationError`
and go on with what is known. Oversized input raises the core
:class:`~edgarmon.core.domain.errors.DocumentTooLarge` instead.
"""

from __future__ import annotations

from edgarmon.core.domain.errors import FeedParseError


class UnreadableDocument(FeedParseError):
    """A document could not be turned into text.

    ``stage`` is where it failed: ``"pdf"``, ``"html"``, ``"sgml"``, ``"uuencode"``,
    ``"text"``, or ``"read"`` for a document read whole that gave no text; ``name`` is
    the file name or URL, when known.
    """

    def __init__(self, message: str, *, stage: str, name: str | None = None) -> None:
        where = f" ({name})" if name else ""
        super().__init__(f"{stage}: {message}{where}")
        self.stage = stage
        self.name = name
        self.reason = message

    def __reduce__(self) -> tuple[object, ...]:  # survives the trip from a parse worker
        return (_unreadable, (self.reason, self.stage, self.name))


def _unreadable(message: str, stage: str, name: str | None) -> UnreadableDocument:
    return UnreadableDocument(message, stage=stage, name=name)
