"""``edgarmon classify [--form FORM] [--items 8.01,9.01] [--json] PATH_OR_URL...``

Classify local files (a full submission ``.txt``, an ``.nc`` file, a primary
document, a PDF letter, plain text) or EDGAR URLs, once. Without ``--form`` the
form and items are read from the inputs themselves. With ``--json`` each input
prints one JSON object on its own line.

A filing page URL (``...-index.htm``) is fetched as the filing's full submission
``.txt``: one request gives the header and every document. URLs are fetched one
at a time through the shared fair-access EDGAR client: allowed hosts only, the
declared User-Agent from ``EDGARMON_EDGAR_USER_AGENT``, the request budget and
size cap of the ``EDGARMON_EDGAR_*`` settings.

An input that cannot be classified (a missing file, a failed download, one over the
size cap, or a lone document that gives no text: binary bytes that are neither HTML,
PDF nor text, a broken PDF, an empty file) is named on one line of stderr,
``edgarmon classify: PATH: REASON``; with ``--json`` it also prints
``{"input": ..., "error": REASON}``. The other inputs are still classified.

Exit status: 0 when every input was classified; 1 when at least one could not be;
2 on a usage error (an unknown option, ``--threshold`` outside 0..1, ``--items`` that
are not 8-K item numbers) or when URLs are given without a valid EDGAR configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from edgarmon.classifier.adapters.fetching import DocumentFetcher, EdgarClientFetcher
from edgarmon.classifier.domain.classify import DEFAULT_THRESHOLD, AnyLabel, Classification
from edgarmon.classifier.domain.classify_input import classify_read
from edgarmon.classifier.domain.document_reading import read_input
from edgarmon.classifier.domain.text_extraction import MAX_INPUT_BYTES
from edgarmon.core.adapters.edgar_http import open_edgar_client
from edgarmon.core.domain.errors import (
    ConfigurationError,
    DocumentTooLarge,
    EdgarError,
    EdgarmonError,
)
from edgarmon.core.domain.form8k import ITEM_NAMES
from edgarmon.core.settings import EdgarClientSettings, load_settings

_INDEX_PAGE = re.compile(r"/(\d{10}-\d{2}-\d{6})-index(?:-headers)?\.html?$")


def threshold(value: str) -> float:
    """``--threshold``: a confidence from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{value!r} is not a confidence from 0 to 1, e.g. 0.5")
    return number


