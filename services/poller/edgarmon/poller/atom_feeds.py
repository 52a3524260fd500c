"""Parsing EDGAR's Atom feeds with feedparser: the latest-filings feed (getcurrent)
and the per-company feeds (getcompany).

Both are ISO-8859-1 (some related feeds are windows-1252); feedparser decodes them
from the XML declaration. A document that is not a well-formed Atom feed (a
truncated body, an HTML error page) raises :class:`FeedParseError`; a single
entry that cannot be read is skipped and reported in ``FeedPage.rejected``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

import feedparser
import structlog

from edgarmon.core.edgar_http import rebase_sec_url
from edgarmon.core.errors import FeedParseError
from edgarmon.core.filing import Company, normalize_accession
from edgarmon.poller.feed_entries import (
    ROLE_NOT_STATED,
    FeedEntry,
    FeedPage,
    accession_from_text,
    archives_index_url,
    clean_text,
    eastern_datetime,
    filing_date_from_summary,
    items_from_summary,
)

log = structlog.get_logger(__name__)

# feedparser flags these although the document parsed fine: the encoding we get is
# the one declared in the document, which is what EDGAR means.
_BENIGN_BOZO: Final = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)

# "FORM - NAME (CIK10) (Role)"; names may contain " - " and parentheses.
_LATEST_TITLE = re.compile(
    r"^(?P<form>.+?) - (?P<name>.*) \((?P<cik>\d{1,10})\) \((?P<role>[^()]+)\)$"
)
# "8-K  - Current report", "S-1/A [Amend]  - ...", "CORRESP [Cover] - Correspondence"
_COMPANY_TITLE = re.compile(r"^(?P<form>.+?)(?:\s+\[[^\]]*\])?\s+-\s")
_COMPANY_FEED_TITLE_CIK = re.compile(r"\((\d{1,10})\)\s*$")


def _parse(body: bytes, what: str) -> Any:
    if not body.strip():
        raise FeedParseError(f"the {what} is empty")
    parsed = feedparser.parse(body)
    exception = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(exception, _BENIGN_BOZO):
        where = ""
        line = getattr(exception, "getLineNumber", None)
        if callable(line):
            where = f" at line {line()}"
        raise FeedParseError(f"the {what} is not well-formed XML{where}: {exception}")
    if parsed.get("version") not in {"atom10", "atom03"}:
        raise FeedParseError(
            f"the {what} is not an Atom feed (got {parsed.get('version') or 'no feed'!r}); "
            f"it starts {body[:80]!r}"
        )
    return parsed


def parse_latest_feed(body: bytes, *, base_url: str) -> FeedPage:
    """Parse one page of the latest-filings feed. Links are mapped onto ``base_url``."""
    parsed = _parse(body, "latest-filings feed")
    entries: list[FeedEntry] = []
    rejected: list[str] = []
    for position, raw in enumerate(parsed.entries):
        try:
            entries.append(_latest_entry(raw, base_url))
        except (ValueError, KeyError) as exc:
            reason = f"entry {position} ({raw.get('title', '?')!r}): {exc}"
            rejected.append(reason)
            log.warning("skipped an unreadable latest-feed entry", reason=reason)
    return FeedPage(tuple(entries), tuple(rejected), raw_entry_count=len(parsed.entries))


def _latest_entry(raw: Any, base_url: str) -> FeedEntry:
    title = clean_text(str(raw.get("title", "")))
    match = _LATEST_TITLE.match(title)
    if match is None:
        raise ValueError("title is not 'FORM - NAME (CIK) (Role)'")
    summary = str(raw.get("summary", ""))
    link = str(raw.get("link", ""))
    accession = accession_from_text(str(raw.get("id", "")), summary, link)
    if accession is None:
        raise ValueError("no accession number in id, summary or link")
    accession = normalize_accession(accession)
    accepted_at = eastern_datetime(str(raw["updated"]))
    form_type = _category_form(raw) or clean_text(match.group("form"))
    cik = int(match.group("cik"))
    return FeedEntry(
        accession_number=accession,
        form_type=form_type,
        company=Company(
            cik=cik, name=clean_text(match.group("name")), role=clean_text(match.group("role"))
        ),
        accepted_at=accepted_at,
        filing_date=filing_date_from_summary(summary) or accepted_at.date(),
        index_url=_index_url(link, base_url, cik, accession),
        items=items_from_summary(summary),
    )


def parse_company_feed(body: bytes, *, base_url: str) -> FeedPage:
    """Parse a per-company feed. The company comes from the feed's ``<company-info>``;
    entries carry their own accession (``accession-number``, or the 2016 misspelling
    ``accession-nunber``), form type, filing date and acceptance time."""
    parsed = _parse(body, "company feed")
    company = _feed_company(parsed.feed)
    entries: list[FeedEntry] = []
    rejected: list[str] = []
    for position, raw in enumerate(parsed.entries):
        try:
            entries.append(_company_entry(raw, company, base_url))
        except (ValueError, KeyError) as exc:
            reason = f"entry {position} ({raw.get('title', '?')!r}): {exc}"
            rejected.append(reason)
            log.warning("skipped an unreadable company-feed entry", reason=reason)
    return FeedPage(tuple(entries), tuple(rejected), raw_entry_count=len(parsed.entries))


def _feed_company(feed: Any) -> Company:
    raw_cik = str(feed.get("cik", "")).strip()
    title = clean_text(str(feed.get("title", "")))
    if not raw_cik:
        match = _COMPANY_FEED_TITLE_CIK.search(title)
        raw_cik = match.group(1) if match else ""
    if not raw_cik.isdigit():
        raise FeedParseError("the company feed names no CIK in <company-info> or its title")
    name = clean_text(str(feed.get("conformed-name", ""))) or _COMPANY_FEED_TITLE_CIK.sub("", title)
    return Company(cik=int(raw_cik), name=clean_text(name) or raw_cik, role=ROLE_NOT_STATED)


def _company_entry(raw: Any, company: Company, base_url: str) -> FeedEntry:
    summary = str(raw.get("summary", ""))
    link = str(raw.get("filing-href") or raw.get("link") or "")
    accession = (
        raw.get("accession-number")
        or raw.get("accession-nunber")
        or accession_from_text(str(raw.get("id", "")), summary, link)
    )
    if not accession:
        raise ValueError("no accession number")
    accession = normalize_accession(str(accession))
    form_type = _category_form(raw) or clean_text(str(raw.get("filing-type", "")))
    if not form_type:
        match = _COMPANY_TITLE.match(clean_text(str(raw.get("title", ""))) + " ")
        if match is None:
            raise ValueError("no form type in category, filing-type or title")
        form_type = match.group("form")
    accepted_at = eastern_datetime(str(raw["updated"]))
    raw_date = str(raw.get("filing-date", "")).strip()
    filing_date = (
        date.fromisoformat(raw_date)
        if raw_date
        else filing_date_from_summary(summary) or accepted_at.date()
    )
    return FeedEntry(
        accession_number=accession,
        form_type=form_type,
        company=company,
        accepted_at=accepted_at,
        filing_date=filing_date,
        index_url=_index_url(link, base_url, company.cik, accession),
        items=items_from_summary(summary),
    )


def _index_url(link: str, base_url: str, cik: int, accession: str) -> str:
    if link.startswith(("https://", "http://", "/")) and "-index.htm" in link:
        return rebase_sec_url(link, base_url)
    return archives_index_url(base_url, cik, accession)


def _category_form(raw: Any) -> str | None:
    for tag in raw.get("tags", ()) or ():
        term = clean_text(str(tag.get("term") or ""))
        if term and (tag.get("label") in (None, "form type")):
            return term
    return None
