"""The feed parsers as they were before issue 15, on feedparser: the reference the
lxml parsers (:mod:`edgarmon.poller.domain.atom_feeds`) are held to, in
``test_feed_parser_equivalence.py`` and in ``benchmarks/feed_parse_bench.py``.

Kept as they were (titles split by backtracking regular expressions, entries read
from feedparser's dictionaries); not used by the services. Entry and error for
entry, these give what the service published until the parser was replaced.
"""

from __future__ import annotations

import re
from typing import Any, Final

import feedparser

from edgarmon.core.adapters.edgar_http import rebase_sec_url
from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import Company
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.domain.feed_entries import (
    ROLE_NOT_STATED,
    FeedEntry,
    FeedPage,
    accession_from_text,
    archives_index_url,
    clean_text,
    eastern_datetime,
    filing_date_from_summary,
    iso_day,
    items_from_summary,
    parse_accession,
    parse_cik,
    parse_form_type,
)
from edgarmon.poller.domain.skipped_entries import (
    ENTRY_ERRORS,
    SkippedEntry,
    SkipReason,
    UnreadableEntry,
    shorten,
    skipped_entry,
)

# feedparser flags these although the document parsed fine: the encoding we get is
# the one declared in the document, which is what EDGAR means.
_BENIGN_BOZO: Final = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)

# "FORM - NAME (CIK10) (Role)"; names may contain " - " and parentheses.
_LATEST_TITLE = re.compile(
    r"^(?P<form>.+?) - (?P<name>.*) \((?P<cik>[0-9]+)\) \((?P<role>[^()]+)\)$"
)
# "8-K  - Current report", "S-1/A [Amend]  - ...", "CORRESP [Cover] - Correspondence"
_COMPANY_TITLE = re.compile(r"^(?P<form>.+?)(?:\s+\[[^\]]*\])?\s+-\s")
_COMPANY_FEED_TITLE_CIK = re.compile(r"\(([0-9]+)\)\s*$")


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
    skipped: list[SkippedEntry] = []
    for position, raw in enumerate(parsed.entries):
        try:
            entries.append(_latest_entry(raw, base_url))
        except ENTRY_ERRORS as error:
            skipped.append(_skipped(error, DiscoverySource.LATEST_FEED, position, raw))
    return FeedPage(tuple(entries), tuple(skipped), raw_entry_count=len(parsed.entries))


def _skipped(error: Exception, source: DiscoverySource, position: int, raw: Any) -> SkippedEntry:
    where = f"entry {position} ({shorten(raw.get('title', '?'), 80)!r})"
    return skipped_entry(error, source=source, entry_id=_entry_id(raw), where=where)


def _entry_id(raw: Any) -> str:
    """What names an entry that may be unreadable: its accession number if any can be
    found, else its Atom id or title."""
    stated = raw.get("accession-number") or raw.get("accession-nunber")
    found = accession_from_text(
        str(raw.get("id", "")), str(raw.get("summary", "")), str(raw.get("link", ""))
    )
    return str(found or stated or raw.get("id") or raw.get("title") or "")


def _latest_entry(raw: Any, base_url: str) -> FeedEntry:
    title = clean_text(str(raw.get("title", "")))
    match = _LATEST_TITLE.match(title)
    if match is None:
        raise UnreadableEntry(SkipReason.BAD_LAYOUT, "title is not 'FORM - NAME (CIK) (Role)'")
    summary = str(raw.get("summary", ""))
    link = str(raw.get("link", ""))
    accession = accession_from_text(str(raw.get("id", "")), summary, link)
    if accession is None:
        raise UnreadableEntry(SkipReason.NO_ACCESSION, "no accession number in id, summary or link")
    accession = parse_accession(accession)
    accepted_at = eastern_datetime(_updated(raw))
    form_type = parse_form_type(_category_form(raw) or match.group("form"))
    cik = parse_cik(match.group("cik"))
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
    source = DiscoverySource.COMPANY_FEED
    raw_cik = _feed_cik(parsed.feed)
    try:
        company = _feed_company(parsed.feed, raw_cik)
    except ENTRY_ERRORS as error:
        # every entry is the company's: none can be published without it
        where = f"the feed's company (its {len(parsed.entries)} entries are skipped with it)"
        lost = skipped_entry(error, source=source, entry_id=f"company CIK {raw_cik}", where=where)
        return FeedPage((), (lost,), raw_entry_count=len(parsed.entries))
    entries: list[FeedEntry] = []
    skipped: list[SkippedEntry] = []
    for position, raw in enumerate(parsed.entries):
        try:
            entries.append(_company_entry(raw, company, base_url))
        except ENTRY_ERRORS as error:
            skipped.append(_skipped(error, source, position, raw))
    return FeedPage(tuple(entries), tuple(skipped), raw_entry_count=len(parsed.entries))


def _feed_cik(feed: Any) -> str:
    """The CIK the feed's ``<company-info>`` (or else its title) states, unchecked."""
    raw_cik = str(feed.get("cik", "")).strip()
    if not raw_cik:
        match = _COMPANY_FEED_TITLE_CIK.search(clean_text(str(feed.get("title", ""))))
        raw_cik = match.group(1) if match else ""
    if not raw_cik:
        raise FeedParseError("the company feed names no CIK in <company-info> or its title")
    return raw_cik


def _feed_company(feed: Any, raw_cik: str) -> Company:
    cik = parse_cik(raw_cik)
    title = clean_text(str(feed.get("title", "")))
    name = clean_text(str(feed.get("conformed-name", ""))) or _COMPANY_FEED_TITLE_CIK.sub("", title)
    return Company(cik=cik, name=clean_text(name) or str(cik), role=ROLE_NOT_STATED)


def _company_entry(raw: Any, company: Company, base_url: str) -> FeedEntry:
    summary = str(raw.get("summary", ""))
    link = str(raw.get("filing-href") or raw.get("link") or "")
    accession = (
        raw.get("accession-number")
        or raw.get("accession-nunber")
        or accession_from_text(str(raw.get("id", "")), summary, link)
    )
    if not accession:
        raise UnreadableEntry(SkipReason.NO_ACCESSION, "no accession number")
    accession = parse_accession(str(accession))
    form_type = _category_form(raw) or clean_text(str(raw.get("filing-type", "")))
    if not form_type:
        match = _COMPANY_TITLE.match(clean_text(str(raw.get("title", ""))) + " ")
        if match is None:
            raise UnreadableEntry(
                SkipReason.BAD_FORM, "no form type in category, filing-type or title"
            )
        form_type = match.group("form")
    form_type = parse_form_type(form_type)
    accepted_at = eastern_datetime(_updated(raw))
    raw_date = str(raw.get("filing-date", "")).strip()
    filing_date = (
        iso_day(raw_date, "filing date")
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


def _updated(raw: Any) -> str:
    updated = raw.get("updated")
    if not updated:
        raise UnreadableEntry(SkipReason.BAD_DATE, "no acceptance time (<updated>)")
    return str(updated)


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
