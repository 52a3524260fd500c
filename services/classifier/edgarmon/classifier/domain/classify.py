"""The classifier's pure entry point: what is known about a filing, plus the texts
of the documents already fetched, in; labels, near-misses, reconciled items and
errors out, ready to become a :class:`~edgarmon.core.domain.messages.FilingClassified`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Final, NamedTuple

from edgarmon.classifier.domain.clinical import clinical_label
from edgarmon.classifier.domain.correspondence import correspondence_details
from edgarmon.classifier.domain.form_inference import infer_form
from edgarmon.classifier.domain.item_label import item_801_label, item_readings_from_documents
from edgarmon.classifier.domain.items import items_from_header_values, reconcile
from edgarmon.classifier.domain.submission import SubmissionHeader
from edgarmon.classifier.domain.text_extraction import DocumentText
from edgarmon.classifier.domain.tuning import Tuning, default_tuning
from edgarmon.core.domain.filing import LETTER_FORMS, Company, Filing
from edgarmon.core.domain.messages import (
    ClassificationError,
    ClinicalUpdateLabel,
    CorrespondenceDetails,
    CorrespondenceLabel,
    DiscoverySource,
    Evidence,
    FilingClassified,
    Item801Label,
    ItemReading,
    ItemSource,
    ReviewedFiling,
)

DEFAULT_THRESHOLD: Final = 0.5
AnyLabel = CorrespondenceLabel | Item801Label | ClinicalUpdateLabel
_FORM_CONFIDENCE: Final = {"given": 0.99, "event": 0.99, "sgml_header": 0.99}


@dataclass(frozen=True, slots=True)
class KnownFiling:
    """What is known about a filing before its documents are read: from the discovered
    event, a submission header, or the caller. Everything may be missing."""

    form_type: str | None = None
    form_source: str = "unknown"
    """"given", "event", "sgml_header": who stated the form type."""
    item_readings: tuple[ItemReading, ...] = ()
    header_item_lines: tuple[str, ...] = ()
    reference_accession: str | None = None
    file_numbers: tuple[str, ...] = ()
    accession_number: str | None = None
    companies: tuple[Company, ...] = ()
    accepted_at: datetime | None = None
    filing_date: date | None = None

    @classmethod
    def from_filing(cls, filing: Filing) -> KnownFiling:
        readings = (
            (ItemReading(source=ItemSource.EVENT, items=filing.items),) if filing.items else ()
        )
        return cls(
            form_type=filing.form_type,
            form_source="event",
            item_readings=readings,
            accession_number=filing.accession_number,
            companies=filing.companies,
            accepted_at=filing.accepted_at,
            filing_date=filing.filing_date,
        )

    @classmethod
    def from_header(cls, header: SubmissionHeader) -> KnownFiling:
        return cls().with_header(header)

    def with_header(self, header: SubmissionHeader) -> KnownFiling:
        """Add what a submission header states; what is already known stays."""
        numbers = items_from_header_values([*header.item_numbers, *header.item_names])
        readings = list(self.item_readings)
        if header.item_names or header.item_numbers:
            readings.append(ItemReading(source=ItemSource.SGML_HEADER, items=numbers))
        has_form = bool(self.form_type)
        return replace(
            self,
            form_type=self.form_type or header.form_type,
            form_source=self.form_source if has_form else "sgml_header",
            item_readings=tuple(readings),
            header_item_lines=tuple(f"ITEM INFORMATION: {name}" for name in header.item_names)
            + tuple(f"<ITEMS>{number}" for number in header.item_numbers),
            reference_accession=self.reference_accession or header.reference_accession,
            file_numbers=self.file_numbers or header.file_numbers,
            accession_number=self.accession_number or header.accession_number,
            companies=self.companies or header.companies,
            accepted_at=self.accepted_at or header.accepted_at,
            filing_date=self.filing_date or header.filing_date,
        )

    def with_given(
        self, form_type: str | None = None, items: Sequence[str] | None = None
    ) -> KnownFiling:
        """Add what the caller states (``--form``, ``--items``); it wins over the rest."""
        readings = self.item_readings
        if items:
            readings = (ItemReading(source=ItemSource.GIVEN, items=tuple(items)), *readings)
        return replace(
            self,
            form_type=form_type or self.form_type,
            form_source="given" if form_type else self.form_source,
            item_readings=readings,
        )


@dataclass(frozen=True, slots=True)
class Classification:
    form_type: str | None
    form_source: str
    items: tuple[str, ...] = ()
    item_readings: tuple[ItemReading, ...] = ()
    labels: tuple[AnyLabel, ...] = ()
    near_misses: tuple[AnyLabel, ...] = ()
    errors: tuple[ClassificationError, ...] = field(default=())

    def to_message(
        self,
        filing: Filing,
        *,
        classified_at: datetime,
        classifier_version: str,
        discovered_by: DiscoverySource | None = None,
    ) -> FilingClassified:
        return FilingClassified(
            filing=filing,
            discovered_by=discovered_by,
            items=self.items,
            labels=self.labels,
            near_misses=self.near_misses,
            errors=self.errors,
            classified_at=classified_at,
            classifier_version=classifier_version,
        )


def _base_form(form_type: str | None) -> str:
    form = (form_type or "").upper().strip()
    return form[:-2] if form.endswith("/A") else form


def letter_label(
    form_type: str,
    known: KnownFiling,
    documents: Sequence[DocumentText],
    confidence: float,
    form_evidence: str,
) -> CorrespondenceLabel:
    letters = [d for d in documents if not d.is_exhibit and d.text.strip()]
    if letters:
        details = correspondence_details(form_type, letters[0].text, known.reference_accession)
    else:
        details = correspondence_details(form_type, "", known.reference_accession)
    if details.reviewed_filing is None and known.file_numbers:
        details = details.model_copy(
            update={"reviewed_filing": ReviewedFiling(file_number=known.file_numbers[0])}
        )
    elif details.reviewed_filing and not details.reviewed_filing.file_number and known.file_numbers:
        reviewed = details.reviewed_filing.model_copy(update={"file_number": known.file_numbers[0]})
        details = details.model_copy(update={"reviewed_filing": reviewed})
    return CorrespondenceLabel(
        confidence=confidence,
        evidence=_letter_evidence(form_evidence, details, letters),
        rationale=f"{form_type.upper()} is SEC correspondence, {details.direction.value}",
        details=details,
    )


def _letter_evidence(
    form_evidence: str, details: CorrespondenceDetails, letters: Sequence[DocumentText]
) -> tuple[Evidence, ...]:
    evidence = [Evidence(source="form_type", text=form_evidence[:2000])]
    if letters and details.reviewed_filing:
        reviewed = details.reviewed_filing
        text = " ".join(
            part
            for part in (
                reviewed.form_type and f"Form {reviewed.form_type}",
                reviewed.period,
                reviewed.file_number and f"File No. {reviewed.file_number}",
            )
            if part
        )
        if text:
            evidence.append(Evidence(source=letters[0].source, text=f"Re: {text}"))
    return tuple(evidence)


class FormDecision(NamedTuple):
    """The form a filing is classified as, and who said so (a tuple: made per filing)."""

    form_type: str | None
    source: str
    confidence: float
    base: str
    """The form without "/A": what the labels go by."""
    guess_evidence: str | None = None
    """What in the documents showed the form, when it was read from them."""

    @property
    def evidence(self) -> str:
        if self.guess_evidence is not None:
            return f"{self.form_type}: {self.guess_evidence}"
        return f"form type {self.form_type} ({self.source})"


def decide_form(
    known: KnownFiling, documents: Sequence[DocumentText], disabled: frozenset[str] = frozenset()
) -> FormDecision:
    """The form: as stated, else read from the documents."""
    form_type = known.form_type
    if not form_type and (guess := infer_form(documents, disabled)):
        return FormDecision(
            guess.form_type,
            guess.source,
            guess.confidence,
            _base_form(guess.form_type),
            guess.evidence,
        )
    return FormDecision(
        form_type,
        known.form_source,
        _FORM_CONFIDENCE.get(known.form_source, 0.9),
        _base_form(form_type),
    )


def clinical_documents(form: FormDecision, documents: Sequence[DocumentText]) -> list[DocumentText]:
    """The documents the clinical label reads: none for a letter, else every one with text."""
    if not documents or (form.base in LETTER_FORMS and form.form_type):
        return []
    return [d for d in documents if d.text.strip()]


def classify(
    known: KnownFiling | Filing,
    documents: Sequence[DocumentText] = (),
    *,
    errors: Sequence[ClassificationError] = (),
    threshold: float = DEFAULT_THRESHOLD,
    tuning: Tuning | None = None,
) -> Classification:
    """Label one filing from what is known and the texts of its fetched documents.
    ``tuning`` is what was learned from labelled documents (the packaged model)."""
    tuning = tuning or default_tuning()
    if isinstance(known, Filing):
        known = KnownFiling.from_filing(known)
    form = decide_form(known, documents, tuning.disabled_terms)
    candidates: list[AnyLabel] = []
    readings: tuple[ItemReading, ...] = known.item_readings
    items: tuple[str, ...] = ()
    if form.base == "8-K":
        readings = (*readings, *item_readings_from_documents(documents, form.form_type))
        items, _ = reconcile(readings)
        label = item_801_label(readings, known.header_item_lines, documents)
        if label:
            candidates.append(label)
    if form.base in LETTER_FORMS and form.form_type:
        candidates.append(
            letter_label(form.form_type, known, documents, form.confidence, form.evidence)
        )
    elif (readable := clinical_documents(form, documents)) and (
        clinical := clinical_label(readable, tuning.clinical_model, tuning.disabled_terms)
    ):
        candidates.append(clinical)
    return Classification(
        form_type=form.form_type,
        form_source=form.source,
        items=items,
        item_readings=readings,
        labels=tuple(label for label in candidates if label.confidence >= threshold),
        near_misses=tuple(label for label in candidates if label.confidence < threshold),
        errors=tuple(errors),
    )
