"""E-mail alerts: ``multipart/alternative`` with a text and an HTML part saying the same.

Headers:

- ``Message-ID`` is stable per (filing, route): ``<ACCESSION.ROUTE@DOMAIN>``. A
  redelivery after a crash therefore carries the same id, and mail clients and
  archives can fold the duplicate.
- Threading. An amendment (``8-K/A``) does not say which filing it amends, so the
  thread root is a deterministic id per (company CIK, base form, route):
  ``<thread.CIK.BASEFORM.ROUTE@DOMAIN>``. Every alert carries it in
  ``References``, and amendments also in ``In-Reply-To``, so an amendment lands in
  the same thread as the filing it amends (and that company's other filings of
  that form on that route). The root is never sent itself; clients thread on the
  shared ancestor.
- ``Auto-Submitted: auto-generated`` and ``X-Auto-Response-Suppress: All`` keep
  auto-responders quiet.
- No header value comes raw from a filing. The subject is built from
  :func:`clean_line` output (no CR, LF or other controls, bounded length); ids are
  built from the accession number (validated), the route name (validated) and a
  slug of the form type. ``email.policy.SMTP`` refuses CR/LF in headers as a
  second line of defence.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Final

from edgarmon.notifier.domain.alert_view import AlertView, LabelView, Link
from edgarmon.notifier.domain.plain_text import clean_line, slug

SUBJECT_CHARS: Final = 180
SUBJECT_COMPANY_CHARS: Final = 60
_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_FALLBACK_DOMAIN: Final = "edgarmon.invalid"


_ID_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _token(route: str) -> str:
    """Route names are validated to ``[a-z0-9_-]``; anything else is slugged."""
    return route if _ID_TOKEN.match(route) else slug(route, 64)


def _domain(domain: str) -> str:
    return domain if _DOMAIN.match(domain) else _FALLBACK_DOMAIN


def base_form(view: AlertView) -> str:
    return view.form_type[:-2] if view.amendment else view.form_type


def alert_message_id(accession_number: str, route: str, domain: str) -> str:
    """The stable Message-ID of the alert for one filing on one route."""
    return f"<{accession_number}.{_token(route)}@{_domain(domain)}>"


def thread_root_id(cik: int, form: str, route: str, domain: str) -> str:
    """The id every alert about ``cik``'s ``form`` filings on ``route`` refers to."""
    return f"<thread.{cik}.{slug(form, 20)}.{_token(route)}@{_domain(domain)}>"


def digest_message_id(route: str, accession_numbers: Sequence[str], domain: str) -> str:
    """Stable per (route, set of filings), so a resent digest keeps its id."""
    digest = hashlib.sha256("|".join(sorted(accession_numbers)).encode()).hexdigest()[:16]
    return f"<digest.{_token(route)}.{digest}@{_domain(domain)}>"


def alert_subject(view: AlertView) -> str:
    labels = ", ".join(view.label_titles) or "Filing"
    company = clean_line(view.company, SUBJECT_COMPANY_CHARS)
    ticker = f" ({view.ticker})" if view.ticker else ""
    subject = f"[edgarmon] {labels}: {company}{ticker} {view.form_type} - {view.accession_number}"
    return clean_line(subject, SUBJECT_CHARS)


# --- the body, as rows that both parts render ---------------------------------


def _summary_rows(view: AlertView) -> list[tuple[str, str]]:
    rows = [
        ("Labels", ", ".join(view.label_titles) or "none"),
        ("Company", f"{view.company} · CIK {view.cik}"),
        ("Ticker", view.ticker or "—"),
        ("Form", view.form_type + (" (amendment)" if view.amendment else "")),
        ("Accepted (ET)", view.accepted_at_et),
        ("Filing date", view.filing_date),
        ("Accession", view.accession_number),
    ]
    if view.items:
        rows.append(("Items", "; ".join(view.items)))
    if view.other_companies:
        rows.append(("Also in this filing", "; ".join(view.other_companies)))
    return rows


def _links(view: AlertView) -> list[Link]:
    return [view.index_link, *view.documents]


def _footer(route: str) -> str:
    return (
        f'Sent automatically by edgarmon for route "{route}". '
        "Replies are not read; change routes in the routes file."
    )


def _text_label(label: LabelView) -> list[str]:
    lines = [f"{label.title} · confidence {label.confidence:.2f}"]
    lines += [f"  - {detail.name}: {detail.value}" for detail in label.details]
    if label.quote:
        lines.append(f"  > {label.quote}")
    return lines


def _text_link(link: Link) -> str:
    return f"{link.text}: {link.url}" if link.url else f"{link.text} (link not shown)"


