"""The messages on edgarmon's public topics.

Each message type is a frozen model with a ``schema_version`` and a CloudEvents
``type`` (``CE_TYPE``) whose suffix carries the major version. Consumers ignore
fields they do not know, so adding an optional field is a minor, compatible
change; anything else is a new major version on a new ``.vN`` topic.

Where the future is open, the models are too: every enumeration is an
:class:`~edgarmon.core.domain.open_enum.OpenStrEnum` (a value added later decodes as
``UNKNOWN`` keeping the raw value), and a label id this code does not know decodes
as an :class:`OtherLabel` with its raw details. The rules are in the README
("Compatibility rules"); ``edgarmon schemas --check`` holds every change to them
against the released schemas in ``schemas/released/``.

- :class:`FilingDiscovered` -- ``edgar.filings.discovered.v1``, from the poller.
- :class:`FilingClassified` -- ``edgar.filings.classified.v1``, from the classifier.
- :class:`AlertSent`        -- ``edgar.alerts.sent.v1``, the notifier's sent-ledger.
- :class:`DeadLetter`       -- ``edgar.deadletter.v1``, what any service could not handle.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    Tag,
    model_validator,
)

from edgarmon.core.domain.filing import (
    AccessionNumber,
    Filing,
    FrozenModel,
    ItemNumber,
    normalize_accession,
)
from edgarmon.core.domain.open_enum import OpenStrEnum

INTERFACE_VERSION: Final = "1.1"
"""The version of the public topics' contract: the major is the ``.vN`` of the topics;
a minor release adds only what the compatibility rules allow (README, "Topics")."""

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]


class DiscoverySource(OpenStrEnum):
    """Which EDGAR source first showed the poller a filing."""

    LATEST_FEED = "latest_feed"
    COMPANY_FEED = "company_feed"
    DAILY_INDEX = "daily_index"
    BACKFILL = "backfill"  # a day's index read for `edgarmon backfill`


class Message(FrozenModel):
    """Base of every message type: knows its CloudEvents type, id and Kafka key."""

    CE_TYPE: ClassVar[str]
    schema_version: int

    def event_id(self) -> str:
        """The CloudEvents ``id``: the accession number for filing events."""
        raise NotImplementedError

    def kafka_key(self) -> str:
        """The record key, which decides the partition and what compaction keeps."""
        return self.event_id()

    def event_time(self) -> datetime:
        """The CloudEvents ``time``: when the event happened."""
        raise NotImplementedError


class FilingDiscovered(Message):
    """A filing the poller saw for the first time. Keyed by accession number."""

    CE_TYPE: ClassVar[str] = "io.edgarmon.filing.discovered.v1"
    schema_version: Literal[1] = 1
    filing: Filing
    source: DiscoverySource
    discovered_at: AwareDatetime

    def event_id(self) -> str:
        return self.filing.accession_number

    def event_time(self) -> datetime:
        return self.discovered_at


# --- labels -----------------------------------------------------------------


class LabelId(OpenStrEnum):
    """Stable label ids: downstream teams and notification routes depend on them."""

    SEC_CORRESPONDENCE = "sec_correspondence"
    ITEM_8_01 = "8k_item_8_01"
    CLINICAL_UPDATE = "clinical_update"


class EvidenceKind(OpenStrEnum):
    """What kind of source a piece of evidence comes from."""

    FORM_TYPE = "form_type"  # the filing's form type
    FEED_SUMMARY = "feed_summary"  # the feed entry's summary (8-K items)
    SGML_HEADER = "sgml_header"  # the submission's SGML header
    GIVEN = "given"  # stated by the caller (CLI --form, --items)
    DOCUMENT = "document"  # a document's text: source is "document:<type>[:<part>]"


class Evidence(FrozenModel):
    """A piece of text that supports a label, and where it was found."""

    source: Annotated[
        str,
        Field(
            description='Where: "form_type", "feed_summary", "sgml_header", "given", or '
            '"document:<type>[:<part>]" such as "document:EX-99.1:item 8.01"; `kind` is the '
            "part before the first colon"
        ),
    ]
    kind: Annotated[
        EvidenceKind | None,
        Field(description="The kind of source; when absent, read it from `source`"),
    ] = None
    text: Annotated[str, Field(max_length=2000)]

    @model_validator(mode="before")
    @classmethod
    def _kind_from_source(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("kind") is None and "source" in data:
            source = data["source"]
            if isinstance(source, str):
                return {**data, "kind": source.split(":", 1)[0]}
        return data


class LetterDirection(OpenStrEnum):
    COMPANY_TO_SEC = "company_to_sec"
    SEC_TO_COMPANY = "sec_to_company"


class ReviewedFiling(FrozenModel):
    """The filing a comment letter is about, as far as the letter states it."""

    form_type: str | None = None
    period: Annotated[str | None, Field(description='e.g. "fiscal year ended June 30, 2008"')] = (
        None
    )
    fiscal_year: int | None = None
    file_number: str | None = None
    accession_number: AccessionNumber | None = None


class CorrespondenceDetails(FrozenModel):
    direction: LetterDirection
    reviewed_filing: ReviewedFiling | None = None
    comment_count: Annotated[int, Field(ge=0, description="Numbered comments in the letter")] = 0
    response_deadline: Annotated[str | None, Field(description='As stated: "10 business days"')] = (
        None
    )
    staff_contacts: tuple[str, ...] = ()
    letter_date: str | None = None


class ItemSource(OpenStrEnum):
    """Where a filing's 8-K items were read."""

    EVENT = "event"  # the feed summary, carried on the discovered event
    SGML_HEADER = "sgml_header"  # ITEM INFORMATION lines: names only, old wording
    DOCUMENT = "document"  # the document's own item headings
    GIVEN = "given"  # stated by the caller (CLI --items)


