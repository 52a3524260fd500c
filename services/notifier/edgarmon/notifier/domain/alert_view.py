"""What an alert says, independent of where it goes.

:func:`build_alert_view` reads a classified filing once and produces an
:class:`AlertView`: short, cleaned, *unescaped* lines that the Slack and e-mail
renderers format (and escape) their own way. Both channels therefore say the
same thing. Every string taken from the filing passes :func:`clean_line`, which
removes control characters and bounds its length; links are kept only to hosts
on the allowed list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlsplit

from edgarmon.core.domain.filing import Company, Filing
from edgarmon.core.domain.form8k import item_caption
from edgarmon.core.domain.messages import (
    ClinicalUpdateLabel,
    CorrespondenceLabel,
    FilingClassified,
    Item801Label,
    ItemSource,
    Label,
    LabelId,
    LetterDirection,
    OtherLabel,
    ReviewedFiling,
)
from edgarmon.notifier.domain.plain_text import clean_line
from edgarmon.notifier.domain.tickers import TickerMap

MAX_DOCUMENT_LINKS: Final = 10
MAX_OTHER_DETAILS: Final = 8
NAME_CHARS: Final = 120
VALUE_CHARS: Final = 300
QUOTE_CHARS: Final = 600
_PRIMARY_ROLES: Final = ("subject", "issuer", "filer", "filed by")

LABEL_TITLES: Final = {
    LabelId.SEC_CORRESPONDENCE: "SEC correspondence",
    LabelId.ITEM_8_01: "8-K Item 8.01 (Other Events)",
    LabelId.CLINICAL_UPDATE: "Clinical update",
}
_DIRECTIONS: Final = {
    LetterDirection.SEC_TO_COMPANY: "SEC staff to company",
    LetterDirection.COMPANY_TO_SEC: "Company to SEC staff",
}
_ITEM_SOURCES: Final = {
    ItemSource.EVENT: "feed summary",
    ItemSource.SGML_HEADER: "SGML header",
    ItemSource.DOCUMENT: "the document's item headings",
    ItemSource.GIVEN: "given by the caller",
}


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str | None
    """``None`` when the URL's host is not on the allowed list: show the text only."""


@dataclass(frozen=True, slots=True)
class Detail:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class LabelView:
    label_id: LabelId
    title: str
    confidence: float
    details: tuple[Detail, ...]
    quote: str | None = None
    headline: str = ""
    """One line for digests: ``Clinical update: huC242-DM4 (Phase I, Phase II)``."""


@dataclass(frozen=True, slots=True)
class AlertView:
    accession_number: str
    route: str
    company: str
    cik: int
    ticker: str | None
    other_companies: tuple[str, ...]
    form_type: str
    amendment: bool
    accepted_at_et: str
    filing_date: str
    items: tuple[str, ...]
    labels: tuple[LabelView, ...]
    index_link: Link
    documents: tuple[Link, ...]
    documents_omitted: int = 0

    @property
    def company_line(self) -> str:
        """``ImmunoGen, Inc. (IMGN)``, or the name alone when no ticker is known."""
        return f"{self.company} ({self.ticker})" if self.ticker else self.company

    @property
    def title(self) -> str:
        return f"{self.company_line} · {self.form_type}"

    @property
    def label_titles(self) -> tuple[str, ...]:
        return tuple(label.title for label in self.labels)


def primary_company(filing: Filing) -> Company:
    """The company an alert is about: the subject or issuer if named, else the filer."""
    for role in _PRIMARY_ROLES:
        for company in filing.companies:
            if company.role.strip().lower() == role:
                return company
    return filing.companies[0]


