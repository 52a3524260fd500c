"""The simulator's HTTP face: EDGAR's URLs, fair access, faults and control endpoints.

EDGAR paths served:

- ``/cgi-bin/browse-edgar?action=getcurrent`` -- the latest-filings feed, paged with
  ``start``/``count`` (503 and EDGAR's "File Unavailable" page at ``start`` >= depth);
- ``/cgi-bin/browse-edgar?action=getcompany&CIK=...`` -- company feeds;
- ``/Archives/edgar/daily-index/YYYY/QTRn/<flavor>.YYYYMMDD.idx``;
- ``/Archives/edgar/data/<cik>/<folder>/<name>`` -- ``index.json``, ``-index.htm``,
  documents and the full submission ``<accession>.txt`` (recorded, or built from the
  documents served); ``/submissions/CIK##########.json``.

``/Archives`` answers carry ``ETag``/``Last-Modified`` and honour conditional GET;
everything is gzip-compressed for clients that ask. Control endpoints under
``/_sim/`` are exempt from fair access and from the request log.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Final

from aiohttp import web

from edgarmon.simulator.control import SIM, add_control_routes
from edgarmon.simulator.fair_access import Verdict
from edgarmon.simulator.faults import FaultKind
from edgarmon.simulator.feed_rendering import (
    UNDECLARED_TOOL_PAGE,
    render_company_feed,
    render_filing_index_page,
    render_index_json,
    render_latest_feed,
)
from edgarmon.simulator.full_submission import (
    is_submission_document,
    primary_first,
    render_full_submission,
)
from edgarmon.simulator.index_files import FLAVORS
from edgarmon.simulator.simulated_edgar import SimulatedEdgar

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NOT_FOUND_PAGE: Final = b"<html><head><title>SEC.gov | Page Not Found</title></head></html>"
ATOM: Final = "application/atom+xml"


def _http_date(moment: float) -> str:
    return format_datetime(datetime.fromtimestamp(moment, UTC), usegmt=True)


def _bytes(body: bytes, content_type: str, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, content_type=content_type.partition(";")[0])


@web.middleware
async def edgar_rules(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Fair access, faults, conditional GET, compression and the request log."""
    if request.path.startswith("/_sim/"):
        return await handler(request)
    sim = request.app[SIM]
    client = request.remote or "unknown"
    verdict = sim.guard.check(client, request.headers.get("User-Agent"))
    fault = sim.faults.take(request.path) if verdict is Verdict.ALLOW else None
    if fault is not None and fault.kind is FaultKind.BLOCK:
        sim.guard.block(client, fault.seconds or None)
        verdict = Verdict.BLOCKED
    if verdict is Verdict.UNDECLARED:
        response: web.StreamResponse = _bytes(UNDECLARED_TOOL_PAGE, "text/html", 403)
    elif verdict is Verdict.BLOCKED:
        response = _bytes(
            sim.recordings.block_page or b"Request Rate Threshold Exceeded", "text/html", 403
        )
    elif fault is not None and fault.kind is FaultKind.UNAVAILABLE:
        response = _bytes(sim.recordings.unavailable_page or b"File Unavailable", "text/html", 503)
    else:
        if fault is not None and fault.kind is FaultKind.SLOW:
            await asyncio.sleep(fault.seconds)
        response = await handler(request)
        cut = fault is not None and fault.kind in {FaultKind.TRUNCATE, FaultKind.MALFORMED}
        if cut and isinstance(response, web.Response) and isinstance(response.body, bytes):
            sim.record(request.path, response.status, client, query=request.query_string)
            half = response.body[: len(response.body) // 2]
            if fault is not None and fault.kind is FaultKind.TRUNCATE:
                return await _truncated(request, response, half)
            return _bytes(half, response.content_type, response.status)
        response = _conditional(request, response)
    sim.record(request.path, response.status, client, query=request.query_string)
    if (
        isinstance(response, web.Response)
        and response.body
        and "gzip" in request.headers.get("Accept-Encoding", "")
    ):
        response.enable_compression(web.ContentCoding.gzip)
    return response


def _conditional(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    if not request.path.startswith("/Archives/") or not isinstance(response, web.Response):
        return response
    if response.status != 200 or not isinstance(response.body, bytes):
        return response
    etag = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
    response.headers["ETag"] = etag
    last_modified = response.headers.setdefault("Last-Modified", _http_date(request.app[SIM].now()))
    if request.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request.headers
        and request.headers.get("If-Modified-Since") == last_modified
    ):
        return web.Response(status=304, headers={"ETag": etag, "Last-Modified": last_modified})
    return response


async def _truncated(
    request: web.Request, response: web.Response, part: bytes
) -> web.StreamResponse:
    """Promise the whole body, send ``part`` of it, and hang up."""
    stream = web.StreamResponse(
        status=response.status, headers={"Content-Type": response.content_type}
    )
    stream.content_length = len(part) * 2 + 1024
    await stream.prepare(request)
    await stream.write(part)
    if request.transport is not None:
        request.transport.close()
    return stream


async def browse_edgar(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIM]
    query = request.query
    action = query.get("action", "")
    start = int(query.get("start", "0") or 0)
    count = int(query.get("count", "40") or 40)
    count = count if 0 < count <= 100 else 40
    if action == "getcurrent":
        entries = sim.latest_entries(
            start=start,
            count=count,
            form_prefix=query.get("type", ""),
            owner=query.get("owner", "include"),
        )
        if entries is None:
            return _bytes(sim.recordings.unavailable_page or b"File Unavailable", "text/html", 503)
        return _bytes(render_latest_feed(entries, sim.now_datetime()), ATOM)
    if action == "getcompany":
        raw_cik = query.get("CIK", "").strip()
        cik = int(raw_cik) if raw_cik.isdigit() else -1
        found = sim.company_filings(cik)
        if found is not None:
            company, filings = found
            form_prefix = query.get("type", "").strip().upper()  # EDGAR: a prefix, any case
            if form_prefix:
                filings = [f for f in filings if f.form_type.upper().startswith(form_prefix)]
            page = filings[start : start + count]
            return _bytes(render_company_feed(company, page, sim.now_datetime()), ATOM)
        recorded = sim.recordings.company_feeds.get(cik)
        if recorded is not None:
            return _bytes(recorded.read(), ATOM)
        return _bytes(sim.recordings.cik_not_found_page or NOT_FOUND_PAGE, "text/html")
    return _bytes(NOT_FOUND_PAGE, "text/html", 400)


async def daily_index(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIM]
    name = request.match_info["name"]
    flavor, _, rest = name.partition(".")
    raw = rest.removesuffix(".idx")
    if flavor not in FLAVORS or len(raw) != 8 or not raw.isdigit():
        return _bytes(NOT_FOUND_PAGE, "text/html", 404)
    body = sim.daily_index(flavor, date(int(raw[:4]), int(raw[4:6]), int(raw[6:])))
    if body is None:
        return _bytes(NOT_FOUND_PAGE, "text/html", 404)
    return _bytes(body, "text/plain")


async def archives_document(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIM]
    cik, folder, name = (request.match_info[key] for key in ("cik", "folder", "name"))
    if len(folder) != 18 or not folder.isdigit() or not cik.isdigit():
        return _bytes(NOT_FOUND_PAGE, "text/html", 404)
    accession = f"{folder[:10]}-{folder[10:12]}-{folder[12:]}"
    return _document(sim, int(cik), accession, name)


async def archives_flat(request: web.Request) -> web.StreamResponse:
    """``/Archives/edgar/data/<cik>/<acc>.txt`` and ``<acc>-index.htm`` (index paths)."""
    sim = request.app[SIM]
    cik, name = request.match_info["cik"], request.match_info["name"]
    accession = name[:20]
    if not cik.isdigit() or len(accession) != 20:
        return _bytes(NOT_FOUND_PAGE, "text/html", 404)
    return _document(sim, int(cik), accession, name)


def _document(sim: SimulatedEdgar, cik: int, accession: str, name: str) -> web.StreamResponse:
    if sim.is_hidden(accession):
        return _bytes(NOT_FOUND_PAGE, "text/html", 404)
    aliases = {name, name.replace("-index.html", "-index.htm")}
    recorded = next(
        (file for alias in aliases if (file := sim.recordings.document(accession, alias))), None
    )
    if recorded is not None:
        response = _bytes(recorded.read(), recorded.content_type)
        if recorded.last_modified:
            response.headers["Last-Modified"] = recorded.last_modified
        return response
    documents = sim.recordings.documents.get(accession, {})
    filing = sim.find(accession)
    when = filing.accepted_at if filing is not None else sim.now_datetime()
    if name == "index.json" and (documents or filing is not None):
        names = [(doc, file.path.stat().st_size) for doc, file in sorted(documents.items())]
        return _bytes(render_index_json(cik, accession, names, when), "application/json")
    if name in {f"{accession}-index.htm", f"{accession}-index.html"} and filing is not None:
        return _bytes(render_filing_index_page(filing, sorted(documents)), "text/html")
    served = [doc for doc in documents if is_submission_document(doc, accession)]
    if name == f"{accession}.txt" and (served or filing is not None):
        order = primary_first(served, filing.form_type if filing is not None else "")
        files = [(doc, documents[doc].read()) for doc in order]
        return _bytes(render_full_submission(filing, accession, files), "text/plain")
    return _bytes(NOT_FOUND_PAGE, "text/html", 404)


async def submissions(request: web.Request) -> web.StreamResponse:
    recorded = request.app[SIM].recordings.submissions.get(
        request.match_info["name"].removesuffix(".json")
    )
    if recorded is None:
        return _bytes(b"<Error><Code>NoSuchKey</Code></Error>", "application/xml", 404)
    return _bytes(recorded.read(), "application/json")


def build_app(sim: SimulatedEdgar) -> web.Application:
    app = web.Application(middlewares=[edgar_rules])
    app[SIM] = sim
    app.router.add_get("/cgi-bin/browse-edgar", browse_edgar)
    app.router.add_get("/Archives/edgar/daily-index/{year}/{quarter}/{name}", daily_index)
    app.router.add_get("/Archives/edgar/data/{cik}/{folder}/{name}", archives_document)
    app.router.add_get("/Archives/edgar/data/{cik}/{name}", archives_flat)
    app.router.add_get("/submissions/{name}", submissions)
    add_control_routes(app)
    return app


@dataclass(frozen=True, slots=True)
class RunningSimulator:
    sim: SimulatedEdgar
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


@asynccontextmanager
async def running_simulator(
    sim: SimulatedEdgar, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningSimulator]:
    """Serve ``sim`` on ``host:port`` (port 0: a free one) until the block exits."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    runner = web.AppRunner(
        build_app(sim), handle_signals=False, handler_cancellation=True, shutdown_timeout=1.0
    )
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    try:
        yield RunningSimulator(sim=sim, host=host, port=sock.getsockname()[1])
    finally:
        await runner.cleanup()
