"""Block Kit messages for one alert and for a digest.

Every string from a filing that goes into mrkdwn (sections, fields, context, the
notification ``text``) is escaped with :func:`escape_mrkdwn`; mrkdwn objects are
``verbatim`` (no automatic linking of names). A ``plain_text`` header is shown
by Slack as it is, never parsed, so it carries the text as a person reads it
(``R&D <Inc>``, not ``R&amp;D &lt;Inc&gt;``), and the message is posted with
``link_names``, unfurling and parsing off. :func:`fit_blocks` then keeps it
within Slack's limits. ``metadata`` carries the accession number, so a message in
a channel can be traced back to its filing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from edgarmon.notifier.domain.alert_view import AlertView, LabelView, Link
from edgarmon.notifier.domain.block_kit_limits import Block, blocks_size, fit_blocks
from edgarmon.notifier.domain.slack_mrkdwn import bold, cut_mrkdwn, escape_mrkdwn, mrkdwn_link

MAX_FALLBACK_CHARS: Final = 3000
MAX_DIGEST_ENTRIES: Final = 40
DIGEST_ENTRIES_CHARS: Final = 10_000
"""Room for digest entries, leaving space for the trailer within the ~12k limit."""
MAX_METADATA_ACCESSIONS: Final = 100
ALERT_EVENT_TYPE: Final = "edgarmon_filing_alert"
DIGEST_EVENT_TYPE: Final = "edgarmon_filing_digest"


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """A rendered message for ``chat.postMessage``."""

    channel: str
    text: str
    blocks: tuple[Block, ...]
    metadata: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The ``chat.postMessage`` arguments, as sent (and as kept in golden files)."""
        return {
            "channel": self.channel,
            "text": self.text,
            "blocks": list(self.blocks),
            "metadata": self.metadata,
            "unfurl_links": False,
            "unfurl_media": False,
            "link_names": False,
            "parse": "none",
        }


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def link_markup(link: Link) -> str:
    if link.url is None:
        return f"{escape_mrkdwn(link.text)} (link not shown: host not allowed)"
    return mrkdwn_link(link.url, link.text)


def _label_block(label: LabelView) -> Block:
    lines = [f"{bold(escape_mrkdwn(label.title))} · confidence {label.confidence:.2f}"]
    lines += [
        f"• {bold(escape_mrkdwn(detail.name) + ':')} {escape_mrkdwn(detail.value)}"
        for detail in label.details
    ]
    if label.quote:
        lines.append(">" + escape_mrkdwn(label.quote))
    return _section("\n".join(lines))


def _fields(view: AlertView) -> Block:
    form = escape_mrkdwn(view.form_type) + (" (amendment)" if view.amendment else "")
    pairs = [
        ("Company", f"{escape_mrkdwn(view.company)} · CIK {view.cik}"),
        ("Ticker", escape_mrkdwn(view.ticker or "—")),
        ("Form", form),
        ("Accepted (ET)", view.accepted_at_et),
        ("Filing date", view.filing_date),
        ("Accession", view.accession_number),
    ]
    if view.items:
        pairs.append(("Items", "\n".join(escape_mrkdwn(item) for item in view.items)))
    labels = " · ".join(escape_mrkdwn(title) for title in view.label_titles) or "none"
    return {
        "type": "section",
        "text": _mrkdwn(f"{bold('Labels:')} {labels}"),
        "fields": [_mrkdwn(f"{bold(name)}\n{value}") for name, value in pairs],
    }


def _links_block(view: AlertView) -> Block:
    links = [link_markup(view.index_link)] + [link_markup(doc) for doc in view.documents]
    text = " · ".join(links)
    if view.documents_omitted:
        text += f" · and {view.documents_omitted} more documents"
    return _section(f"{bold('Links:')} {text}")


def _footer(route: str, accession_number: str) -> Block:
    return _context(f"edgarmon · route `{escape_mrkdwn(route)}` · accession {accession_number}")


def fallback_text(view: AlertView) -> str:
    """The notification text: escaped, one line, bounded."""
    labels = ", ".join(view.label_titles) or "Filing"
    line = f"{labels}: {view.company_line} filed {view.form_type} at {view.accepted_at_et}"
    return cut_mrkdwn(
        escape_mrkdwn(f"{line} (accession {view.accession_number})"), MAX_FALLBACK_CHARS
    )


def render_alert(view: AlertView, channel: str) -> SlackMessage:
    """The Block Kit message for one filing on one route. Links come early, so that
    cutting an oversized message drops label details before them."""
    blocks: list[Block] = [_header(view.title), _fields(view), _links_block(view)]
    if view.other_companies:
        others = "; ".join(escape_mrkdwn(other) for other in view.other_companies)
        blocks.append(_context(f"Also in this filing: {others}"))
    if view.labels:
        blocks.append({"type": "divider"})
        blocks += [_label_block(label) for label in view.labels]
    blocks.append(_footer(view.route, view.accession_number))
    metadata = {
        "event_type": ALERT_EVENT_TYPE,
        "event_payload": {
            "accession_number": view.accession_number,
            "route": view.route,
            "form_type": escape_mrkdwn(view.form_type),
            "cik": view.cik,
            "labels": [str(label.label_id) for label in view.labels],
        },
    }
    return SlackMessage(
        channel=channel,
        text=fallback_text(view),
        blocks=tuple(fit_blocks(blocks)),
        metadata=metadata,
    )


def _digest_entry(view: AlertView) -> Block:
    """One filing in a digest, at most ~1,000 characters."""
    head = f"{bold(escape_mrkdwn(view.company_line))} · {escape_mrkdwn(view.form_type)}"
    lines = [f"{head} · {view.accepted_at_et}"]
    headlines = [escape_mrkdwn(label.headline) for label in view.labels]
    if headlines:
        lines.append(" · ".join(headlines))
    if view.items:
        lines.append("Items: " + escape_mrkdwn(", ".join(view.items)))
    summary = cut_mrkdwn("\n".join(lines), 700)
    return _section(
        f"{summary}\n{link_markup(view.index_link)} · accession {view.accession_number}"
    )


def render_digest(views: Sequence[AlertView], *, route: str, channel: str) -> SlackMessage:
    """One message for a route's batched alerts, oldest first."""
    count = len(views)
    noun = "filing" if count == 1 else "filings"
    blocks: list[Block] = [_header(f"edgarmon digest · {route} · {count} {noun}")]
    shown = 0
    for view in views[:MAX_DIGEST_ENTRIES]:
        entry = _digest_entry(view)
        if blocks_size([*blocks, entry]) > DIGEST_ENTRIES_CHARS:
            break
        blocks.append(entry)
        shown += 1
    left_out = views[shown:]
    if left_out:
        accessions = ", ".join(view.accession_number for view in left_out)
        blocks.append(_context(cut_mrkdwn(f"And {len(left_out)} more: {accessions}", 1000)))
    blocks.append(_context(f"edgarmon · route `{escape_mrkdwn(route)}` · digest"))
    companies = ", ".join(dict.fromkeys(view.company_line for view in views))
    text = cut_mrkdwn(escape_mrkdwn(f"Digest for {route}: {count} {noun} ({companies})"), 3000)
    metadata = {
        "event_type": DIGEST_EVENT_TYPE,
        "event_payload": {
            "route": route,
            "accession_numbers": [v.accession_number for v in views[:MAX_METADATA_ACCESSIONS]],
            "count": count,
        },
    }
    return SlackMessage(
        channel=channel, text=text, blocks=tuple(fit_blocks(blocks)), metadata=metadata
    )