class ItemReading(FrozenModel):
    source: ItemSource
    items: tuple[ItemNumber, ...]


class Item801Details(FrozenModel):
    items: tuple[ItemNumber, ...]
    decided_by: ItemSource
    readings: tuple[ItemReading, ...] = ()


class ClinicalEventKind(OpenStrEnum):
    """What a clinical update reports."""

    TRIAL_RESULTS = "trial_results"
    TRIAL_START = "trial_start"
    ENROLLMENT = "enrollment"
    TRIAL_MILESTONE = "trial_milestone"
    SAFETY_REVIEW = "safety_review"
    REGULATORY_CLEARANCE = "regulatory_clearance"
    CLINICAL_HOLD = "clinical_hold"
    TRIAL_STOPPED = "trial_stopped"
    MEETING_PRESENTATION = "meeting_presentation"
    PUBLICATION = "publication"


class ClinicalDetails(FrozenModel):
    drugs: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    indications: tuple[str, ...] = ()
    trial_ids: Annotated[tuple[str, ...], Field(description="NCT numbers and the like")] = ()
    meeting: str | None = None
    event_kinds: Annotated[
        tuple[ClinicalEventKind, ...], Field(description="What happened, strongest first")
    ] = ()
    decisive_sentences: tuple[str, ...] = ()


def _id_required(schema: dict[str, Any]) -> None:
    """Every label on the wire carries its id (the encoder writes defaults), and
    decoding chooses the label's type by it: the schema says so."""
    required = schema.setdefault("required", [])
    if isinstance(required, list) and "id" not in required:
        required.insert(0, "id")


class _LabelBase(FrozenModel):
    model_config = ConfigDict(frozen=True, extra="ignore", json_schema_extra=_id_required)

    confidence: Confidence
    evidence: tuple[Evidence, ...] = ()
    rationale: Annotated[str, Field(description="Why, in one sentence")] = ""


class CorrespondenceLabel(_LabelBase):
    id: Literal[LabelId.SEC_CORRESPONDENCE] = LabelId.SEC_CORRESPONDENCE
    details: CorrespondenceDetails


class Item801Label(_LabelBase):
    id: Literal[LabelId.ITEM_8_01] = LabelId.ITEM_8_01
    details: Item801Details


