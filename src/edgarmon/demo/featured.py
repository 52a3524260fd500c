"""The demo's featured filings: real documents from ``../shared`` that exercise every label.

The simulator's normal arrivals come from a recorded latest-filings feed: mostly
Form 4s, Form Ds and 13Fs, which no label needs a document for. The demo mixes in
filings whose documents it can serve:

- the two seeds: ImmunoGen's 8-K (Item 8.01, a clinical update) and the SEC staff
  letter to ImmunoGen (an UPLOAD, released late with its original date). The seeds
  are plain-text conversions with no accession number, so the demo gives them
  synthetic ones under the submitter id ``0000999999`` and says so;
- press-release exhibits from ``../shared/clinical`` whose source is an EDGAR
  exhibit URL: real CIK, accession and exhibit name, as an 8-K with Items 8.01
  and 9.01;
- 8-K Item 8.01 primary documents and CORRESP/UPLOAD letters recorded in
  ``../shared/edgar``, under their real accession numbers.

Nothing is copied: the simulator serves the files from ``../shared`` in place.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from edgarmon.simulator.filings import FilingTemplate, SimCompany, recycled
from edgarmon.simulator.recordings import RecordedFile, Recordings

SEED_SUBMITTER: Final = "0000999999"
IMMUNOGEN_CIK: Final = 855654
_EXHIBIT_URL = re.compile(r"/Archives/edgar/data/(\d+)/(\d{10})(\d{2})(\d{6})/([^\s/]+\.htm)")
_MANIFEST_COMPANY = re.compile(r"for ([^(]+?) \(CIK (\d+)")
_ITEM_801_NAME = re.compile(r"^(\d+)_8K_\d{4}_(\d{10}-\d{2}-\d{6})\.htm$")
_MANIFEST_8K = re.compile(r"8-K primary document (.+?) \(CIK (\d+)")
_LETTER_DATE = re.compile(r"filingDate (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class Featured:
    """A filing the demo makes arrive, and the documents the simulator serves for it."""

    template: FilingTemplate
    documents: tuple[tuple[str, Path], ...]
    watch_cik: int | None = None
    """For letters: the CIK the poller must watch (letters are not on the latest feed)."""
    note: str = ""


def seed_filings(shared: Path) -> list[Featured]:
    seeds = shared / "seeds"
    eight_k, letter = seeds / "004_4071176f85cd4a78.txt", seeds / "000_d78ed06124df1aa2.txt"
    if not (eight_k.is_file() and letter.is_file()):
        return []
    immunogen = (SimCompany(cik=IMMUNOGEN_CIK, name="IMMUNOGEN INC", role="Filer"),)
    return [
        Featured(
            template=FilingTemplate(
                accession=f"{SEED_SUBMITTER}-07-000001",
                form_type="8-K",
                companies=immunogen,
                items=(("8.01", "Other Events"), ("9.01", "Financial Statements and Exhibits")),
            ),
            documents=(("immunogen-8k.txt", eight_k),),
            note="seed 8-K (synthetic accession)",
        ),
        Featured(
            template=FilingTemplate(
                accession=f"{SEED_SUBMITTER}-09-000001",
                form_type="UPLOAD",
                companies=(SimCompany(cik=IMMUNOGEN_CIK, name="IMMUNOGEN INC", role="Filed for"),),
                original_filing_date=date(2009, 5, 11),
            ),
            documents=(("filename1.txt", letter),),
            watch_cik=IMMUNOGEN_CIK,
            note="seed staff letter (synthetic accession)",
        ),
    ]


def clinical_exhibits(shared: Path, limit: int) -> list[Featured]:
    """Positive clinical press releases whose source is an EDGAR exhibit URL."""
    labels = shared / "clinical" / "LABELS.tsv"
    if not labels.is_file():
        return []
    featured = []
    with labels.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found = _EXHIBIT_URL.search(row.get("source", ""))
            if row.get("label") != "pos" or found is None:
                continue
            cik, prefix, year, serial, exhibit = found.groups()
            company = row.get("company", "").split(" (")[0] or f"CIK {cik}"
            featured.append(
                Featured(
                    template=FilingTemplate(
                        accession=f"{prefix}-{year}-{serial}",
                        form_type="8-K",
                        companies=(SimCompany(cik=int(cik), name=company.upper()),),
                        items=(("8.01", "Other Events"), ("9.01", "Financial Statements")),
                    ),
                    documents=((exhibit, shared / "clinical" / row["file"]),),
                    note="press-release exhibit",
                )
            )
            if len(featured) >= limit:
                break
    return featured


def recorded_filings(shared: Path, recordings: Recordings, limit: int) -> list[Featured]:
    """8-K Item 8.01 documents and comment letters recorded in ``../shared/edgar``."""
    manifest = shared / "edgar" / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    eight_ks: list[Featured] = []
    letters: list[Featured] = []
    with manifest.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            path, description = row["local_path"], row["description"]
            name = Path(path).name
            if path.startswith("filings/8k/item8.01/"):
                found, company = _ITEM_801_NAME.match(name), _MANIFEST_8K.search(description)
                if found and company and len(eight_ks) < limit:
                    eight_ks.append(_eight_k(found.group(2), company.group(1), int(found.group(1))))
            elif path.startswith(("filings/upload/", "filings/corresp/")) and name.endswith(
                ("filename1.pdf", "filename1.htm")
            ):
                letter = _letter(path, description, recordings)
                if letter is not None and len(letters) < limit:
                    letters.append(letter)
    return eight_ks + letters


def _eight_k(accession: str, company: str, cik: int) -> Featured:
    return Featured(
        template=FilingTemplate(
            accession=accession,
            form_type="8-K",
            companies=(SimCompany(cik=cik, name=company.strip()),),
            items=(("8.01", "Other Events"), ("9.01", "Financial Statements and Exhibits")),
        ),
        documents=(),
        note="recorded 8-K",
    )


def _letter(path: str, description: str, recordings: Recordings) -> Featured | None:
    company = _MANIFEST_COMPANY.search(description)
    accession = re.search(r"(\d{10}-\d{2}-\d{6})_filename1", path)
    filed = _LETTER_DATE.search(description)
    if company is None or accession is None or accession.group(1) not in recordings.documents:
        return None
    form = "UPLOAD" if path.startswith("filings/upload/") else "CORRESP"
    cik = int(company.group(2))
    role = "Filed for" if form == "UPLOAD" else "Filer"
    return Featured(
        template=FilingTemplate(
            accession=accession.group(1),
            form_type=form,
            companies=(SimCompany(cik=cik, name=company.group(1).strip().upper(), role=role),),
            original_filing_date=date.fromisoformat(filed.group(1)) if filed else None,
        ),
        documents=(),
        watch_cik=cik,
        note=f"recorded {form} letter",
    )


def register_documents(recordings: Recordings, featured: list[Featured]) -> None:
    """Let the simulator serve each featured filing's documents, in place."""
    for item in featured:
        for served_as, path in item.documents:
            content_type = "text/html" if path.suffix.startswith(".htm") else "text/plain"
            recordings.documents.setdefault(item.template.accession, {})[served_as] = RecordedFile(
                path=path, content_type=content_type
            )


def repeated(
    featured: list[Featured], recordings: Recordings, *, rounds: int
) -> list[FilingTemplate]:
    """``rounds`` passes over the featured filings, each pass with fresh accession
    numbers (:func:`recycled`) whose documents are the originals', served in place: a
    stream of labelled filings for as long as a benchmark runs."""
    templates = []
    for round_number in range(rounds):
        for item in featured:
            template = recycled(item.template, round_number)
            original = recordings.documents.get(item.template.accession)
            if original is not None and round_number:
                recordings.documents.setdefault(template.accession, dict(original))
            templates.append(template)
    return templates
