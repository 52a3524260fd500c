"""E-mail rendering: golden .eml for both seeds, threading, and header safety."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

from edgarmon.core.domain.filing import Company
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.domain.alert_view import AlertView, build_alert_view
from edgarmon.notifier.domain.email_render import (
    alert_message_id,
    render_alert_email,
    render_digest_email,
    thread_root_id,
)
from edgarmon.notifier.domain.tickers import TickerMap

Golden = Callable[[str, bytes], None]
SENDER = "edgarmon alerts <alerts@example.com>"
RECIPIENT = "analyst@example.com"
DOMAIN = "alerts.example.com"
SENT = datetime(2024, 6, 3, 14, 0, 0, tzinfo=UTC)


def view_of(
    classified: FilingClassified, tickers: TickerMap, route: str = "biotech-watch"
) -> AlertView:
    return build_alert_view(classified, route=route, tickers=tickers, link_hosts=("www.sec.gov",))


def email_of(view: AlertView) -> EmailMessage:
    return render_alert_email(view, sender=SENDER, recipient=RECIPIENT, domain=DOMAIN, date=SENT)


def parsed(message: EmailMessage) -> EmailMessage:
    result = message_from_bytes(message.as_bytes(), policy=default_policy)
    assert isinstance(result, EmailMessage)
    return result


def parts(message: EmailMessage) -> tuple[str, str]:
    received = parsed(message)
    text = received.get_body(("plain",))
    markup = received.get_body(("html",))
    assert text is not None
    assert markup is not None
    assert isinstance(text, EmailMessage)
    assert isinstance(markup, EmailMessage)
    return str(text.get_content()), str(markup.get_content())


def html_as_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_golden_upload_letter(letter: FilingClassified, tickers: TickerMap, golden: Golden) -> None:
    golden("email_upload_letter.eml", email_of(view_of(letter, tickers)).as_bytes())


def test_golden_8k_clinical(eight_k: FilingClassified, tickers: TickerMap, golden: Golden) -> None:
    golden("email_8k_clinical.eml", email_of(view_of(eight_k, tickers)).as_bytes())


def test_golden_digest(
    letter: FilingClassified, eight_k: FilingClassified, tickers: TickerMap, golden: Golden
) -> None:
    views = [view_of(eight_k, tickers, "daily"), view_of(letter, tickers, "daily")]
    message = render_digest_email(
        views, route="daily", sender=SENDER, recipient=RECIPIENT, domain=DOMAIN, date=SENT
    )
    golden("email_digest.eml", message.as_bytes())


def test_multipart_alternative_with_the_same_content(
    eight_k: FilingClassified, tickers: TickerMap
) -> None:
    view = view_of(eight_k, tickers)
    message = email_of(view)
    assert message.get_content_type() == "multipart/alternative"
    text, markup = parts(message)
    markup_text = html_as_text(markup)
    expected = [view.title, view.accepted_at_et, view.index_link.url or ""]
    expected += [detail.value for label in view.labels for detail in label.details]
    expected += [label.quote or "" for label in view.labels] + list(view.items)
    for value in expected:
        assert value in text, value
        assert value in markup_text or value in markup, value


def test_headers(letter: FilingClassified, tickers: TickerMap) -> None:
    received = parsed(email_of(view_of(letter, tickers)))
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Message-ID"] == f"<0000000000-09-024633.biotech-watch@{DOMAIN}>"
    assert received["References"] == f"<thread.855654.upload.biotech-watch@{DOMAIN}>"
    assert received["In-Reply-To"] is None
    assert received["Subject"] == (
        "[edgarmon] SEC correspondence: ImmunoGen, Inc. (IMGN) UPLOAD - 0000000000-09-024633"
    )


def test_message_ids_are_stable_per_filing_and_route(
    eight_k: FilingClassified, tickers: TickerMap
) -> None:
    first = email_of(view_of(eight_k, tickers))["Message-ID"]
    again = email_of(view_of(eight_k, tickers))["Message-ID"]
    other_route = email_of(view_of(eight_k, tickers, "other-route"))["Message-ID"]
    assert (
        first == again == alert_message_id(eight_k.filing.accession_number, "biotech-watch", DOMAIN)
    )
    assert other_route != first


def test_an_amendment_threads_under_the_original(
    eight_k: FilingClassified, eight_k_amendment: FilingClassified, tickers: TickerMap
) -> None:
    original = parsed(email_of(view_of(eight_k, tickers)))
    amendment = parsed(email_of(view_of(eight_k_amendment, tickers)))
    root = thread_root_id(855654, "8-K", "biotech-watch", DOMAIN)
    assert original["References"] == root
    assert amendment["References"] == root
    assert amendment["In-Reply-To"] == root
    assert amendment["Message-ID"] != original["Message-ID"]
    assert "8-K/A" in str(amendment["Subject"])


def test_filing_text_cannot_inject_headers(eight_k: FilingClassified, tickers: TickerMap) -> None:
    hostile = "Evil & Co\r\nBcc: victim@example.com\r\n\r\n<script>alert(1)</script>"
    company = Company(cik=855654, name=hostile, role="Filer")
    filing = eight_k.filing.model_copy(
        update={"companies": (company,), "form_type": "8-K\r\nX-Injected: yes"}
    )
    message = email_of(view_of(eight_k.model_copy(update={"filing": filing}), tickers))
    raw = message.as_bytes()
    received = parsed(message)
    assert received["Bcc"] is None
    assert received["X-Injected"] is None
    assert b"\r\nBcc:" not in raw
    assert b"\r\nX-Injected:" not in raw
    subject = str(received["Subject"])
    assert "\n" not in subject
    assert "\r" not in subject
    assert len(subject) <= 180
    text, markup = parts(message)
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert "Evil &amp; Co" in markup
    assert "Evil & Co Bcc: victim@example.com" in text


def test_digest_message_id_depends_on_its_filings(
    letter: FilingClassified, eight_k: FilingClassified, tickers: TickerMap
) -> None:
    def digest(*filings: FilingClassified) -> str:
        views = [view_of(f, tickers, "daily") for f in filings]
        message = render_digest_email(
            views, route="daily", sender=SENDER, recipient=RECIPIENT, domain=DOMAIN, date=SENT
        )
        return str(message["Message-ID"])

    assert digest(letter, eight_k) == digest(eight_k, letter)
    assert digest(letter) != digest(letter, eight_k)
