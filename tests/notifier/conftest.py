"""Fixtures for the notifier tests.

The two seed filings are built by hand from ``../shared/seeds/README.md`` with the
label models of ``core/domain/messages.py``: the SEC staff letter (UPLOAD) to ImmunoGen
of May 11, 2009, and ImmunoGen's 8-K of October 24, 2007 (Item 8.01, clinical
update on huC242-DM4). Accession numbers, times and document names are
illustrative: the seeds are plain-text conversions without their EDGAR metadata.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest
import trustme

from edgarmon.core.domain.filing import EASTERN, Company, Document, Filing
from edgarmon.core.domain.messages import (
    ClinicalDetails,
    ClinicalUpdateLabel,
    CorrespondenceDetails,
    CorrespondenceLabel,
    Evidence,
    FilingClassified,
    Item801Details,
    Item801Label,
    ItemReading,
    ItemSource,
    LetterDirection,
    ReviewedFiling,
)
from edgarmon.notifier.domain.tickers import TickerMap
from edgarmon.sinks.throwaway_tls import ThrowawayTls
from edgarmon.testing.clock import ManualClock

if TYPE_CHECKING:
    from tests.notifier.notifier_harness import ServiceSinks

IMMUNOGEN_CIK: Final = 855654
LINK_HOSTS: Final = ("www.sec.gov", "sec.gov")
LETTER_ACCESSION: Final = "0000000000-09-024633"
EIGHT_K_ACCESSION: Final = "0001104659-07-076958"
ARCHIVES: Final = "https://www.sec.gov/Archives/edgar/data/855654"


def immunogen(role: str = "Filer", name: str = "ImmunoGen, Inc.") -> Company:
    return Company(cik=IMMUNOGEN_CIK, name=name, role=role)


def letter_filing(**changes: object) -> Filing:
    folder = f"{ARCHIVES}/{LETTER_ACCESSION.replace('-', '')}"
    filing = Filing(
        accession_number=LETTER_ACCESSION,
        form_type="UPLOAD",
        companies=(immunogen(),),
        accepted_at=datetime(2009, 6, 5, 16, 45, 12, tzinfo=EASTERN),
        filing_date=date(2009, 6, 5),
        index_url=f"{folder}/{LETTER_ACCESSION}-index.htm",
        documents=(
            Document(
                url=f"{folder}/filename1.pdf",
                type="LETTER",
                filename="filename1.pdf",
                description="Staff letter",
            ),
        ),
    )
    return filing.model_copy(update=changes)


def letter_classified(filing: Filing | None = None) -> FilingClassified:
    label = CorrespondenceLabel(
        confidence=0.98,
        evidence=(
            Evidence(source="form_type", text="UPLOAD"),
            Evidence(
                source="document:LETTER",
                text="We have reviewed your response and have the following comments.",
            ),
        ),
        rationale="UPLOAD is the form of SEC staff letters, and this one asks numbered comments.",
        details=CorrespondenceDetails(
            direction=LetterDirection.SEC_TO_COMPANY,
            reviewed_filing=ReviewedFiling(
                form_type="10-K",
                period="fiscal year ended June 30, 2008",
                fiscal_year=2008,
                file_number="000-17999",
            ),
            comment_count=2,
            response_deadline="10 business days",
            staff_contacts=("John L. Krug", "Suzanne Hayes", "Jeffrey Riedler"),
            letter_date="May 11, 2009",
        ),
    )
    return FilingClassified(
        filing=filing or letter_filing(),
        labels=(label,),
        classified_at=datetime(2009, 6, 5, 20, 45, 30, tzinfo=UTC),
        classifier_version="0.1.0",
    )


def eight_k_filing(**changes: object) -> Filing:
    folder = f"{ARCHIVES}/{EIGHT_K_ACCESSION.replace('-', '')}"
    filing = Filing(
        accession_number=EIGHT_K_ACCESSION,
        form_type="8-K",
        companies=(immunogen(),),
        items=("8.01", "9.01"),
        accepted_at=datetime(2007, 10, 25, 16, 31, 8, tzinfo=EASTERN),
        filing_date=date(2007, 10, 25),
        index_url=f"{folder}/{EIGHT_K_ACCESSION}-index.htm",
        documents=(
            Document(
                url=f"{folder}/a07-27654_18k.htm",
                type="8-K",
                filename="a07-27654_18k.htm",
                description="FORM 8-K",
            ),
            Document(
                url=f"{folder}/a07-27654_1ex99d1.htm",
                type="EX-99.1",
                filename="a07-27654_1ex99d1.htm",
                description="PRESS RELEASE DATED OCTOBER 24, 2007",
            ),
        ),
    )
    return filing.model_copy(update=changes)


MTD_SENTENCE: Final = (
    "The MTD of huC242-DM4, dosed every three weeks, now has been established to be 168 mg/m²."
)


def eight_k_classified(filing: Filing | None = None) -> FilingClassified:
    item_label = Item801Label(
        confidence=0.99,
        evidence=(Evidence(source="document:8-K", text="ITEM 8.01 OTHER EVENTS"),),
        rationale="The 8-K reports Item 8.01 under its own heading.",
        details=Item801Details(
            items=("8.01", "9.01"),
            decided_by=ItemSource.DOCUMENT,
            readings=(ItemReading(source=ItemSource.DOCUMENT, items=("8.01", "9.01")),),
        ),
    )
    clinical_label = ClinicalUpdateLabel(
        confidence=0.93,
        evidence=(
            Evidence(
                source="document:EX-99.1",
                text=(
                    "today announced that huC242-DM4 Phase I findings, preclinical support for "
                    "its Phase II evaluation in gastric cancer, and additional information on "
                    "the activation of TAP compounds inside tumors are being reported at the "
                    "AACR-NCI-EORTC conference"
                ),
            ),
            Evidence(source="document:EX-99.1", text=MTD_SENTENCE),
        ),
        rationale="The press release reports Phase I findings for a named drug candidate.",
        details=ClinicalDetails(
            drugs=("huC242-DM4",),
            phases=("Phase I", "Phase II"),
            indications=("gastric cancer", "colorectal cancer"),
            meeting='AACR-NCI-EORTC "Molecular Targets and Cancer Therapeutics"',
            event_kinds=("trial_results",),
            decisive_sentences=(MTD_SENTENCE,),
        ),
    )
    return FilingClassified(
        filing=filing or eight_k_filing(),
        items=("8.01", "9.01"),
        labels=(item_label, clinical_label),
        classified_at=datetime(2007, 10, 25, 20, 32, 0, tzinfo=UTC),
        classifier_version="0.1.0",
    )


@pytest.fixture
def tickers() -> TickerMap:
    """ImmunoGen left SEC's ticker file after its 2024 acquisition; the tests map it."""
    return TickerMap.from_pairs([("IMGN", IMMUNOGEN_CIK), ("AAPL", 320193)])


