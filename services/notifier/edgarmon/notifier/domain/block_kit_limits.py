"""Keeping a Block Kit message inside Slack's limits, by cutting, never by failing.

Slack rejects a message with more than 50 blocks, a section or text object over
3,000 characters, a header over 150, more than 10 fields (2,000 characters each),
more than 10 context elements, or about 12,000 characters of blocks in all. A
filing can be long enough to break any of these; :func:`fit_blocks` returns a
copy that keeps every one, shortening the longest texts first and then leaving
out trailing blocks, and says so in a final context block.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any, Final

from edgarmon.notifier.domain.plain_text import shorten
from edgarmon.notifier.domain.slack_mrkdwn import cut_mrkdwn

Block = dict[str, Any]

MAX_BLOCKS: Final = 50
MAX_TEXT_CHARS: Final = 3000
MAX_HEADER_CHARS: Final = 150
MAX_FIELDS: Final = 10
MAX_FIELD_CHARS: Final = 2000
MAX_CONTEXT_ELEMENTS: Final = 10
MAX_BLOCKS_CHARS: Final = 12_000
MIN_CUT_CHARS: Final = 300
SHORTENED_NOTICE: Final = "_Shortened to fit Slack's limits; the filing index has everything._"


def blocks_size(blocks: Sequence[Block]) -> int:
    """Characters of the blocks as JSON: what Slack's overall limit is measured on."""
    return len(json.dumps(list(blocks), ensure_ascii=False, separators=(",", ":")))


def _notice() -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": SHORTENED_NOTICE}]}


def _is_notice(block: Block) -> bool:
    return bool(block == _notice())


def _limit_block(block: Block) -> tuple[Block, bool]:
    """A copy of ``block`` within the per-block limits, and whether anything was cut."""
    fitted = copy.deepcopy(block)
    cut = False

    def limit(text_object: dict[str, Any], chars: int) -> None:
        nonlocal cut
        text = text_object.get("text", "")
        if len(text) > chars:
            plain = text_object.get("type") == "plain_text"
            text_object["text"] = shorten(text, chars) if plain else cut_mrkdwn(text, chars)
            cut = True

    kind = fitted.get("type")
    if kind == "header":
        limit(fitted["text"], MAX_HEADER_CHARS)
    elif kind == "section":
        if "text" in fitted:
            limit(fitted["text"], MAX_TEXT_CHARS)
        if "fields" in fitted:
            if len(fitted["fields"]) > MAX_FIELDS:
                fitted["fields"] = fitted["fields"][:MAX_FIELDS]
                cut = True
            for field in fitted["fields"]:
                limit(field, MAX_FIELD_CHARS)
    elif kind == "context":
        if len(fitted["elements"]) > MAX_CONTEXT_ELEMENTS:
            fitted["elements"] = fitted["elements"][:MAX_CONTEXT_ELEMENTS]
            cut = True
        for element in fitted["elements"]:
            if "text" in element:
                limit(element, MAX_TEXT_CHARS)
    return fitted, cut


def _text_objects(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """Every shortenable text object, except headers and the notice."""
    found: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("type") == "header" or _is_notice(block):
            continue
        if isinstance(block.get("text"), dict):
            found.append(block["text"])
        found.extend(block.get("fields", ()))
        found.extend(element for element in block.get("elements", ()) if "text" in element)
    return found


def fit_blocks(blocks: Sequence[Block], *, max_chars: int = MAX_BLOCKS_CHARS) -> list[Block]:
    """A copy of ``blocks`` within Slack's limits. Never raises for long content."""
    fitted: list[Block] = []
    shortened = False
    for block in blocks:
        limited, cut = _limit_block(block)
        fitted.append(limited)
        shortened = shortened or cut
    if len(fitted) > MAX_BLOCKS:
        fitted = fitted[: MAX_BLOCKS - 1]
        shortened = True
    if shortened:
        fitted.append(_notice())
    while blocks_size(fitted) > max_chars:
        if not shortened:
            fitted.append(_notice())
            shortened = True
            if len(fitted) > MAX_BLOCKS:
                del fitted[-2]
            continue
        excess = blocks_size(fitted) - max_chars
        texts = _text_objects(fitted)
        longest = max(texts, key=lambda obj: len(obj.get("text", "")), default=None)
        if longest is not None and len(longest["text"]) > MIN_CUT_CHARS:
            target = max(MIN_CUT_CHARS, len(longest["text"]) - excess - 8)
            longest["text"] = cut_mrkdwn(longest["text"], target)
            continue
        removable = [i for i, b in enumerate(fitted) if i > 0 and not _is_notice(b)]
        if not removable:
            break
        del fitted[removable[-1]]
    return fitted
