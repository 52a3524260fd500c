"""Readable one-screen summaries of what the sinks received, for the demo's output.

What is printed is the message as a reader would see it: Slack's entities
(``&amp;``) decoded, links shown as ``text (url)``, and for mail the subject,
ids and the first lines of the text part. Control characters are replaced, so
a hostile filing cannot drive the terminal.
"""

from __future__ import annotations

import html
import re
from typing import Any

from edgarmon.sinks.slack_server import SlackPost
from edgarmon.sinks.smtp_server import ReceivedMail

_LINK = re.compile(r"<([^|<>]+)\|([^<>]*)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")
MAX_BODY_LINES = 12


def _readable(mrkdwn: str) -> str:
    text = _LINK.sub(lambda found: f"{found.group(2)} ({found.group(1)})", mrkdwn)
    return _CONTROL.sub("?", html.unescape(text).replace("\r\n", "\n"))


def _block_lines(block: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    if isinstance(block.get("text"), dict):
        texts.append(str(block["text"].get("text", "")))
    texts += [str(field.get("text", "")) for field in block.get("fields", ())]
    texts += [str(element.get("text", "")) for element in block.get("elements", ())]
    return [line for text in texts for line in _readable(text).splitlines() if line.strip()]


def describe_slack_post(post: SlackPost) -> str:
    """``[slack #channel ts]`` and the blocks as plain lines."""
    lines = [f"[slack {_readable(post.channel)} ts={post.ts}]"]
    for block in post.blocks:
        lines += [f"  {line}" for line in _block_lines(block)]
    if len(lines) == 1:
        lines.append(f"  {_readable(post.text)}")
    return "\n".join(lines)


def describe_mail(mail: ReceivedMail) -> str:
    """``[mail to ...]``, subject, ids and the start of the text part."""
    message = mail.message
    lines = [
        f"[mail to {', '.join(mail.rcpt_tos)} (tls={mail.over_tls}, auth={mail.authenticated})]",
        f"  Subject: {_readable(str(message['Subject']))}",
        f"  Message-ID: {message['Message-ID']}",
    ]
    if message["In-Reply-To"]:
        lines.append(f"  In-Reply-To: {message['In-Reply-To']}")
    body = message.get_body(("plain",))
    if body is not None:
        content = _readable(str(body.get_content()))
        lines += [f"  | {line}" for line in content.splitlines()[:MAX_BODY_LINES]]
    return "\n".join(lines)