@pytest.fixture
def fake_time() -> ManualClock:
    return ManualClock()


@pytest.fixture
def letter() -> FilingClassified:
    """Seed 000: the SEC staff letter (UPLOAD) to ImmunoGen, classified."""
    return letter_classified()


@pytest.fixture
def eight_k() -> FilingClassified:
    """Seed 004: ImmunoGen's 8-K with Item 8.01 and a clinical update, classified."""
    return eight_k_classified()


@pytest.fixture
def eight_k_amendment() -> FilingClassified:
    """An 8-K/A of the seed 8-K, as a separate accession."""
    return eight_k_classified(
        eight_k_filing(form_type="8-K/A", accession_number="0001104659-07-077001")
    )


GOLDEN_DIR: Final = Path(__file__).parent / "golden"

Golden = Callable[[str, bytes], None]


@pytest.fixture
def golden() -> Golden:
    """Compare bytes with ``golden/NAME``; ``EDGARMON_UPDATE_GOLDEN=1`` rewrites the file."""

    def check(name: str, actual: bytes) -> None:
        path = GOLDEN_DIR / name
        if os.environ.get("EDGARMON_UPDATE_GOLDEN") == "1":
            path.write_bytes(actual)
        assert path.is_file(), f"no golden file {path}; run with EDGARMON_UPDATE_GOLDEN=1"
        assert actual.decode() == path.read_bytes().decode()

    return check


@pytest.fixture(scope="session")
def tls() -> ThrowawayTls:
    """A throwaway CA and server certificate for the SMTP sink's STARTTLS."""
    return ThrowawayTls.from_ca(trustme.CA())


@pytest.fixture
async def service_sinks(tmp_path: Path, tls: ThrowawayTls) -> AsyncIterator[ServiceSinks]:
    """The Slack and SMTP sinks a running notifier delivers to."""
    # The harness imports this conftest's factories, so it is imported here, not above.
    from tests.notifier.notifier_harness import sinks_for_service  # noqa: PLC0415

    async with sinks_for_service(tmp_path, tls) as running:
        yield running
