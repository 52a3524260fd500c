"""Clinical updates: decided from the headline and lead, with near-misses explained.

The releases below are hand-written for these tests, in the style of real ones.
"""

from __future__ import annotations

from pathlib import Path

from edgarmon.classifier.domain.classify import KnownFiling, classify
from edgarmon.classifier.domain.classify_input import classify_input
from edgarmon.classifier.domain.clinical import clinical_label
from edgarmon.classifier.domain.clinical.details import (
    indications,
    phase_mentions,
    phases,
    trial_ids,
)
from edgarmon.classifier.domain.clinical.drugs import drug_names
from edgarmon.classifier.domain.clinical.layout import Layout, Zones
from edgarmon.classifier.domain.text_extraction import DocumentText
from edgarmon.core.domain.messages import ClinicalUpdateLabel

FINANCIAL_RESULTS = """Exhibit 99.1
Northwind Bio Reports Third Quarter 2031 Financial Results
BOSTON, Nov. 12, 2031 (GLOBE NEWSWIRE) -- Northwind Bio, Inc. (Nasdaq: NWBI), a clinical-stage
company, today reported financial results for the third quarter ended September 30, 2031.
Net loss for the quarter was $14.2 million, or $0.31 per share. Cash and cash equivalents were
$88.0 million. Research and development expenses rose on manufacturing activities.
"We continue to advance NW-311, now in a Phase 2 trial in ulcerative colitis," said the CEO.
"""

TOPLINE = """EXHIBIT 99.1
FOR IMMEDIATE RELEASE
Contact: investors@northwind.example (617) 555-0100
Northwind Bio Announces Positive Topline Results from Phase 2 Trial of NW-311 in Ulcerative Colitis
BOSTON, March 3, 2032 -- Northwind Bio, Inc. today announced that its randomized,
double-blind, placebo-controlled Phase 2 trial (NCT09876543) of NW-311 in patients with moderate
ulcerative colitis met its primary endpoint of clinical remission at week 12 (p=0.004).
Clinical remission was achieved by 31% of patients on NW-311 versus 9% on placebo.
About Northwind Bio
Northwind Bio also develops NW-900, a preclinical program in psoriasis.
"""

OFFERING = """Exhibit 99.1
Northwind Bio Announces Pricing of $40 Million Public Offering
BOSTON, April 2, 2032 -- Northwind Bio, Inc. today announced the pricing of an underwritten
public offering of 5,000,000 shares of common stock. Gross proceeds are expected to be $40
million. Northwind intends to use the net proceeds to fund its Phase 3 program for NW-311.
"""


def release(text: str) -> DocumentText:
    return DocumentText("EX-99.1", "ex99-1.htm", text, "text")


def test_a_financial_results_release_is_a_near_miss_with_a_reason() -> None:
    result = classify(
        KnownFiling(form_type="8-K", form_source="event"), [release(FINANCIAL_RESULTS)]
    )

    assert not [x for x in result.labels if isinstance(x, ClinicalUpdateLabel)]
    near = [x for x in result.near_misses if isinstance(x, ClinicalUpdateLabel)]
    assert len(near) == 1
    assert near[0].confidence < 0.5
    assert "financial results" in near[0].rationale
    assert "in passing" in near[0].rationale


def test_topline_results_in_the_headline_are_a_clinical_update() -> None:
    label = clinical_label([release(TOPLINE)])

    assert label is not None
    assert label.confidence >= 0.9
    details = label.details
    assert details.drugs[0] == "NW-311"
    assert "NW-900" not in details.drugs  # the "About" section is boilerplate, not news
    assert details.phases == ("Phase 2",)
    assert details.trial_ids == ("NCT09876543",)
    assert details.indications == ("ulcerative colitis",)
    assert "trial_results" in details.event_kinds
    assert label.evidence[0].source == "document:EX-99.1"
    assert "Topline Results" in label.evidence[0].text
    assert any("31%" in sentence for sentence in details.decisive_sentences)


def test_an_offering_that_names_a_phase_3_program_is_not_clinical() -> None:
    label = clinical_label([release(OFFERING)])

    assert label is not None
    assert label.confidence < 0.5
    assert "financing" in label.rationale


