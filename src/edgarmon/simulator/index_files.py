"""Daily index files for the simulator: reading recorded ones into filing templates,
and writing any flavor (company, form, master, crawler) for a simulated day.

This reader is deliberately the simulator's own (the poller has its own): the
simulator must not share the parser under test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from edgarmon.simulator.filings import FilingTemplate, SimCompany, SimFiling

_ROW = re.compile(
    r"^(?P<left>.*\S)\s+(?P<cik>\d{1,10})\s+(?P<date>\d{8}|\d{4}-\d{2}-\d{2})\s+(?P<path>\S+)\s*$"
)
_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
FLAVORS: Final = ("company", "form", "master", "crawler")
_TITLES: Final = {
    "company": "Daily Index of EDGAR Dissemination Feed by Company Name",
    "form": "Daily Index of EDGAR Dissemination Feed by Form Type",
    "master": "Daily Index of EDGAR Dissemination Feed",
    "crawler": "Daily Crawler Index of EDGAR Dissemination Feed by Company Name",
}


@dataclass(frozen=True, slots=True)
class IndexRow:
    company_name: str
    form_type: str
    cik: int
    date_filed: date
    accession: str


def read_index_rows(text: str) -> list[IndexRow]:
    """Rows of a recorded index of any flavor (empty for a header-only index)."""
    lines = text.splitlines()
    dashes = next((i for i, line in enumerate(lines) if line.startswith("---")), len(lines))
    header = next((line for line in reversed(lines[:dashes]) if line.strip()), "")
    header_first = next(
        (line for line in lines[:dashes] if line.startswith(("Company", "Form", "CIK"))), ""
    )
    rows = []
    for line in lines[dashes + 1 :]:
        if "|" in header:
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 5 or not parts[0].isdigit():
                continue
            cik, name, form, raw_date, path = parts
        else:
            match = _ROW.match(line)
            if match is None:
                continue
            left, cik, raw_date, path = match.group("left", "cik", "date", "path")
            by_form = header_first.startswith("Form")
            split = header_first.find("Company Name" if by_form else "Form Type")
            name, form = (left[split:], left[:split]) if by_form else (left[:split], left[split:])
        accession = _ACCESSION.search(path)
        if accession is None:
            continue
        raw = raw_date.replace("-", "")
        rows.append(
            IndexRow(
                company_name=" ".join(name.split()),
                form_type=" ".join(form.split()),
                cik=int(cik),
                date_filed=date(int(raw[:4]), int(raw[4:6]), int(raw[6:])),
                accession=accession.group(1),
            )
        )
    return rows


def templates_from_rows(rows: Iterable[IndexRow]) -> list[FilingTemplate]:
    """One template per accession, in index order, with every CIK listed for it."""
    grouped: dict[str, tuple[IndexRow, list[SimCompany]]] = {}
    for row in rows:
        _, companies = grouped.setdefault(row.accession, (row, []))
        company = SimCompany(row.cik, row.company_name, "Filer")
        if all(existing.cik != row.cik for existing in companies):
            companies.append(company)
    return [
        FilingTemplate(
            accession=accession,
            form_type=first.form_type,
            companies=tuple(companies),
            original_filing_date=first.date_filed,
        )
        for accession, (first, companies) in grouped.items()
    ]


def rows_for(filings: Iterable[SimFiling]) -> list[IndexRow]:
    return [
        IndexRow(company.name, filing.form_type, company.cik, filing.filing_date, filing.accession)
        for filing in filings
        for company in filing.companies
    ]


def render_index(flavor: str, day: date, rows: list[IndexRow]) -> bytes:
    """An index file of ``flavor`` for ``day`` in EDGAR's layout, preamble included."""
    received = f"{day:%b} {day.day:>2}, {day.year}"
    lines = [
        f"Description:           {_TITLES[flavor]}",
        f"Last Data Received:    {received}",
        "Comments:              webmaster@sec.gov",
        "Anonymous FTP:         ftp://ftp.sec.gov/edgar/",
        " ",
        " ",
        " ",
    ]
    if flavor == "master":
        lines += ["CIK|Company Name|Form Type|Date Filed|File Name", "-" * 80]
        ordered = sorted(rows, key=lambda row: (row.cik, row.form_type))
        lines += [
            f"{r.cik}|{r.company_name}|{r.form_type}|{r.date_filed:%Y%m%d}|{_txt(r)}"
            for r in ordered
        ]
    elif flavor == "form":
        lines += [f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name"]
        lines.append("-" * 141)
        for r in sorted(rows, key=lambda row: (row.form_type, row.company_name.upper())):
            lines.append(
                f"{r.form_type[:11]:<12}{r.company_name[:61]:<62}{r.cik:<12}"
                f"{r.date_filed:%Y%m%d}    {_txt(r):<52}"
            )
    else:
        last = "URL" if flavor == "crawler" else "File Name"
        lines += [f"{'Company Name':<62}{'Form Type':<12}CIK", f"      Date Filed  {last}"]
        lines.append("-" * 141)
        for r in sorted(rows, key=lambda row: (row.company_name.upper(), row.form_type)):
            where = _crawler_url(r) if flavor == "crawler" else _txt(r)
            lines.append(
                f"{r.company_name[:61]:<62}{r.form_type[:11]:<12}{r.cik:<12}"
                f"{r.date_filed:%Y%m%d}    {where:<52}"
            )
    return ("\n".join(lines) + "\n").encode("latin-1", "replace")


def _txt(row: IndexRow) -> str:
    return f"edgar/data/{row.cik}/{row.accession}.txt"


def _crawler_url(row: IndexRow) -> str:
    return f"http://www.sec.gov/Archives/edgar/data/{row.cik}/{row.accession}-index.htm"
