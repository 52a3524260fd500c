"""Small EDGAR feeds and indexes built in the tests, with one poisoned entry between
good ones (as a fuzzer found them), for the parser and the service tests."""

from __future__ import annotations

from html import escape

from structlog.typing import EventDict

GOOD_BEFORE, POISONED, GOOD_AFTER = (f"00000000{n}2-26-00000{n}" for n in (1, 2, 3))
SKIPPED_METRIC = "edgarmon_poller_entries_skipped_total"
SKIP_EVENT = "skipped an entry EDGAR served that cannot be read"


def skip_warnings(logs: list[EventDict]) -> list[EventDict]:
    return [line for line in logs if line["event"].startswith(SKIP_EVENT)]


def latest_entry(
    accession: str,
    *,
    updated: str = "2026-01-12T11:00:00-05:00",
    title: str = "8-K - ACME CORP (0000000042) (Filer)",
    summary: str = "<b>Filed:</b> 2026-01-12",
) -> str:
    return (
        f"<entry><title>{title}</title><updated>{updated}</updated>"
        f'<summary type="html">{escape(summary)}</summary>'
        f"<id>urn:tag:sec.gov,2008:accession-number={accession}</id></entry>"
    )


def latest_feed(*entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Latest Filings</title>'
        + "".join(entries)
        + "</feed>"
    ).encode()


def poisoned_latest_feed(**poison: str) -> bytes:
    return latest_feed(
        latest_entry(GOOD_BEFORE), latest_entry(POISONED, **poison), latest_entry(GOOD_AFTER)
    )


def company_entry(
    accession: str,
    *,
    filing_date: str = "2023-07-20",
    form: str = "8-K",
    updated: str = "2023-07-20T09:26:09-04:00",
) -> str:
    return (
        f'<entry><content type="text/xml"><accession-number>{accession}</accession-number>'
        f"<filing-date>{filing_date}</filing-date><filing-type>{form}</filing-type></content>"
        f"<title>{form} - Current report</title><updated>{updated}</updated></entry>"
    )


def company_feed(*entries: str, cik: str = "0000000042") -> bytes:
    return (
        '<?xml version="1.0" encoding="ISO-8859-1" ?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><company-info>'
        f"<cik>{cik}</cik><conformed-name>ACME CORP</conformed-name></company-info>"
        "<title>ACME CORP (0000000042)</title>" + "".join(entries) + "</feed>"
    ).encode("latin-1")


def master_index(*rows: str) -> bytes:
    return (
        "Description:           Daily Index of EDGAR Dissemination Feed\n"
        "Last Data Received:    Jan 12, 2026\n\n"
        "CIK|Company Name|Form Type|Date Filed|File Name\n" + "-" * 80 + "\n" + "\n".join(rows)
    ).encode("latin-1")


def master_row(accession: str, *, cik: str = "42", filed: str = "20260112") -> str:
    return f"{cik}|ACME CORP|8-K|{filed}|edgar/data/{cik}/{accession}.txt"
