"""A classification becomes a FilingClassified that survives the codec."""

from __future__ import annotations

from datetime import UTC, date, datetime

from edgarmon.classifier.domain.classify import KnownFiling, classify
from edgarmon.classifier.domain.text_extraction import DocumentText
from edgarmon.core.domain.codec import decode, encode
from edgarmon.core.domain.filing import EASTERN, Company, Filing
from edgarmon.core.domain.messages import FilingClassified, LabelId

RELEASE = """Exhibit 99.1
Example Therapeutics Announces First Patient Dosed in Phase 1 Trial of EXT-101
SAN DIEGO, June 2, 2031 -- Example Therapeutics today announced that the first patient has been
dosed in its Phase 1 clinical trial of EXT-101 in patients with advanced solid tumors.
"""


def test_classification_round_trips_through_the_codec() -> None:
    filing = Filing(
        accession_number="0001234567-31-000042",
        form_type="8-K",
        companies=(Company(cik=1234567, name="Example Therapeutics", role="Filer"),),
        items=("8.01", "9.01"),
        accepted_at=datetime(2031, 6, 2, 8, 1, tzinfo=EASTERN),
        filing_date=date(2031, 6, 2),
        index_url="https://www.sec.gov/Archives/edgar/data/1234567/000123456731000042/"
        "0001234567-31-000042-index.htm",
    )
    documents = [DocumentText("EX-99.1", "ex99-1.htm", RELEASE, "html")]

    result = classify(filing, documents)
    message = result.to_message(
        filing, classified_at=datetime(2031, 6, 2, 12, 0, tzinfo=UTC), classifier_version="t"
    )
    record = encode(message, source="/edgarmon/classifier")
    back = decode(record.value, record.headers, FilingClassified)

    assert back == message
    assert back.label(LabelId.ITEM_8_01) is not None
    assert back.label(LabelId.CLINICAL_UPDATE) is not None
    assert back.items == ("8.01", "9.01")


def test_known_filing_from_a_filing_keeps_the_feed_items() -> None:
    known = KnownFiling.from_filing(
        Filing(
            accession_number="0001234567-31-000043",
            form_type="10-Q",
            companies=(Company(cik=1, name="X", role="Filer"),),
            accepted_at=datetime(2031, 6, 2, 8, 1, tzinfo=EASTERN),
            filing_date=date(2031, 6, 2),
            index_url="https://www.sec.gov/Archives/edgar/data/1/000123456731000043/x-index.htm",
        )
    )
    assert known.form_type == "10-Q"
    assert known.item_readings == ()
    assert classify(known).labels == ()
