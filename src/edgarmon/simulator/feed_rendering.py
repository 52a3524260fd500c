"""Rendering simulated filings in EDGAR's own formats: the latest-filings Atom feed
(one entry per company and role), the company Atom feed, and a filing folder's
``index.json`` and ``-index.htm``. Links point at ``https://www.sec.gov`` as on the
real EDGAR; clients map them onto their base URL. Output is ISO-8859-1, as EDGAR's."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from edgarmon.core.domain.filing import LETTER_FORMS
from edgarmon.simulator.filings import EASTERN, SimCompany, SimFiling

SEC: Final = "https://www.sec.gov"


@dataclass(frozen=True, slots=True)
class FeedEntryView:
    filing: SimFiling
    company: SimCompany


def folder_path(cik: int, accession: str) -> str:
    return f"/Archives/edgar/data/{cik}/{accession.replace('-', '')}"


def _encode(text: str) -> bytes:
    return text.encode("iso-8859-1", "xmlcharrefreplace")


def _html_summary(filing: SimFiling) -> str:
    lines = [
        f" <b>Filed:</b> {filing.filing_date:%Y-%m-%d} <b>AccNo:</b> {filing.accession} "
        f"<b>Size:</b> {filing.size_kb} KB"
    ]
    lines += [f"<br>Item {number}: {name}" for number, name in filing.items]
    return escape("\n".join(lines))


def _eastern_header(moment: datetime) -> str:
    local = moment.astimezone(EASTERN)
    return local.strftime("%a, %d %b %Y %H:%M:%S ") + (local.tzname() or "EST")


def render_latest_feed(entries: Sequence[FeedEntryView], now: datetime) -> bytes:
    """One page of ``browse-edgar?action=getcurrent&output=atom``."""
    updated = now.astimezone(EASTERN).replace(microsecond=0).isoformat()
    parts = [
        '<?xml version="1.0" encoding="ISO-8859-1" ?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>Latest Filings - {_eastern_header(now)}</title>",
        '<link rel="alternate" href="/cgi-bin/browse-edgar?action=getcurrent"/>',
        '<link rel="self" href="/cgi-bin/browse-edgar?action=getcurrent"/>',
        f"<id>{SEC}/cgi-bin/browse-edgar?action=getcurrent</id>",
        "<author><name>Webmaster</name><email>webmaster@sec.gov</email></author>",
        f"<updated>{updated}</updated>",
    ]
    for view in entries:
        filing, company = view.filing, view.company
        href = f"{SEC}{folder_path(company.cik, filing.accession)}/{filing.accession}-index.htm"
        title = f"{filing.form_type} - {company.name} ({company.cik:010d}) ({company.role})"
        parts += [
            "<entry>",
            f"<title>{escape(title)}</title>",
            f'<link rel="alternate" type="text/html" href={quoteattr(href)}/>',
            f'<summary type="html">\n{_html_summary(filing)}\n</summary>',
            f"<updated>{filing.accepted_at.astimezone(EASTERN).isoformat()}</updated>",
            f'<category scheme="https://www.sec.gov/" label="form type" '
            f"term={quoteattr(filing.form_type)}/>",
            f"<id>urn:tag:sec.gov,2008:accession-number={filing.accession}</id>",
            "</entry>",
        ]
    parts.append("</feed>")
    return _encode("\n".join(parts) + "\n")


def render_company_feed(company: SimCompany, filings: Iterable[SimFiling], now: datetime) -> bytes:
    """``browse-edgar?action=getcompany&CIK=...&output=atom`` for ``company``."""
    query = f"action=getcompany&amp;CIK={company.cik:010d}&amp;owner=exclude&amp;count=100"
    parts = [
        '<?xml version="1.0" encoding="ISO-8859-1" ?>',
        '  <feed xmlns="http://www.w3.org/2005/Atom">',
        "    <author><email>webmaster@sec.gov</email><name>Webmaster</name></author>",
        "    <company-info>",
        f"      <cik>{company.cik:010d}</cik>",
        f"      <conformed-name>{escape(company.name)}</conformed-name>",
        "    </company-info>",
        f"    <id>{SEC}/cgi-bin/browse-edgar?{query}</id>",
        f"    <title>{escape(company.name)}  ({company.cik:010d})</title>",
        f"    <updated>{now.astimezone(EASTERN).replace(microsecond=0).isoformat()}</updated>",
    ]
    for filing in filings:
        href = f"{SEC}{folder_path(company.cik, filing.accession)}/{filing.accession}-index.htm"
        bracket = " [Cover]" if filing.form_type in LETTER_FORMS else ""
        items = ", ".join(number for number, _ in filing.items)
        form = escape(filing.form_type)
        parts += [
            "    <entry>",
            f'      <category label="form type" scheme="https://www.sec.gov/" '
            f"term={quoteattr(filing.form_type)} />",
            '      <content type="text/xml">',
            f"        <accession-number>{filing.accession}</accession-number>",
            f"        <filing-date>{filing.filing_date:%Y-%m-%d}</filing-date>",
            f"        <filing-href>{escape(href)}</filing-href>",
            f"        <filing-type>{escape(filing.form_type)}</filing-type>",
            f"        <items-desc>{'items ' + items if items else ''}</items-desc>",
            f"        <size>{filing.size_kb} KB</size>",
            "      </content>",
            f"      <id>urn:tag:sec.gov,2008:accession-number={filing.accession}</id>",
            f'      <link href={quoteattr(href)} rel="alternate" type="text/html" />',
            f'      <summary type="html">{_html_summary(filing)}</summary>',
            f"      <title>{form}{bracket}  - {form}</title>",
            f"      <updated>{filing.accepted_at.astimezone(EASTERN).isoformat()}</updated>",
            "    </entry>",
        ]
    parts.append("  </feed>")
    return _encode("\n".join(parts) + "\n")


def render_index_json(
    cik: int, accession: str, names: Sequence[tuple[str, int]], when: datetime
) -> bytes:
    """A filing folder's ``index.json`` listing ``names`` (name, size)."""
    stamp = when.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M:%S")
    base = [f"{accession}-index-headers.html", f"{accession}-index.html", f"{accession}.txt"]
    items = [
        {"last-modified": stamp, "name": name, "type": "text.gif", "size": ""} for name in base
    ]
    items += [
        {"last-modified": stamp, "name": name, "type": "text.gif", "size": str(size)}
        for name, size in names
        if name not in base
    ]
    folder = folder_path(cik, accession)
    return json.dumps(
        {"directory": {"item": items, "name": folder, "parent-dir": folder.rsplit("/", 1)[0]}},
        indent=2,
    ).encode()