class ClinicalUpdateLabel(_LabelBase):
    id: Literal[LabelId.CLINICAL_UPDATE] = LabelId.CLINICAL_UPDATE
    details: ClinicalDetails


KNOWN_LABEL_IDS: frozenset[str] = frozenset(label_id.value for label_id in LabelId)


class OtherLabel(_LabelBase):
    """A label this code does not know, from a newer classifier: kept whole (its id,
    confidence, evidence, rationale and raw details), so that routes can still match
    it by id and a newer consumer can read its details."""

    id: Annotated[
        LabelId,
        Field(
            description="A label id added by a newer minor version",
            json_schema_extra={"not": {"enum": sorted(KNOWN_LABEL_IDS)}},
        ),
    ]
    details: dict[str, JsonValue] = Field(default_factory=dict)


def _label_tag(value: Any) -> str:
    label_id = value.get("id") if isinstance(value, dict) else getattr(value, "id", None)
    return label_id if isinstance(label_id, str) and label_id in KNOWN_LABEL_IDS else "other"


Label = Annotated[
    Annotated[CorrespondenceLabel, Tag(LabelId.SEC_CORRESPONDENCE.value)]
    | Annotated[Item801Label, Tag(LabelId.ITEM_8_01.value)]
    | Annotated[ClinicalUpdateLabel, Tag(LabelId.CLINICAL_UPDATE.value)]
    | Annotated[OtherLabel, Tag("other")],
    Discriminator(_label_tag),
]


class ErrorStage(OpenStrEnum):
    """Where classifying a filing went wrong."""

    FETCH = "fetch"  # a request to EDGAR failed
    INDEX = "index"  # the filing's index could not be read
    READ = "read"  # a document had no text, or reading it ran out of budget
    SIZE = "size"  # a document was larger than the cap
    HTML = "html"  # broken HTML
    PDF = "pdf"  # broken, encrypted or image-only PDF
    UUENCODE = "uuencode"  # a broken uuencoded block
    SGML = "sgml"  # an unknown SGML layout
    TEXT = "text"  # undecodable plain text


class ClassificationError(FrozenModel):
    """Something that kept a label from being decided; the filing is still published."""

    stage: ErrorStage
    message: str
    url: str | None = None


class FilingClassified(Message):
    """A filing with its labels. ``labels`` holds those at or above the threshold;
    ``near_misses`` those considered and rejected, with why."""

    CE_TYPE: ClassVar[str] = "io.edgarmon.filing.classified.v1"
    schema_version: Literal[1] = 1
    filing: Filing
    items: Annotated[tuple[ItemNumber, ...], Field(description="Reconciled 8-K items")] = ()
    labels: tuple[Label, ...] = ()
    near_misses: tuple[Label, ...] = ()
    errors: tuple[ClassificationError, ...] = ()
    classified_at: AwareDatetime
    classifier_version: str
    discovered_by: Annotated[
        DiscoverySource | None,
        Field(
            description="The source of the discovered event: `backfill` for past days "
            "published by `edgarmon backfill` (the notifier alerts on those only where a "
            "route opts in); absent from records older than interface 1.1"
        ),
    ] = None

    def event_id(self) -> str:
        return self.filing.accession_number

    def event_time(self) -> datetime:
        return self.classified_at

    def label(self, label_id: LabelId) -> Label | None:
        return next((label for label in self.labels if label.id == label_id), None)


# --- the notifier's ledger ----------------------------------------------------


class AlertChannel(OpenStrEnum):
    SLACK = "slack"
    EMAIL = "email"


