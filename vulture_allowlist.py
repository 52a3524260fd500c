"""Names vulture reports as unused that are used, each with why (``make lint`` runs it).

Framework hooks and validators are ignored by name or decorator in ``pyproject.toml``
(``[tool.vulture]``); what is left here is used from outside the Python code.
"""

from edgarmon.core.domain.messages import DeadLetter, ErrorStage, EvidenceKind

__all__ = ["REPLAY_FIELDS", "TOPIC_VALUES"]

TOPIC_VALUES = (
    # Public enum values on the topics: consumers read them, the classifier writes them.
    EvidenceKind.FORM_TYPE,
    EvidenceKind.FEED_SUMMARY,
    ErrorStage.INDEX,
    ErrorStage.READ,
    ErrorStage.SIZE,
    ErrorStage.HTML,
    ErrorStage.PDF,
    ErrorStage.UUENCODE,
    ErrorStage.SGML,
    ErrorStage.TEXT,
)
REPLAY_FIELDS = (
    # A dead letter's field for replaying the original record; read by operators' tools.
    DeadLetter.original_headers,
)
