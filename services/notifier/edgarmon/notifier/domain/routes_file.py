"""The routes file: its YAML format, and the models that validate it.

A routes file looks like this::

    version: 1
    routes:
      - name: clinical-watch
        description: Clinical updates from the oncology watchlist
        match:
          labels: [clinical_update]      # any of these labels
          forms: [8-K]                   # base forms; amendments decides about 8-K/A
          amendments: include            # include | exclude | only
          items: ["8.01"]                # any of these 8-K items
          ciks: [855654]
          tickers: [IMGN]                # resolved to CIKs via company_tickers.json
          keywords: ["gastric cancer"]   # any of these phrases, whole words, any case
        deliver:
          slack: ["#oncology", C0123456789]
          email: [analyst@example.com]
        digest: {interval: 15m, max_alerts: 50}   # or `digest: true` for the defaults
        backfill: skip                   # skip (default) | alert: past days from backfill

Within a route every stated condition must hold (AND); within one condition any
listed value will do (OR). Keywords are looked for in the label evidence, the
decisive sentences and details, company names and document descriptions. Unknown
keys are errors, so a typo cannot silently widen or narrow a route.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from edgarmon.core.domain.filing import ItemNumber
from edgarmon.core.domain.messages import LabelId
from edgarmon.notifier.domain.plain_text import word_tokens

LABEL_ID_PATTERN: Final = r"[a-z0-9][a-z0-9_.-]{0,63}"
ROUTE_NAME_PATTERN: Final = r"^[a-z0-9][a-z0-9_-]{0,63}$"
SLACK_CHANNEL_PATTERN: Final = r"^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,20})$"
EMAIL_PATTERN: Final = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS: Final = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

RouteName = Annotated[str, Field(pattern=ROUTE_NAME_PATTERN)]
SlackChannel = Annotated[str, Field(pattern=SLACK_CHANNEL_PATTERN)]
EmailAddress = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]


class AmendmentPolicy(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    ONLY = "only"


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def parse_duration(value: object) -> float:
    """Seconds from ``90``, ``"90s"``, ``"15m"``, ``"1h"`` or ``"1d"``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (found := _DURATION.match(value)):
        seconds = float(found.group(1)) * _UNIT_SECONDS[found.group(2)]
    else:
        raise ValueError(f"not a duration: {value!r} (use seconds or 90s, 15m, 1h, 1d)")
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


class RouteMatchConfig(_Config):
    labels: tuple[LabelId, ...] = ()
    forms: tuple[Annotated[str, Field(min_length=1, max_length=20)], ...] = ()
    amendments: AmendmentPolicy = AmendmentPolicy.INCLUDE
    items: tuple[ItemNumber, ...] = ()
    ciks: tuple[Annotated[int, Field(ge=0, le=9_999_999_999)], ...] = ()
    tickers: tuple[Annotated[str, Field(min_length=1, max_length=12)], ...] = ()
    keywords: tuple[Annotated[str, Field(min_length=1, max_length=200)], ...] = ()

    @field_validator("forms", mode="before")
    @classmethod
    def _numeric_forms(cls, value: object) -> object:
        """YAML reads ``forms: [4, 144]`` as numbers; form names are text."""
        if isinstance(value, list | tuple):
            return [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value]
        return value

    @field_validator("items", mode="before")
    @classmethod
    def _quoted_items(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, float):
                    message = f"quote item numbers: YAML reads {item!r} as a number"
                    raise ValueError(message)  # noqa: TRY004 -- pydantic reports ValueError only
        return value

    @field_validator("forms")
    @classmethod
    def _base_forms(cls, forms: tuple[str, ...]) -> tuple[str, ...]:
        for form in forms:
            if form.strip().upper().endswith("/A"):
                raise ValueError(
                    f"{form!r}: list the base form ({form.strip()[:-2]!r}) and choose "
                    "amendments: include, exclude or only"
                )
        return tuple(form.strip().upper() for form in forms)

    @field_validator("labels")
    @classmethod
    def _labels_not_misspelt(cls, labels: tuple[LabelId, ...]) -> tuple[LabelId, ...]:
        """An id this notifier does not know is allowed (a newer classifier may send
        it), unless it looks like a misspelling of one it knows."""
        for label in labels:
            if label.known:
                continue
            if not re.fullmatch(LABEL_ID_PATTERN, label):
                raise ValueError(f"{str(label)!r} is not a label id ({LABEL_ID_PATTERN})")
            close = get_close_matches(label, [known.value for known in LabelId], n=1)
            if close:
                raise ValueError(f"unknown label {str(label)!r}; did you mean {close[0]!r}?")
        return labels

    @field_validator("keywords")
    @classmethod
    def _keywords_have_words(cls, keywords: tuple[str, ...]) -> tuple[str, ...]:
        for keyword in keywords:
            if not word_tokens(keyword):
                raise ValueError(f"keyword {keyword!r} has no letters or digits")
        return keywords

    @model_validator(mode="after")
    def _states_a_condition(self) -> RouteMatchConfig:
        if not (
            self.labels
            or self.forms
            or self.items
            or self.ciks
            or self.tickers
            or self.keywords
            or self.amendments is not AmendmentPolicy.INCLUDE
        ):
            raise ValueError(
                "states no condition; give at least one of labels, forms, amendments, "
                "items, ciks, tickers or keywords"
            )
        return self


class RouteDeliveryConfig(_Config):
    slack: tuple[SlackChannel, ...] = ()
    email: tuple[EmailAddress, ...] = ()

    @model_validator(mode="after")
    def _has_destination(self) -> RouteDeliveryConfig:
        if not self.slack and not self.email:
            raise ValueError("names no destination; give slack channels, email recipients or both")
        return self


class RouteDigestConfig(_Config):
    interval: float | None = None
    max_alerts: Annotated[int | None, Field(ge=1, le=1000)] = None

    @field_validator("interval", mode="before")
    @classmethod
    def _duration(cls, value: object) -> float | None:
        return None if value is None else parse_duration(value)


class BackfillPolicy(StrEnum):
    """What a route does with filings that `edgarmon backfill` published for past days."""

    SKIP = "skip"  # the default: history is for the classified topic, not for alerts
    ALERT = "alert"


class RouteConfig(_Config):
    name: RouteName
    description: Annotated[str, Field(max_length=500)] = ""
    enabled: bool = True
    match: RouteMatchConfig
    deliver: RouteDeliveryConfig
    digest: RouteDigestConfig | None = None
    backfill: BackfillPolicy = BackfillPolicy.SKIP

    @field_validator("digest", mode="before")
    @classmethod
    def _digest_flag(cls, value: object) -> object:
        if value is True:
            return {}
        if value is False:
            return None
        return value


class RoutesFileConfig(_Config):
    version: Literal[1] = 1
    routes: tuple[RouteConfig, ...]

    @model_validator(mode="after")
    def _unique_names(self) -> RoutesFileConfig:
        seen: set[str] = set()
        for route in self.routes:
            if route.name in seen:
                raise ValueError(f"route name {route.name!r} is used twice")
            seen.add(route.name)
        return self