class AlertSent(Message):
    """One alert delivered to one destination. Keyed by (accession, route, destination),
    on a compacted topic: the notifier's memory of what it sent, and an audit trail."""

    CE_TYPE: ClassVar[str] = "io.edgarmon.alert.sent.v1"
    schema_version: Literal[1] = 1
    accession_number: AccessionNumber
    route: str
    channel: AlertChannel
    destination: Annotated[str, Field(description="Slack channel id or e-mail address")]
    sent_at: AwareDatetime
    reference: Annotated[
        str | None, Field(description="Slack message ts, or the e-mail Message-ID")
    ] = None
    digest: bool = False

    @staticmethod
    def ledger_key(accession_number: str, route: str, destination: str) -> str:
        return f"{accession_number}|{route}|{destination}"

    def event_id(self) -> str:
        return self.accession_number

    def kafka_key(self) -> str:
        return self.ledger_key(self.accession_number, self.route, self.destination)

    def event_time(self) -> datetime:
        return self.sent_at


# --- dead letters ---------------------------------------------------------------


class DeadLetter(Message):
    """A record a service could not handle, with the reason. The original bytes are
    kept (base64) so that it can be replayed once the cause is fixed."""

    CE_TYPE: ClassVar[str] = "io.edgarmon.deadletter.v1"
    schema_version: Literal[1] = 1
    reason: str
    error_type: str
    service: str
    failed_at: AwareDatetime
    accession_number: AccessionNumber | None = None
    source_topic: str | None = None
    source_partition: int | None = None
    source_offset: int | None = None
    original_key: str | None = None
    original_value_base64: str | None = None
    original_headers: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _accession_from_original(cls, data: Any) -> Any:
        """Every record on a filing topic names its filing in ``ce_id`` and its key
        (the ledger's key starts with it): a dead letter is keyed by that accession
        number even when the body could not be decoded."""
        if not isinstance(data, dict) or data.get("accession_number") is not None:
            return data
        headers = data.get("original_headers")
        candidates = [
            headers.get("ce_id") if isinstance(headers, dict) else None,
            data.get("original_key"),
        ]
        for candidate in candidates:
            if isinstance(candidate, str):
                try:
                    return {
                        **data,
                        "accession_number": normalize_accession(candidate[:40].split("|")[0]),
                    }
                except ValueError:
                    continue
        return data

    def event_id(self) -> str:
        if self.accession_number is not None:
            return self.accession_number
        return f"{self.source_topic}/{self.source_partition}/{self.source_offset}"

    def event_time(self) -> datetime:
        return self.failed_at


# --- backfill jobs ----------------------------------------------------------------


class BackfillState(OpenStrEnum):
    REQUESTED = "requested"  # by `edgarmon backfill`; the poller takes it up
    PAUSED = "paused"  # the command was interrupted; running it again resumes
    RUNNING = "running"  # the poller has read some of its days
    DONE = "done"


class BackfillJob(Message):
    """A backfill of past days, and how far the poller has come. Keyed by ``job_id``
    (the same range and filters give the same id) on a compacted topic: the latest
    record is the job's state. The poller writes its progress in the transaction
    that publishes the day's filings, so a restart resumes at the next day."""

    CE_TYPE: ClassVar[str] = "io.edgarmon.backfill.job.v1"
    schema_version: Literal[1] = 1
    job_id: Annotated[str, Field(min_length=1, max_length=64)]
    first_day: date
    last_day: date
    forms: Annotated[tuple[str, ...], Field(description="Base forms to keep; empty: all")] = ()
    ciks: Annotated[tuple[int, ...], Field(description="Companies to keep; empty: all")] = ()
    state: BackfillState
    done_through: Annotated[date | None, Field(description="The last day read")] = None
    days_read: Annotated[int, Field(ge=0)] = 0
    listed: Annotated[int, Field(ge=0, description="Filings the days' indexes listed")] = 0
    kept: Annotated[int, Field(ge=0, description="Of those, the ones the filters keep")] = 0
    published: Annotated[int, Field(ge=0, description="Of those, the ones not yet known")] = 0
    updated_at: AwareDatetime

    def event_id(self) -> str:
        return self.job_id

    def event_time(self) -> datetime:
        return self.updated_at


MESSAGE_TYPES: tuple[type[Message], ...] = (
    FilingDiscovered,
    FilingClassified,
    AlertSent,
    DeadLetter,
    BackfillJob,
)
"""Every message type on a public topic, in topic order."""
