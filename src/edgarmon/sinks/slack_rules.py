"""What Slack's ``chat.postMessage`` accepts, as documented, for the local sink.

:func:`check_post` returns the error code Slack answers with (``no_text``,
``msg_too_long``, ``invalid_blocks``, ...) or ``None`` when the message would be
accepted. It checks the documented limits: 40,000 characters of text, 50
blocks, 3,000 characters per text object, 150 per header, 10 fields of 2,000,
10 context elements, about 12,000 characters of blocks in all, and the shape of
``metadata``. These restate Slack's documentation on purpose rather than import
the notifier's renderer limits, so that the sink checks the renderer.
"""

from __future__ import annotations

import json
from typing import Any, Final

MAX_TEXT_CHARS: Final = 40_000
MAX_BLOCKS: Final = 50
MAX_BLOCKS_CHARS: Final = 12_000
MAX_TEXT_OBJECT_CHARS: Final = 3000
MAX_HEADER_CHARS: Final = 150
MAX_FIELDS: Final = 10
MAX_FIELD_CHARS: Final = 2000
MAX_CONTEXT_ELEMENTS: Final = 10
KNOWN_BLOCKS: Final = frozenset(
    {"section", "header", "divider", "context", "actions", "image", "rich_text", "markdown"}
)


def _text_object_ok(obj: object, *, limit: int, plain_only: bool = False) -> bool:
    if not isinstance(obj, dict):
        return False
    kind, text = obj.get("type"), obj.get("text")
    allowed = {"plain_text"} if plain_only else {"plain_text", "mrkdwn"}
    return kind in allowed and isinstance(text, str) and 1 <= len(text) <= limit


def _block_ok(block: object) -> bool:  # noqa: PLR0911 -- one answer per documented rule
    if not isinstance(block, dict):
        return False
    kind = block.get("type")
    if kind not in KNOWN_BLOCKS:
        return False
    if kind == "header":
        return _text_object_ok(block.get("text"), limit=MAX_HEADER_CHARS, plain_only=True)
    if kind == "section":
        text, fields = block.get("text"), block.get("fields")
        if text is None and fields is None:
            return False
        if text is not None and not _text_object_ok(text, limit=MAX_TEXT_OBJECT_CHARS):
            return False
        if fields is not None:
            if not isinstance(fields, list) or not 1 <= len(fields) <= MAX_FIELDS:
                return False
            return all(_text_object_ok(f, limit=MAX_FIELD_CHARS) for f in fields)
        return True
    if kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
            return False
        return all(
            _text_object_ok(e, limit=MAX_TEXT_OBJECT_CHARS)
            for e in elements
            if isinstance(e, dict) and e.get("type") != "image"
        )
    return True


def check_post(body: dict[str, Any]) -> str | None:  # noqa: PLR0911 -- one code per rule
    """The Slack error code for ``body``, or ``None`` if Slack would accept it."""
    text = body.get("text")
    blocks = body.get("blocks")
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except json.JSONDecodeError:
            return "invalid_blocks_format"
    if not text and not blocks:
        return "no_text"
    if text is not None and not isinstance(text, str):
        return "invalid_arguments"
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        return "msg_too_long"
    if blocks is not None:
        if not isinstance(blocks, list):
            return "invalid_blocks_format"
        if len(blocks) > MAX_BLOCKS or not all(_block_ok(block) for block in blocks):
            return "invalid_blocks"
        size = len(json.dumps(blocks, ensure_ascii=False, separators=(",", ":")))
        if size > MAX_BLOCKS_CHARS:
            return "msg_blocks_too_long"
    metadata = body.get("metadata")
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            return "invalid_metadata_format"
    if metadata is not None and (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        return "invalid_metadata_format"
    return None
