"""Parsing EDGAR's Atom feeds: the latest-filings feed (getcurrent) and the
per-company feeds (getcompany).

Both are ISO-8859-1 (some related feeds are windows-1252);
:mod:`edgarmon.poller.domain.atom_documents` decodes and parses the XML (lxml, hardened) into
plain fields, and this module turns them into entries. A document that is not a
well-formed Atom feed (a truncated body, an HTML error page) raises
:class:`FeedParseError`; a single
entry that cannot be read is skipped and described in ``FeedPage.skipped``, and so
is a company feed whose own company cannot be read (with all its entries). The
parsers log nothing: the caller says what was skipped (see
:mod:`edgarmon.poller.domain.skipped_entries`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from edgarmon.core.domain.edgar_rules import rebase_sec_url
from edgarmon.core.domain.errors import FeedParseError
from edgarmon.core.domain.filing import Company
from edgarmon.core.domain.messages import DiscoverySource
from edgarmon.poller.domain.atom_documents import AtomEntry, AtomFeed, read_atom_feed
from edgarmon.poller.domain.entry_titles import company_title_form, split_latest_title
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

_COMPANY_FEED_TITLE_CIK = re.compile(r"\(([0-9]+)\)\s*$")
# an EDGAR link as the feeds write them: rebased by swapping its origin (see _index_url)
_PLAIN_SEC_LINK = re.compile(r"(https?://(?:www\.)?sec\.gov)(/[-.\w][-./\w]*)", re.ASCII)


def parse_latest_feed(body: bytes, *, base_url: str) -> FeedPage:
    """Parse one page of the latest-filings feed. Links are mapped onto ``base_url``."""
    parsed = read_atom_feed(body, "latest-filings feed")
    entries: list[FeedEntry] = []
    skipped: list[SkippedEntry] = []
    for position, raw in enumerate(parsed.entries):
        try:
            entries.append(_latest_entry(raw, base_url))
        except ENTRY_ERRORS as error:
            skipped.append(_skipped(error, DiscoverySource.LATEST_FEED, position, raw))
    return FeedPage(tuple(entries), tuple(skipped), raw_entry_count=len(parsed.entries))


def _skipped(
    error: Exception, source: DiscoverySource, position: int, raw: AtomEntry
) -> SkippedEntry:
    title = "?" if raw.title is None else raw.title
    where = f"entry {position} ({shorten(title, 80)!r})"
    return skipped_entry(error, source=source, entry_id=_entry_id(raw), where=where)


def _entry_id(raw: AtomEntry) -> str:
    """What names an entry that may be unreadable: its accession number if any can be
    found, else its Atom id or title."""
    found = accession_from_text(raw.id, raw.summary, raw.link)
    return found or raw.stated_accession or raw.id or raw.title or ""


def _latest_entry(raw: AtomEntry, base_url: str) -> FeedEntry:
    title = clean_text(raw.title or "")
    parts = split_latest_title(title)
    if parts is None:
        raise UnreadableEntry(SkipReason.BAD_LAYOUT, "title is not 'FORM - NAME (CIK) (Role)'")
    summary = raw.summary
    link = raw.link
    accession = accession_from_text(raw.id, summary, link)
    if accession is None:
        raise UnreadableEntry(SkipReason.NO_ACCESSION, "no accession number in id, summary or link")
    accession = parse_accession(accession)
    accepted_at = eastern_datetime(_updated(raw))
    form_type = parse_form_type(_category_form(raw) or parts.form)
    cik = parse_cik(parts.cik)
    return FeedEntry(
        accession_number=accession,
        form_type=form_type,
        company=Company(cik=cik, name=clean_text(parts.name), role=clean_text(parts.role)),
        accepted_at=accepted_at,
        filing_date=filing_date_from_summary(summary) or accepted_at.date(),
        index_url=_index_url(link, base_url, cik, accession),
        items=items_from_summary(summary),
    )


def parse_company_feed(body: bytes, *, base_url: str) -> FeedPage:
    """Parse a per-company feed. The company comes from the feed's ``<company-info>``;
    entries carry their own accession (``accession-number``, or the 2016 misspelling
    ``accession-nunber``), form type, filing date and acceptance time."""
    parsed = read_atom_feed(body, "company feed")
    source = DiscoverySource.COMPANY_FEED
    raw_cik = _feed_cik(parsed)
    try:
        company = _feed_company(parsed, raw_cik)
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


def _feed_cik(feed: AtomFeed) -> str:
    """The CIK the feed's ``<company-info>`` (or else its title) states, unchecked."""
    raw_cik = feed.cik.strip()
    if not raw_cik:
        match = _COMPANY_FEED_TITLE_CIK.search(clean_text(feed.title))
        raw_cik = match.group(1) if match else ""
    if not raw_cik:
        raise FeedParseError("the company feed names no CIK in <company-info> or its title")
    return raw_cik


def _feed_company(feed: AtomFeed, raw_cik: str) -> Company:
    cik = parse_cik(raw_cik)
    title = clean_text(feed.title)
    name = clean_text(feed.conformed_name) or _COMPANY_FEED_TITLE_CIK.sub("", title)
    return Company(cik=cik, name=clean_text(name) or str(cik), role=ROLE_NOT_STATED)


def _company_entry(raw: AtomEntry, company: Company, base_url: str) -> FeedEntry:
    summary = raw.summary
    link = raw.filing_href or raw.link
    accession = raw.stated_accession or accession_from_text(raw.id, summary, link)
    if not accession:
        raise UnreadableEntry(SkipReason.NO_ACCESSION, "no accession number")
    accession = parse_accession(accession)
    form_type = _category_form(raw) or clean_text(raw.filing_type)
    if not form_type:
        title_form = company_title_form(clean_text(raw.title or ""))
        if title_form is None:
            raise UnreadableEntry(
                SkipReason.BAD_FORM, "no form type in category, filing-type or title"
            )
        form_type = title_form
    form_type = parse_form_type(form_type)
    accepted_at = eastern_datetime(_updated(raw))
    raw_date = raw.filing_date.strip()
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


def _updated(raw: AtomEntry) -> str:
    if not raw.updated:
        raise UnreadableEntry(SkipReason.BAD_DATE, "no acceptance time (<updated>)")
    return raw.updated


def _index_url(link: str, base_url: str, cik: int, accession: str) -> str:
    if link.startswith(("https://", "http://", "/")) and "-index.htm" in link:
        plain = _PLAIN_SEC_LINK.fullmatch(link)
        if plain is None:
            return rebase_sec_url(link, base_url)
        # what rebase_sec_url gives, without splitting every link of the page: a path
        # of these characters only (no query, fragment, space or escape) is kept as is
        return _rebased_origin(plain.group(1), base_url) + plain.group(2)
    return archives_index_url(base_url, cik, accession)


@lru_cache(maxsize=64)
def _rebased_origin(origin: str, base_url: str) -> str:
    """``origin`` (``https://www.sec.gov``) mapped onto ``base_url``, without a final slash."""
    return rebase_sec_url(f"{origin}/", base_url).removesuffix("/")


def _category_form(raw: AtomEntry) -> str | None:
    for raw_term, label in raw.categories:
        term = clean_text(raw_term or "")
        if term and label in (None, "form type"):
            return term
    return None