def render_filing_index_page(filing: SimFiling, names: Sequence[str]) -> bytes:
    """A minimal ``-index.htm`` page: form, dates, companies and documents."""
    rows = "".join(f"<tr><td>{escape(name)}</td></tr>" for name in names)
    companies = "".join(
        f"<p>{escape(company.name)} (CIK {company.cik:010d}) ({escape(company.role)})</p>"
        for company in filing.companies
    )
    html = (
        f"<html><head><title>EDGAR Filing Index {filing.accession}</title></head><body>"
        f"<div id='formName'>Form {escape(filing.form_type)}</div>"
        f"<div>Filing Date {filing.filing_date:%Y-%m-%d}</div>"
        f"<div>Accepted {filing.accepted_at.astimezone(EASTERN):%Y-%m-%d %H:%M:%S}</div>"
        f"{companies}<table>{rows}</table></body></html>"
    )
    return html.encode("utf-8")


UNDECLARED_TOOL_PAGE: Final = (
    b"<html><head><title>SEC.gov | Your Request Originates from an Undeclared Automated Tool"
    b"</title></head><body><h1>Your Request Originates from an Undeclared Automated Tool</h1>"
    b"<p>To allow for equitable access to all users, SEC reserves the right to limit requests "
    b"originating from undeclared automated tools. Please declare your traffic by updating "
    b"your user agent to include company specific information.</p></body></html>"
)