def test_a_release_without_clinical_words_gives_no_label_at_all() -> None:
    text = (
        "Exhibit 99.1\nAcme Declares Quarterly Dividend\n"
        "DALLAS, May 1, 2030 -- Acme declared a dividend."
    )
    assert clinical_label([release(text)]) is None


def test_real_quarterly_results_with_a_pipeline_update_is_a_near_miss(shared: Path) -> None:
    path = shared / "clinical" / "border__LineageCellTherapeutics__2022-11-10.txt"
    result = classify_input(path.read_bytes(), path.name)

    assert not result.labels
    near = [x for x in result.near_misses if isinstance(x, ClinicalUpdateLabel)]
    assert near
    assert "financial results" in near[0].rationale


def test_real_clinical_hold_email_is_a_clinical_update(shared: Path) -> None:
    path = shared / "clinical" / "pos__PraxisPrecisionMedicines__2020-11-06.txt"
    result = classify_input(path.read_bytes(), path.name)

    label = next(x for x in result.labels if isinstance(x, ClinicalUpdateLabel))
    assert "clinical_hold" in label.details.event_kinds


def zones(headline: str, lead: str = "", body: str = "") -> Zones:
    return Zones(Layout.RELEASE, headline, lead, body, "\n".join((headline, lead, body)))


def test_phases_are_named_as_written_once_each() -> None:
    assert phase_mentions("a Phase 1/2a study and a phase III trial") == ["Phase 1/2a", "Phase III"]
    assert phases(zones("Phase I and Phase II")) == ("Phase I", "Phase II")
    # the same phase written two ways is one phase, in the spelling used most
    assert phases(zones("Phase I trial begins", "The Phase 1 trial. A Phase 1 cohort.")) == (
        "Phase 1",
    )
    # the front's phases win over a recap in the body
    assert phases(zones("Phase 3 topline", "", "after the Phase 2 study")) == ("Phase 3",)


def test_trial_ids_and_drug_names() -> None:
    assert trial_ids("NCT01234567; EudraCT 2019-001234-56") == (
        "NCT01234567",
        "EudraCT 2019-001234-56",
    )
    news = zones(
        "Acme Reports Phase 2 Data for ABC-123 in Gastric Cancer",
        "The trial compared ABC-123 with placebo. ABC-123 was given in combination with "
        "docetaxel. The company also develops XYZ-900 (nerolimab) for psoriasis.",
    )
    assert drug_names(news) == ("ABC-123",)
    assert drug_names(zones("A proof-of-concept trial of squalamine", "squalamine dosed")) == (
        "squalamine",
    )


def test_indications_are_the_news_diseases_not_other_programs() -> None:
    news = zones(
        "Acme Reports Phase 2 Data for ABC-123 in Advanced Gastric Cancer",
        "patients with relapsed/refractory non-small cell lung cancer (NSCLC) were enrolled. "
        "Acme also develops XYZ-900 for the treatment of psoriasis at the Acme Cancer Center.",
    )
    assert indications(news, ("ABC-123",)) == ("gastric cancer", "non-small cell lung cancer")


def test_indications_come_from_the_leads_opening_not_its_background() -> None:
    news = zones(
        "Acme Doses First Patient in Phase 2 Trial of ABC-123",
        "Acme today announced the first patient dosed in its trial of ABC-123 in scalp "
        "psoriasis. The trial will enrol 40 patients. Scalp psoriasis is a chronic "
        "condition whose complications include squamous cell carcinoma and urinary retention.",
    )
    assert indications(news, ("ABC-123",)) == ("scalp psoriasis",)


NOT_CLINICAL_ELSEWHERE = [
    "Acme Software Launches a New IDE for Cloud Developers\nSEATTLE, May 2, 2031 -- Acme "
    "today announced the general availability of its IDE, with faster builds and new plugins.",
    "Acme Health Plans Exceeds Medicare Advantage Enrollment Targets\nHARTFORD, Jan. 9, 2031 -- "
    "Acme Health Plans today announced that it completed open enrollment with 1.2 million members.",
    "Acme Energy Commences Second Phase of Permian Drilling Program\nHOUSTON, June 1, 2031 -- "
    "Acme Energy today announced that it has commenced the second phase of its drilling program.",
]


def test_clinical_sounding_words_outside_medicine_are_not_clinical_updates() -> None:
    for text in NOT_CLINICAL_ELSEWHERE:
        label = clinical_label([release(text)])
        assert label is None or label.confidence < 0.5, text
