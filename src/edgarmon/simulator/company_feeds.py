"""Recorded company feeds as simulator filings, so that a company's feed can show its
recorded history and the filings that arrive during a simulation together."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from typing import Final

from edgarmon.simulator.filings import EASTERN, SimCompany, SimFiling

_ATOM: Final = "{http://www.w3.org/2005/Atom}"
_ACCESSION_TAGS: Final = ("accession-number", "accession-nunber")  # the 2016 feeds misspell it


def historic_filings(path: Path) -> tuple[SimCompany, list[SimFiling]]:
    """The company of a recorded feed and its filings, marked ``historic``."""
    root = ET.parse(path).getroot()  # noqa: S314 -- our own read-only recordings
    info = root.find(f"{_ATOM}company-info")
    cik = int(info.findtext(f"{_ATOM}cik", "0") if info is not None else "0")
    name = info.findtext(f"{_ATOM}conformed-name", "") if info is not None else ""
    company = SimCompany(cik, " ".join(name.split()) or str(cik), "Filer")
    filings = []
    for entry in root.iter(f"{_ATOM}entry"):
        content = entry.find(f"{_ATOM}content")
        category = entry.find(f"{_ATOM}category")
        if content is None or category is None:
            continue
        accession = next(
            (text for tag in _ACCESSION_TAGS if (text := content.findtext(f"{_ATOM}{tag}"))), None
        )
        raw_date = content.findtext(f"{_ATOM}filing-date", "")
        updated = entry.findtext(f"{_ATOM}updated", "")
        if not accession or not raw_date or not updated:
            continue
        summary = entry.findtext(f"{_ATOM}summary", "")
        items = tuple(
            (line.split(":", 1)[0].replace("Item", "").strip(), line.split(":", 1)[1].strip())
            for line in summary.split("<br>")[1:]
            if line.strip().startswith("Item") and ":" in line
        )
        filings.append(
            SimFiling(
                accession=accession.strip(),
                form_type=category.get("term", ""),
                companies=(company,),
                accepted_at=datetime.fromisoformat(updated).astimezone(EASTERN),
                filing_date=date.fromisoformat(raw_date.strip()),
                visible_at=0.0,
                items=items,
                historic=True,
            )
        )
    return company, filings
