"""Escaping and cutting Slack mrkdwn.

Slack reads ``<...>`` as control sequences: ``<!channel>``, ``<@U123>``,
``<#C123>``, ``<http://evil|click>``. Escaping ``&``, ``<`` and ``>`` as HTML
entities (what Slack documents) turns every such sequence in filing text into
literal text. After escaping, the only ``<`` in a string are the links this
module builds itself, which lets :func:`cut_mrkdwn` shorten text without ever
splitting an entity or a link.
"""

from __future__ import annotations

from typing import Final

from edgarmon.notifier.domain.plain_text import ELLIPSIS

_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_mrkdwn(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so that ``text`` is shown literally."""
    return text.translate(_ESCAPES)


def mrkdwn_link(url: str, text: str) -> str:
    """A link ``<url|text>`` with both parts escaped. ``url`` must already be checked
    (see ``alert_view.safe_link_url``); it is escaped here, not validated."""
    label = escape_mrkdwn(text.replace("|", "/"))
    return f"<{escape_mrkdwn(url)}|{label}>"


def bold(text: str) -> str:
    """``*text*`` for text that is already escaped, without stray asterisks inside."""
    return f"*{text.replace('*', '')}*"


def cut_mrkdwn(text: str, limit: int) -> str:
    """Shorten escaped mrkdwn to at most ``limit`` characters, ending in an ellipsis
    when cut, never inside an ``&...;`` entity or a ``<...>`` link."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    open_link = cut.rfind("<")
    if open_link > cut.rfind(">"):
        cut = cut[:open_link]
    ampersand = cut.rfind("&")
    if ampersand > cut.rfind(";"):
        cut = cut[:ampersand]
    return cut.rstrip() + ELLIPSIS
