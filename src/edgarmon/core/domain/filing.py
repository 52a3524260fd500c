"""The filing: one EDGAR submission, identified by its accession number.

A filing is a frozen value. Every source that sees it (the latest-filings feed,
a company feed, the daily index) builds the same :class:`Filing`, so the
accession number is the only identity: one event per filing, carrying every
company involved and its role.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Final, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
)

EASTERN: Final = ZoneInfo("America/New_York")
"""EDGAR's clock. Acceptance times without a zone are US Eastern."""

FILING_SCHEMA_VERSION: Final = 1

LETTER_FORMS: Final = ("CORRESP", "UPLOAD")
"""SEC correspondence: the company's letters (CORRESP) and the staff's (UPLOAD). Both
are released weeks after their date, and never appear on the latest-filings feed."""

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_ACCESSION_NODASH = re.compile(r"^\d{18}$")


def normalize_accession(raw: str) -> str:
    """Return the dashed form ``NNNNNNNNNN-YY-NNNNNN`` of an accession number.

    Accepts the dashed form or the 18-digit form used in Archives paths.
    Raises ``ValueError`` for anything else.
    """
    value = raw.strip()
    if _ACCESSION.match(value):
        return value
    if _ACCESSION_NODASH.match(value):
        return f"{value[:10]}-{value[10:12]}-{value[12:]}"
    raise ValueError(f"not an accession number: {raw!r}")


AccessionNumber = Annotated[
    str,
    StringConstraints(pattern=_ACCESSION.pattern),
    Field(description="EDGAR accession number, dashed: NNNNNNNNNN-YY-NNNNNN"),
]
ItemNumber = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,2}(\.[0-9]{2})?$|^[0-9A-Za-z]{1,3}(\.[0-9A-Za-z]{1,3})?$"),
    Field(description='An item code as EDGAR numbers it: "8.01", or "3C" on Form D'),
]


UrlText = Annotated[
    str,
    Field(
        description="A URL as the producer wrote it: an https URL on www.sec.gov from "
        "edgarmon, but check the scheme and host before following or rendering it"
    ),
]
"""A URL from a record. Decoding accepts any string, as the schema does, so that one
odd link costs that link (shown as text, not followed), never the record."""


class FrozenModel(BaseModel):
    """Base of every model that crosses a boundary: immutable, and tolerant of
    fields added by newer producers (consumers ignore what they do not know)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Company(FrozenModel):
    """One company (or person) in a filing, in one role."""

    cik: Annotated[int, Field(ge=0, le=9_999_999_999, description="Central Index Key")]
    name: str
    role: Annotated[
        str,
        Field(
            min_length=1,
            description="Role as EDGAR names it: Filer, Subject, Reporting, Issuer, "
            "Filed by, Filed for, Depositor, Securitizer, ...",
        ),
    ]


class Document(FrozenModel):
    """One document of a filing, as listed by its index."""

    url: UrlText
    type: Annotated[str, Field(description='EDGAR document type: "8-K", "EX-99.1", "LETTER"')]
    filename: str
    description: str = ""
    size: Annotated[int | None, Field(ge=0)] = None


class Filing(FrozenModel):
    """One EDGAR filing. Its identity is the accession number."""

    schema_version: Literal[1] = FILING_SCHEMA_VERSION
    accession_number: AccessionNumber
    form_type: Annotated[str, Field(min_length=1, description='As EDGAR writes it: "8-K/A"')]
    companies: Annotated[tuple[Company, ...], Field(min_length=1)]
    items: Annotated[
        tuple[ItemNumber, ...],
        Field(description="8-K items by number, in EDGAR's order; empty when none are stated"),
    ] = ()
    accepted_at: Annotated[
        AwareDatetime, Field(description="Acceptance time; EDGAR's clock is US Eastern")
    ]
    accepted_at_estimated: Annotated[
        bool,
        Field(
            description="True when EDGAR did not state the acceptance time (the daily index "
            "gives only the filing date): accepted_at is then midnight US Eastern of that date"
        ),
    ] = False
    filing_date: Annotated[
        date, Field(description="Filing date; after 5:30 pm ET it is the next business day")
    ]
    index_url: Annotated[UrlText, Field(description="The filing's -index.htm page")]
    documents: Annotated[
        tuple[Document, ...],
        Field(description="Documents, once the filing index has been read; empty before"),
    ] = ()

    @computed_field(description="True for amendments such as 8-K/A")  # type: ignore[prop-decorator]
    @property
    def is_amendment(self) -> bool:
        return self.form_type.upper().endswith("/A")

    @computed_field(description='The form without its amendment suffix: "8-K" for "8-K/A"')  # type: ignore[prop-decorator]
    @property
    def base_form_type(self) -> str:
        return self.form_type[:-2] if self.is_amendment else self.form_type

    @property
    def ciks(self) -> frozenset[int]:
        return frozenset(company.cik for company in self.companies)

    @property
    def folder_url(self) -> str:
        """The filing's Archives folder, which holds ``index.json`` and the documents."""
        return self.index_url.rsplit("/", 1)[0] + "/"

    def accepted_at_eastern(self) -> datetime:
        return self.accepted_at.astimezone(EASTERN)
