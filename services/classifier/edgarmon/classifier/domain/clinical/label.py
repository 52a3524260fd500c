"""Decide whether a filing reports a clinical update, and why.

Every unit of every document (see :mod:`~edgarmon.classifier.domain.clinical.units`) is
read into features and scored by the clinical model; the most clinical unit
decides. The label carries the model's probability as its confidence, the
headline (or the decisive sentence) as evidence, the sentences that decided it,
and the drug, phase, indication and meeting. A unit that only mentions its
pipeline in passing comes back as a near-miss whose rationale names what
outweighed the clinical words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from edgarmon.classifier.domain.clinical import details as found
from edgarmon.classifier.domain.clinical.drugs import drug_names
from edgarmon.classifier.domain.clinical.events import KINDS, TRIAL_RESULTS
from edgarmon.classifier.domain.clinical.features import (
    KIND_NAMES,
    TOPIC_NAMES,
    UnitReading,
    feature_values,
    mentions_context,
    read_unit,
    read_zones,
)
from edgarmon.classifier.domain.clinical.layout import Layout, Zones, sentences, split_zones
from edgarmon.classifier.domain.clinical.model import ClinicalModel, packaged_model
from edgarmon.classifier.domain.clinical.terms import occurs
from edgarmon.classifier.domain.clinical.units import units
from edgarmon.classifier.domain.text_extraction import DocumentText
from edgarmon.core.domain.messages import ClinicalDetails, ClinicalUpdateLabel, Evidence

LABEL_AT = 0.5
"""Where a rationale stops saying "reports" and starts saying why not."""
_MOST_PER_TOPIC = 3.0
_UNDER_LABEL_AT = -0.01
"""A logit whose probability rounds (to 3 places) under :data:`LABEL_AT`."""
_FINDING = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|percent|mg|mcg|patients|subjects|months|weeks|meters)|p\s*[=<]",
    re.IGNORECASE,
)
_READER_SEES: dict[Layout, str] = {
    Layout.SCIENTIFIC: "abstract",
    Layout.SLIDES: "slides",
    Layout.LETTER: "letter",
    Layout.SECTION: "item section",
}


@dataclass(frozen=True, slots=True)
class Assessment:
    reading: UnitReading
    confidence: float
    values: dict[str, float]
    rationale: str

    @property
    def source(self) -> str:
        return self.reading.source

    @property
    def zones(self) -> Zones:
        return self.reading.zones


def words(names: Sequence[str]) -> str:
    """Kind or topic names as words: "trial results, meeting presentation"."""
    return ", ".join(name.replace("_", " ") for name in names)


def _in_order(names: frozenset[str], order: Sequence[str]) -> list[str]:
    return [name for name in order if name in names]


def _rationale(reading: UnitReading, confidence: float) -> str:
    headline, lead = reading.kinds("headline"), reading.kinds("lead")
    topics = reading.topics("headline") | reading.topics("lead")
    everywhere = headline | lead | reading.kinds("body")
    if confidence >= LABEL_AT:
        where = _READER_SEES.get(reading.zones.layout)
        if where is None:
            where = "headline" if headline else "lead" if lead else "text"
        verb = "report" if where == "slides" else "reports"
        return f"the {where} {verb} {words(_in_order(headline | lead or everywhere, KIND_NAMES))}"
    if topics:
        passing = f" ({words(_in_order(everywhere, KIND_NAMES))})" if everywhere else ""
        return (
            f"the headline and lead are about {words(sorted(topics))}; clinical terms"
            f"{passing} appear only in passing"
        )
    if everywhere - headline - lead:
        return f"{words(_in_order(everywhere, KIND_NAMES))} only outside the headline and lead"
    if headline | lead:
        return f"{words(_in_order(headline | lead, KIND_NAMES))} without enough trial context"
    return "no clinical trial event in the headline or lead"


def assess(reading: UnitReading, model: ClinicalModel) -> Assessment:
    values = feature_values(reading)
    confidence = round(model.probability(values), 3)
    return Assessment(reading, confidence, values, _rationale(reading, confidence))


def assess_documents(
    documents: Sequence[DocumentText],
    model: ClinicalModel,
    disabled: frozenset[str] = frozenset(),
) -> Assessment | None:
    """The most clinical unit across ``documents`` (exhibits and primary document)."""
    readings = [read_unit(unit, disabled) for doc in documents for unit in units(doc)]
    assessments = [assess(reading, model) for reading in readings]
    return max(assessments, key=lambda a: a.confidence, default=None)


def labelled_only_in_context(model: ClinicalModel) -> bool:
    """Whether a unit without a trial context scores under :data:`LABEL_AT` whatever it
    says: it has no kind of news and no context features, and its topics (each 3 at
    most, and at most 3 in the body) count at most their positive weights."""
    topics = [f"topic:{name}" for name in TOPIC_NAMES] + ["body:topics"]
    most = model.bias + sum(_MOST_PER_TOPIC * max(0.0, model.weights.get(f, 0.0)) for f in topics)
    return most < _UNDER_LABEL_AT


def decisive_sentences(zones: Zones, disabled: frozenset[str]) -> tuple[str, ...]:
    """Up to three front sentences that report clinical news, and up to two findings
    (a figure in a sentence that reports results) from anywhere in the news."""

    def reports(sentence: str) -> bool:
        return any(occurs(kind, sentence, disabled) for kind in KINDS)

    front = [s for s in sentences(zones.front()) if reports(s)][:3]
    findings = [
        s
        for s in sentences(zones.news)
        if s not in front and _FINDING.search(s) and occurs(TRIAL_RESULTS, s, disabled)
    ][:2]
    return tuple(s[:500] for s in [*front, *findings])


def clinical_details(assessment: Assessment, disabled: frozenset[str]) -> ClinicalDetails:
    reading, zones = assessment.reading, assessment.zones
    front_kinds = reading.kinds("headline") | reading.kinds("lead")
    kinds = _in_order(front_kinds or reading.kinds("body"), KIND_NAMES)
    everywhere = front_kinds | reading.kinds("body")
    drugs = drug_names(zones)
    return ClinicalDetails(
        drugs=drugs,
        phases=found.phases(zones),
        indications=found.indications(zones, drugs),
        trial_ids=found.trial_ids(zones.news),
        meeting=found.meeting(zones, "meeting_presentation" in front_kinds)
        if "meeting_presentation" in everywhere
        else None,
        event_kinds=tuple(kinds),
        decisive_sentences=decisive_sentences(zones, disabled),
    )


def clinical_label(
    documents: Sequence[DocumentText],
    model: ClinicalModel | None = None,
    disabled: frozenset[str] = frozenset(),
) -> ClinicalUpdateLabel | None:
    """The clinical-update label with its confidence, or ``None`` when no document even
    touches on clinical work (no label, and no near-miss worth reporting). ``model`` is
    the packaged one unless given; ``disabled`` terms are not used."""
    model = model or packaged_model()
    zoned = [
        (unit.source, split_zones(unit.text, unit.layout))
        for doc in documents
        for unit in units(doc)
    ]
    if labelled_only_in_context(model) and not any(
        mentions_context(zones, disabled) for _, zones in zoned
    ):
        return None  # as the full reading would conclude: no unit can be a label or a near-miss
    assessments = [assess(read_zones(source, zones, disabled), model) for source, zones in zoned]
    best = max(assessments, key=lambda a: a.confidence, default=None)
    if best is None:
        return None
    if best.confidence < LABEL_AT and not best.reading.has_context:
        return None
    details = clinical_details(best, disabled)
    quote = best.zones.headline.strip() or (details.decisive_sentences or ("",))[0]
    evidence = (Evidence(source=best.source, text=" ".join(quote.split())[:2000]),) if quote else ()
    return ClinicalUpdateLabel(
        confidence=best.confidence,
        evidence=evidence,
        rationale=best.rationale,
        details=details,
    )
