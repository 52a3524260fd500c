"""classify_filing against a local HTTP server that serves real EDGAR files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from edgarmon.classifier.adapters.fetching import EdgarClientFetcher
from edgarmon.classifier.adapters.filing_documents import classify_filing
from edgarmon.core.domain.errors import FairAccessBlocked
from edgarmon.core.domain.filing import EASTERN, Company, Filing
from edgarmon.core.domain.messages import CorrespondenceLabel, Item801Label, LetterDirection
from edgarmon.simulator.full_submission import render_full_submission
from edgarmon.testing.clock import ManualClock
from edgarmon.testing.local_http import serving
from tests.classifier.local_edgar import edgar_fetcher

UPLOAD_FOLDER = "filings/upload/BSX_0000000000-16-070496"


class Server:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[str] = []
        self.status = 200

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        if self.status != 200:
            return web.Response(status=self.status)
        body = self.files.get(request.path)
        return web.Response(body=body) if body is not None else web.Response(status=404)


@pytest.fixture
async def served(edgar: Path) -> AsyncIterator[tuple[Server, str]]:
    folder = edgar / UPLOAD_FOLDER
    server = Server(
        {
            "/upload/index.json": (folder / "0000000000-16-070496_index.json").read_bytes(),
            "/upload/filename1.pdf": (folder / "0000000000-16-070496_filename1.pdf").read_bytes(),
        }
    )
    app = web.Application()
    app.router.add_get("/{tail:.*}", server.handle)
    async with serving(app) as base_url:
        yield server, base_url


def filing(base: str, form_type: str, folder: str, items: tuple[str, ...] = ()) -> Filing:
    return Filing(
        accession_number="0000000000-16-070496",
        form_type=form_type,
        companies=(Company(cik=885725, name="Boston Scientific Corp", role="Filed for"),),
        items=items,
        accepted_at=datetime(2016, 3, 31, 10, 0, tzinfo=EASTERN),
        filing_date=date(2016, 3, 31),
        index_url=f"{base}/{folder}/0000000000-16-070496-index.htm",
    )


def fetcher(session: aiohttp.ClientSession, base_url: str) -> EdgarClientFetcher:
    return edgar_fetcher(session, base_url, ManualClock())


async def test_an_upload_without_a_full_submission_fetches_its_index_and_letter(
    served: tuple[Server, str],
) -> None:
    server, base = served
    async with aiohttp.ClientSession() as session:
        result = await classify_filing(filing(base, "UPLOAD", "upload"), fetcher(session, base))

    assert server.requests == [
        "/upload/0000000000-16-070496.txt",  # 404: read document by document
        "/upload/index.json",
        "/upload/filename1.pdf",
    ]
    label = next(x for x in result.labels if isinstance(x, CorrespondenceLabel))
    assert label.details.direction is LetterDirection.SEC_TO_COMPANY
    assert label.details.comment_count == 2
    assert not result.errors


async def test_the_full_submission_is_one_request_and_reads_the_same_letter(
    served: tuple[Server, str],
) -> None:
    server, base = served
    async with aiohttp.ClientSession() as session:
        one_by_one = await classify_filing(
            filing(base, "UPLOAD", "upload"), fetcher(session, base), submission_max_bytes=0
        )
        letter = server.files["/upload/filename1.pdf"]
        server.files["/upload/0000000000-16-070496.txt"] = render_full_submission(
            None, "0000000000-16-070496", [("filename1.pdf", letter)]
        )
        server.requests.clear()
        whole = await classify_filing(filing(base, "UPLOAD", "upload"), fetcher(session, base))

    assert server.requests == ["/upload/0000000000-16-070496.txt"]
    assert whole == one_by_one
    assert [type(x) for x in whole.labels] == [CorrespondenceLabel]


async def test_a_full_submission_over_the_cap_falls_back_to_the_documents(
    served: tuple[Server, str],
) -> None:
    server, base = served
    letter = server.files["/upload/filename1.pdf"]
    server.files["/upload/0000000000-16-070496.txt"] = render_full_submission(
        None, "0000000000-16-070496", [("filename1.pdf", letter)]
    )
    async with aiohttp.ClientSession() as session:
        result = await classify_filing(
            filing(base, "UPLOAD", "upload"), fetcher(session, base), submission_max_bytes=1024
        )

    assert server.requests == [
        "/upload/0000000000-16-070496.txt",
        "/upload/index.json",
        "/upload/filename1.pdf",
    ]
    assert not result.errors
    assert [type(x) for x in result.labels] == [CorrespondenceLabel]


async def test_a_metadata_only_filing_costs_no_request(served: tuple[Server, str]) -> None:
    server, base = served
    async with aiohttp.ClientSession() as session:
        quarterly = await classify_filing(filing(base, "10-Q", "upload"), fetcher(session, base))
        other_events = await classify_filing(
            filing(base, "8-K", "nothing", ("5.02",)), fetcher(session, base)
        )

    assert server.requests == []
    assert quarterly.labels == ()
    assert other_events.items == ("5.02",)


async def test_failed_fetches_are_recorded_and_metadata_still_decides(
    served: tuple[Server, str],
) -> None:
    _server, base = served
    async with aiohttp.ClientSession() as session:
        result = await classify_filing(
            filing(base, "8-K", "missing", ("8.01", "9.01")), fetcher(session, base)
        )

    assert [e.stage for e in result.errors] == ["fetch"]
    assert result.errors[0].url == f"{base}/missing/index.json"
    assert [type(x) for x in result.labels] == [Item801Label]


async def test_a_fair_access_block_is_raised_for_the_caller_to_back_off(
    served: tuple[Server, str],
) -> None:
    server, base = served
    server.status = 429
    async with aiohttp.ClientSession() as session:
        with pytest.raises(FairAccessBlocked):
            await classify_filing(filing(base, "UPLOAD", "upload"), fetcher(session, base))