def safe_link_url(url: str, allowed_hosts: Collection[str]) -> str | None:
    """``url`` with unsafe characters percent-encoded, or ``None`` if its scheme or host
    is not allowed (or it carries credentials)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"https", "http"} or parts.username or parts.password:
        return None
    if host not in allowed_hosts:
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")


def build_alert_view(
    classified: FilingClassified,
    *,
    route: str,
    tickers: TickerMap,
    link_hosts: Collection[str],
) -> AlertView:
    filing = classified.filing
    company = primary_company(filing)
    others = tuple(
        f"{clean_line(other.name, NAME_CHARS)} ({clean_line(other.role, 40)}, CIK {other.cik})"
        for other in filing.companies
        if other is not company
    )
    documents = tuple(
        Link(
            text=clean_line(f"{doc.type} · {doc.description or doc.filename}", VALUE_CHARS),
            url=safe_link_url(doc.url, link_hosts),
        )
        for doc in filing.documents[:MAX_DOCUMENT_LINKS]
    )
    items = classified.items or filing.items
    return AlertView(
        accession_number=filing.accession_number,
        route=route,
        company=clean_line(company.name, NAME_CHARS) or f"CIK {company.cik}",
        cik=company.cik,
        ticker=tickers.ticker(company.cik),
        other_companies=others,
        form_type=clean_line(filing.form_type, 20),
        amendment=filing.is_amendment,
        accepted_at_et=filing.accepted_at_eastern().strftime("%Y-%m-%d %H:%M:%S %Z"),
        filing_date=filing.filing_date.isoformat(),
        items=tuple(item_caption(item) for item in items),
        labels=tuple(label_view(label) for label in classified.labels),
        index_link=Link(text="Filing index", url=safe_link_url(filing.index_url, link_hosts)),
        documents=documents,
        documents_omitted=max(0, len(filing.documents) - MAX_DOCUMENT_LINKS),
    )


def label_view(label: Label) -> LabelView:
    title = LABEL_TITLES.get(label.id, str(label.id).replace("_", " ").capitalize())
    if isinstance(label, CorrespondenceLabel):
        details = label.details
        lines = [
            Detail("Direction", _direction(details.direction)),
            Detail("Reviewed filing", describe_reviewed_filing(details.reviewed_filing)),
            Detail("Comments", str(details.comment_count)),
            Detail("Response deadline", details.response_deadline or ""),
            Detail("Letter date", details.letter_date or ""),
            Detail("Staff contacts", ", ".join(details.staff_contacts)),
        ]
        comments = f"{details.comment_count} comment{'' if details.comment_count == 1 else 's'}"
        headline = f"{title}: {_direction(details.direction)}, {comments}"
        return _view(label, title, lines, None, headline)
    if isinstance(label, ClinicalUpdateLabel):
        clinical = label.details
        lines = [
            Detail("Drug", ", ".join(clinical.drugs)),
            Detail("Phase", ", ".join(clinical.phases)),
            Detail("Indication", ", ".join(clinical.indications)),
            Detail("Trials", ", ".join(clinical.trial_ids)),
            Detail("Meeting", clinical.meeting or ""),
            Detail("Event", ", ".join(kind.replace("_", " ") for kind in clinical.event_kinds)),
        ]
        quote_text = clinical.decisive_sentences[0] if clinical.decisive_sentences else None
        drugs = ", ".join(clinical.drugs[:3]) or "no drug named"
        phases = f" ({', '.join(clinical.phases[:3])})" if clinical.phases else ""
        return _view(label, title, lines, quote_text, f"{title}: {drugs}{phases}")
    if isinstance(label, Item801Label):
        lines = [
            Detail("Items", ", ".join(label.details.items)),
            Detail("Read from", _ITEM_SOURCES.get(label.details.decided_by, "")),
        ]
        return _view(label, title, lines, None, title)
    return _view(label, title, other_label_details(label), _first_evidence(label), title)


def other_label_details(label: OtherLabel) -> list[Detail]:
    """A label from a newer classifier: its rationale and the plain values of its
    details, as far as they are plain (nested values are left to newer consumers)."""
    lines = [Detail("Why", label.rationale)]
    for name, value in list(label.details.items())[:MAX_OTHER_DETAILS]:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            lines.append(Detail(name.replace("_", " ").capitalize(), str(value)))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            lines.append(Detail(name.replace("_", " ").capitalize(), ", ".join(map(str, value))))
    return lines


def _first_evidence(label: Label) -> str | None:
    return label.evidence[0].text if label.evidence else None


def _direction(direction: LetterDirection) -> str:
    return _DIRECTIONS.get(direction, str(direction).replace("_", " "))


def _view(
    label: Label, title: str, lines: list[Detail], quote_text: str | None, headline: str
) -> LabelView:
    cleaned = (Detail(line.name, clean_line(line.value, VALUE_CHARS)) for line in lines)
    quoted = clean_line(quote_text, QUOTE_CHARS) if quote_text else None
    return LabelView(
        label_id=label.id,
        title=title,
        confidence=label.confidence,
        details=tuple(detail for detail in cleaned if detail.value),
        quote=quoted or None,
        headline=clean_line(headline, VALUE_CHARS),
    )


def describe_reviewed_filing(reviewed: ReviewedFiling | None) -> str:
    """``Form 10-K for the fiscal year ended June 30, 2008 · File No. 000-17999``."""
    if reviewed is None:
        return ""
    parts = []
    head = f"Form {reviewed.form_type}" if reviewed.form_type else ""
    if reviewed.period:
        head = f"{head} for the {reviewed.period}" if head else reviewed.period
    elif reviewed.fiscal_year:
        head = f"{head} for fiscal year {reviewed.fiscal_year}".strip()
    if head:
        parts.append(head)
    if reviewed.file_number:
        parts.append(f"File No. {reviewed.file_number}")
    if reviewed.accession_number:
        parts.append(f"accession {reviewed.accession_number}")
    return " · ".join(parts)
