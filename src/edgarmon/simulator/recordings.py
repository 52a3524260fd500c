"""The recorded EDGAR responses the simulator serves, found by file name.

The data directory (``../shared/edgar`` by default) is read-only. Documents are
catalogued by the accession number in their file name (``<acc>_filename1.pdf``,
``<acc>-index.html``, ``<acc>_index.json``, ``1001039_8K_2012_<acc>.htm``...);
daily indexes by their flavor and date; company feeds by the CIK in their name.
A ``<file>.headers.json`` next to a recording supplies its real Content-Type and
Last-Modified.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

ACCESSION_IN_NAME: Final = re.compile(r"(\d{10}-\d{2}-\d{6})")
_INDEX_NAME = re.compile(
    r"^(company|form|master|crawler)[._](?:empty_)?(\d{8}|\d{4}-\d{2}-\d{2})\.idx$"
)
_COMPANY_FEED = re.compile(r"^getcompany_atom_.*_CIK(\d{1,10})_.*\.xml$")
_LATEST_FEED_PAGE = re.compile(r"^getcurrent_all_count\d+_start(\d+)_.*\.xml$")
_SUBMISSIONS = re.compile(r"^(CIK\d{10}(?:-submissions-\d{3})?)\.json$")

_CONTENT_TYPES: Final = {
    ".htm": "text/html",
    ".html": "text/html",
    ".txt": "text/plain",
    ".nc": "text/plain",
    ".json": "application/json",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".idx": "text/plain",
}


@dataclass(frozen=True, slots=True)
class RecordedFile:
    """A recorded file and the headers to serve it with."""

    path: Path
    content_type: str
    last_modified: str | None = None

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(slots=True)
class Recordings:
    """Everything found in a data directory, keyed the way the simulator looks it up."""

    root: Path
    documents: dict[str, dict[str, RecordedFile]] = field(default_factory=dict)
    """accession -> document name as EDGAR serves it -> file"""
    daily_indexes: dict[tuple[str, date], RecordedFile] = field(default_factory=dict)
    company_feeds: dict[int, RecordedFile] = field(default_factory=dict)
    latest_feed_pages: list[RecordedFile] = field(default_factory=list)
    submissions: dict[str, RecordedFile] = field(default_factory=dict)
    block_page: bytes = b""
    unavailable_page: bytes = b""
    cik_not_found_page: bytes = b""

    def document(self, accession: str, name: str) -> RecordedFile | None:
        return self.documents.get(accession, {}).get(name)


def load_recordings(root: Path) -> Recordings:
    """Catalogue ``root``. Missing folders are fine: the simulator then serves less."""
    recordings = Recordings(root=root)
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith(".headers.json"):
            continue
        _catalogue(recordings, path)
    recordings.block_page = _read_first(root / "fair_access", "*.html")
    recordings.unavailable_page = _read_first(root / "atom_current", "*503*.html")
    recordings.cik_not_found_page = _read_first(root / "atom_company", "*cik_not_found*.html")
    return recordings


def _catalogue(recordings: Recordings, path: Path) -> None:
    relative = path.relative_to(recordings.root)
    folder = relative.parts[0] if len(relative.parts) > 1 else ""
    name = path.name
    if folder == "index":
        match = _INDEX_NAME.match(name)
        if match:
            raw = match.group(2).replace("-", "")
            day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
            recordings.daily_indexes[(match.group(1), day)] = _recorded(path)
        return
    if folder == "atom_company":
        match = _COMPANY_FEED.match(name)
        if match:
            recordings.company_feeds[int(match.group(1))] = _recorded(path)
        return
    if folder == "atom_current":
        if _LATEST_FEED_PAGE.match(name):
            recordings.latest_feed_pages.append(_recorded(path))
        return
    if folder == "submissions_json":
        match = _SUBMISSIONS.match(name)
        if match:
            recordings.submissions[match.group(1)] = _recorded(path)
        return
    if folder in {"filings", "filing_index"}:
        accession = ACCESSION_IN_NAME.search(name)
        if accession:
            served = served_name(name, accession.group(1))
            recordings.documents.setdefault(accession.group(1), {}).setdefault(
                served, _recorded(path)
            )


_SERVED_AS: Final = (
    # (how the rest of the name starts or ends, what EDGAR calls the file)
    (("_index.json", "-index.json"), "", "index.json"),
    (("-index-headers",), "", "{acc}-index-headers.html"),
    (("-index",), "", "{acc}-index.htm"),
    ((), ".txt", "{acc}.txt"),
    ((), ".nc", "{acc}.nc"),
)


def served_name(file_name: str, accession: str) -> str:
    """The name EDGAR serves a recorded file under, inside the filing's folder:
    ``<acc>_index.json`` is ``index.json``, ``<acc>_8-K_Apple_full.txt`` is
    ``<acc>.txt``, ``<acc>_filename1.pdf`` is ``filename1.pdf``; names that do not
    start with the accession are served as they are."""
    if not file_name.startswith(accession):
        return file_name
    rest = file_name[len(accession) :]
    for prefixes, suffix, served in _SERVED_AS:
        if (prefixes and rest.startswith(prefixes)) or (suffix and rest.endswith(suffix)):
            return served.format(acc=accession)
    return rest[1:] if rest.startswith("_") else file_name


def _recorded(path: Path) -> RecordedFile:
    content_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    last_modified = None
    sidecar = path.with_name(path.name + ".headers.json")
    if sidecar.is_file():
        headers = json.loads(sidecar.read_text()).get("response_headers", {})
        lowered = {key.lower(): values for key, values in headers.items()}
        content_type = (lowered.get("content-type") or [content_type])[0]
        last_modified = (lowered.get("last-modified") or [None])[0]
    return RecordedFile(path=path, content_type=content_type, last_modified=last_modified)


def _read_first(folder: Path, pattern: str) -> bytes:
    matches = sorted(folder.glob(pattern)) if folder.is_dir() else []
    return matches[0].read_bytes() if matches else b""
