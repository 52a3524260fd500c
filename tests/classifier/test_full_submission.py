"""Reading a filing from its full submission ``.txt`` gives the same event as reading its
documents one by one, in one request instead of two to four: checked on every filing the
demo features (real 8-K documents, press releases and comment letters from ``../shared``),
served by the simulator."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import aiohttp

from edgarmon.classifier.adapters.filing_documents import classify_discovered
from edgarmon.classifier.domain.submission import submission_files
from edgarmon.core.domain.filing import EASTERN, Company, Filing
from edgarmon.demo.featured import (
    Featured,
    clinical_exhibits,
    recorded_filings,
    register_documents,
    seed_filings,
)
from edgarmon.simulator.full_submission import render_full_submission
from edgarmon.simulator.recordings import load_recordings
from edgarmon.simulator.scenario import SimulatorOptions, build_simulated_edgar
from edgarmon.simulator.server import running_simulator
from edgarmon.testing.clock import ManualClock
from tests.classifier.local_edgar import edgar_fetcher


def as_filing(item: Featured, base_url: str) -> Filing:
    template = item.template
    cik = template.companies[0].cik
    folder = template.accession.replace("-", "")
    return Filing(
        accession_number=template.accession,
        form_type=template.form_type,
        companies=tuple(Company(cik=c.cik, name=c.name, role=c.role) for c in template.companies),
        items=tuple(number for number, _ in template.items),
        accepted_at=datetime(2024, 1, 2, 10, 0, tzinfo=EASTERN),
        filing_date=date(2024, 1, 2),
        index_url=f"{base_url}/Archives/edgar/data/{cik}/{folder}/{template.accession}-index.htm",
    )


async def test_every_featured_filing_reads_the_same_from_its_full_submission(
    shared: Path,
) -> None:
    recordings = load_recordings(shared / "edgar")
    time = ManualClock()  # the client's budget and the simulator's fair-access guard share it
    sim = build_simulated_edgar(
        SimulatorOptions(data_dir=shared / "edgar", backlog=0, loop=False),
        clock=ManualClock(1.7e9),
        fair_access_clock=time.clock,
        recordings=recordings,
    )
    featured = seed_filings(shared) + clinical_exhibits(shared, limit=100)
    featured += recorded_filings(shared, recordings, limit=100)
    register_documents(recordings, featured)
    stamp = datetime(2024, 1, 2, tzinfo=UTC)
    requests = {"one by one": 0, "full submission": 0}
    async with running_simulator(sim) as edgar, aiohttp.ClientSession() as session:
        fetcher = edgar_fetcher(session, edgar.base_url, time, edgar_requests_per_second=5.0)
        for item in featured:
            filing = as_filing(item, edgar.base_url)
            one_by_one = await classify_discovered(filing, fetcher, submission_max_bytes=0)
            whole = await classify_discovered(filing, fetcher)
            requests["one by one"] += one_by_one.requests
            requests["full submission"] += whole.requests
            assert whole.requests == 1, item.template.accession
            # Recorded index.json files list documents that were not recorded (404 one by
            # one); the simulator's .txt holds only those it has. The rest is the same.
            before = one_by_one.to_message(classified_at=stamp, classifier_version="t")
            missing = {e.url for e in before.errors if "404" in e.message}
            before = before.model_copy(
                update={
                    "errors": tuple(e for e in before.errors if e.url not in missing),
                    "filing": before.filing.model_copy(
                        update={
                            "documents": tuple(
                                d for d in before.filing.documents if d.url not in missing
                            )
                        }
                    ),
                }
            )
            after = whole.to_message(classified_at=stamp, classifier_version="t")
            assert after.model_dump(exclude={"filing": {"documents"}}) == before.model_dump(
                exclude={"filing": {"documents"}}
            ), item.template.accession
            assert [(d.url, d.type) for d in after.filing.documents] == [
                (d.url, d.type) for d in before.filing.documents
            ]

    assert len(featured) > 100
    assert requests["full submission"] == len(featured)
    assert requests["one by one"] > 2 * requests["full submission"]


def test_a_submission_splits_back_into_its_files_byte_for_byte(shared: Path) -> None:
    upload = shared / "edgar" / "filings" / "upload" / "BSX_0000000000-16-070496"
    letter = (upload / "0000000000-16-070496_filename1.pdf").read_bytes()
    release = "<html><body><p>Caf\u00e9 results \u2014 Phase 2</p></body></html>\n".encode()
    legacy = "<p>Fran\u00e7ais</p>".encode("cp1252")  # another encoding in the same .txt
    files = [("filename1.pdf", letter), ("ex99.htm", release), ("old.htm", legacy)]

    txt = render_full_submission(None, "0000000000-16-070496", files)

    assert submission_files(txt) == tuple(files)