def item_numbers(value: str) -> tuple[str, ...]:
    """``--items``: 8-K item numbers as the form numbers them (8.01), comma-separated."""
    items = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not items:
        raise argparse.ArgumentTypeError("expected 8-K item numbers, e.g. 8.01,9.01")
    for item in items:
        if item not in ITEM_NAMES:
            raise argparse.ArgumentTypeError(
                f"{item!r} is not an 8-K item number (1.01 to 9.01, e.g. 8.01)"
            )
    return items


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="edgarmon classify",
        description="Classify EDGAR documents or URLs once.",
        epilog="Exit status: 0 when every input is classified, 1 when an input cannot be "
        "read or classified (each is named on stderr; the others are still classified), "
        "2 on a usage or configuration error.",
    )
    parser.add_argument("--form", help="the form type, e.g. 8-K, CORRESP, UPLOAD")
    parser.add_argument(
        "--items", type=item_numbers, help="8-K items, comma-separated, e.g. 8.01,9.01"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per input")
    parser.add_argument(
        "--threshold",
        type=threshold,
        default=DEFAULT_THRESHOLD,
        help=f"labels need this confidence, from 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="PATH_OR_URL", help="a local file or an EDGAR URL"
    )
    return parser.parse_args(list(argv))


def is_url(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def download_url(url: str) -> str:
    """The URL to download for an input URL: a filing page becomes its full submission."""
    match = _INDEX_PAGE.search(url)
    return url[: match.start()] + f"/{match.group(1)}.txt" if match else url


def label_json(label: AnyLabel) -> dict[str, Any]:
    return {
        "id": label.id.value,
        "confidence": label.confidence,
        "evidence": [e.model_dump() for e in label.evidence],
        "rationale": label.rationale,
        "details": label.details.model_dump(mode="json"),
    }


def result_json(source: str, result: Classification) -> dict[str, Any]:
    return {
        "input": source,
        "form_type": result.form_type,
        "form_source": result.form_source,
        "items": list(result.items),
        "item_readings": [r.model_dump(mode="json") for r in result.item_readings],
        "labels": [label_json(label) for label in result.labels],
        "details": {
            label.id.value: label.details.model_dump(mode="json") for label in result.labels
        },
        "near_misses": [label_json(label) for label in result.near_misses],
        "errors": [error.model_dump() for error in result.errors],
    }


def result_text(source: str, result: Classification) -> str:
    items = ", ".join(result.items) or "-"
    lines = [
        f"{source}: form {result.form_type or 'unknown'} ({result.form_source}); items {items}"
    ]
    for kind, labels in (("label", result.labels), ("near-miss", result.near_misses)):
        for label in labels:
            lines.append(f"  {kind} {label.id.value} {label.confidence:.2f}: {label.rationale}")
            details = label.details.model_dump(mode="json", exclude_defaults=True)
            details.pop("readings", None)
            details.pop("decisive_sentences", None)
            lines.append(f"    {json.dumps(details, ensure_ascii=False)}")
    lines += [f"  error [{e.stage}] {e.message}" for e in result.errors]
    return "\n".join(lines)


class UnusableInput(EdgarmonError):
    """An input that cannot be classified; the message is the reason, for one line."""


def os_reason(exc: OSError) -> str:
    """Why a local file cannot be read, in a few words."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror.lower() if exc.strerror else str(exc)


def input_bytes(source: str, fetched: Mapping[str, bytes | str]) -> bytes:
    """The bytes of one input: a local file, or a URL's download (see :func:`fetch_all`)."""
    if is_url(source):
        body = fetched[source]
        if isinstance(body, str):
            raise UnusableInput(f"download failed: {body}")
        return body
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise UnusableInput(os_reason(exc)) from exc


def classify_source(
    source: str,
    data: bytes,
    *,
    form_type: str | None,
    items: Sequence[str] | None,
    threshold: float,
) -> Classification:
    """Classify one input; raise :class:`UnusableInput` when it is not something to
    classify: over the size cap, or a lone document that gave no text (binary bytes that
    are not HTML, PDF or text, a broken PDF, an empty file). A submission whose documents
    are all unreadable is still classified from its header."""
    try:
        read = read_input(data, source)
    except DocumentTooLarge as exc:
        raise UnusableInput(
            f"too large: {len(data)} bytes, over the {MAX_INPUT_BYTES} cap"
        ) from exc
    if read.header is None and not any(document.text for document in read.documents):
        reasons = [error.message.removeprefix(f"{error.stage}: ") for error in read.errors]
        raise UnusableInput(
            f"unreadable: {'; '.join(reasons)}" if reasons else "no text to classify"
        )
    return classify_read(read, form_type=form_type, items=items, threshold=threshold)


async def fetch_all(urls: Sequence[str], fetcher: DocumentFetcher) -> dict[str, bytes | str]:
    """Bodies (or the error text) by input URL, fetched one at a time."""
    bodies: dict[str, bytes | str] = {}
    for url in urls:
        try:
            bodies[url] = await fetcher.fetch(download_url(url))
        except EdgarError as exc:
            bodies[url] = f"{type(exc).__name__}: {exc}"
    return bodies


async def _fetch_with_settings(urls: Sequence[str]) -> dict[str, bytes | str]:
    """Fetch through the shared fair-access EDGAR client, configured from the environment."""
    settings = load_settings(EdgarClientSettings)
    async with open_edgar_client(settings, registry=CollectorRegistry()) as client:
        return await fetch_all(urls, EdgarClientFetcher(client))


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    urls = [value for value in args.inputs if is_url(value)]
    try:
        fetched = asyncio.run(_fetch_with_settings(urls)) if urls else {}
    except ConfigurationError as exc:
        print(f"edgarmon classify: {exc}", file=sys.stderr)
        return 2
    status = 0
    for source in args.inputs:
        try:
            result = classify_source(
                source,
                input_bytes(source, fetched),
                form_type=args.form,
                items=args.items,
                threshold=args.threshold,
            )
        except UnusableInput as exc:
            status = 1
            print(f"edgarmon classify: {source}: {exc}", file=sys.stderr)
            if args.json:
                print(json.dumps({"input": source, "error": str(exc)}, ensure_ascii=False))
            continue
        print(
            json.dumps(result_json(source, result), ensure_ascii=False)
            if args.json
            else result_text(source, result)
        )
    return status