def alert_text(view: AlertView) -> str:
    lines = [view.title, ""]
    lines += [f"{name}: {value}" for name, value in _summary_rows(view)]
    for label in view.labels:
        lines += ["", *_text_label(label)]
    lines += ["", "Links:"] + [f"  {_text_link(link)}" for link in _links(view)]
    if view.documents_omitted:
        lines.append(f"  and {view.documents_omitted} more documents")
    lines += ["", "-- ", _footer(view.route)]
    return "\n".join(lines) + "\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_link(link: Link) -> str:
    if link.url is None:
        return f"{_e(link.text)} (link not shown)"
    return f'<a href="{_e(link.url)}">{_e(link.text)}</a>'


def _html_label(label: LabelView) -> str:
    parts = [f"<h3>{_e(label.title)} · confidence {label.confidence:.2f}</h3>", "<ul>"]
    parts += [f"<li><b>{_e(d.name)}:</b> {_e(d.value)}</li>" for d in label.details]
    parts.append("</ul>")
    if label.quote:
        parts.append(f"<blockquote>{_e(label.quote)}</blockquote>")
    return "\n".join(parts)


def alert_html(view: AlertView) -> str:
    rows = "\n".join(
        f'<tr><th align="left">{_e(name)}</th><td>{_e(value)}</td></tr>'
        for name, value in _summary_rows(view)
    )
    links = "\n".join(f"<li>{_html_link(link)}</li>" for link in _links(view))
    if view.documents_omitted:
        links += f"\n<li>and {view.documents_omitted} more documents</li>"
    labels = "\n".join(_html_label(label) for label in view.labels)
    return (
        "<!DOCTYPE html>\n<html><body>\n"
        f"<h2>{_e(view.title)}</h2>\n<table>\n{rows}\n</table>\n"
        f"{labels + chr(10) if labels else ''}"
        f"<h3>Links</h3>\n<ul>\n{links}\n</ul>\n"
        f"<hr>\n<p>{_e(_footer(view.route))}</p>\n</body></html>\n"
    )


# --- the message -------------------------------------------------------------


def _message(
    *,
    subject: str,
    text: str,
    html_body: str,
    sender: str,
    recipient: str,
    message_id: str,
    date: datetime,
) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html_body, subtype="html", cte="quoted-printable")
    boundary = hashlib.sha256(message_id.encode()).hexdigest()[:24]
    message.set_boundary(f"=_edgarmon_{boundary}")
    return message


def render_alert_email(
    view: AlertView, *, sender: str, recipient: str, domain: str, date: datetime
) -> EmailMessage:
    """The e-mail for one filing on one route, to one recipient."""
    message = _message(
        subject=alert_subject(view),
        text=alert_text(view),
        html_body=alert_html(view),
        sender=sender,
        recipient=recipient,
        message_id=alert_message_id(view.accession_number, view.route, domain),
        date=date,
    )
    root = thread_root_id(view.cik, base_form(view), view.route, domain)
    if view.amendment:
        message["In-Reply-To"] = root
    message["References"] = root
    message["X-Edgarmon-Accession"] = view.accession_number
    message["X-Edgarmon-Route"] = _token(view.route)
    return message


def render_digest_email(
    views: Sequence[AlertView],
    *,
    route: str,
    sender: str,
    recipient: str,
    domain: str,
    date: datetime,
) -> EmailMessage:
    """One e-mail for a route's batched alerts."""
    noun = "filing" if len(views) == 1 else "filings"
    text_lines = [f"edgarmon digest for route {route}: {len(views)} {noun}", ""]
    html_items = []
    for view in views:
        labels = ", ".join(view.label_titles) or "no labels"
        text_lines += [
            f"* {view.title} · {view.accepted_at_et}",
            f"  {labels}",
            f"  {_text_link(view.index_link)}",
            "",
        ]
        html_items.append(
            f"<li><b>{_e(view.title)}</b> · {_e(view.accepted_at_et)}<br>"
            f"{_e(labels)}<br>{_html_link(view.index_link)}</li>"
        )
    text_lines += ["-- ", _footer(route)]
    html_body = (
        "<!DOCTYPE html>\n<html><body>\n"
        f"<h2>{_e(f'edgarmon digest for route {route}: {len(views)} {noun}')}</h2>\n"
        "<ul>\n" + "\n".join(html_items) + "\n</ul>\n"
        f"<hr>\n<p>{_e(_footer(route))}</p>\n</body></html>\n"
    )
    return _message(
        subject=clean_line(f"[edgarmon] Digest for {route}: {len(views)} {noun}", SUBJECT_CHARS),
        text="\n".join(text_lines) + "\n",
        html_body=html_body,
        sender=sender,
        recipient=recipient,
        message_id=digest_message_id(route, [v.accession_number for v in views], domain),
        date=date,
    )
