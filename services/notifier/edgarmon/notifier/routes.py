"""Notification routes: the YAML file, its validation, and the resolved routes.

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

Within a route every stated condition must hold (AND); within one condition any
listed value will do (OR). Keywords are looked for in the label evidence, the
decisive sentences and details, company names and document descriptions. Unknown
keys are errors, so a typo cannot silently widen or narrow a route.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from edgarmon.core.errors import ConfigurationError
from edgarmon.core.filing import ItemNumber
from edgarmon.core.messages import LabelId
from edgarmon.notifier.plain_text import word_tokens
from edgarmon.notifier.tickers import TickerMap, normalize_ticker

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


class RouteConfig(_Config):
    name: RouteName
    description: Annotated[str, Field(max_length=500)] = ""
    enabled: bool = True
    match: RouteMatchConfig
    deliver: RouteDeliveryConfig
    digest: RouteDigestConfig | None = None

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


@dataclass(frozen=True, slots=True)
class DigestPolicy:
    interval_seconds: float
    max_alerts: int


@dataclass(frozen=True, slots=True)
class Route:
    """A validated route with tickers resolved to CIKs and keywords tokenised."""

    name: str
    labels: frozenset[LabelId]
    forms: frozenset[str]
    amendments: AmendmentPolicy
    items: frozenset[str]
    ciks: frozenset[int]
    keywords: tuple[tuple[str, ...], ...]
    slack_channels: tuple[str, ...]
    email_recipients: tuple[str, ...]
    digest: DigestPolicy | None = None
    description: str = ""


def resolve_route(
    config: RouteConfig, tickers: TickerMap | None, default_digest: DigestPolicy
) -> Route:
    """Turn one validated route into a :class:`Route`. Raises ``ValueError`` for a
    ticker that cannot be resolved."""
    ciks = set(config.match.ciks)
    for ticker in config.match.tickers:
        if tickers is None:
            raise ValueError("match.tickers needs a tickers file (EDGARMON_TICKERS_FILE)")
        cik = tickers.cik(ticker)
        if cik is None:
            raise ValueError(f"match.tickers: unknown ticker {normalize_ticker(ticker)!r}")
        ciks.add(cik)
    digest = None
    if config.digest is not None:
        digest = DigestPolicy(
            interval_seconds=config.digest.interval or default_digest.interval_seconds,
            max_alerts=config.digest.max_alerts or default_digest.max_alerts,
        )
    return Route(
        name=config.name,
        labels=frozenset(config.match.labels),
        forms=frozenset(config.match.forms),
        amendments=config.match.amendments,
        items=frozenset(config.match.items),
        ciks=frozenset(ciks),
        keywords=tuple(dict.fromkeys(word_tokens(k) for k in config.match.keywords)),
        slack_channels=tuple(dict.fromkeys(config.deliver.slack)),
        email_recipients=tuple(dict.fromkeys(config.deliver.email)),
        digest=digest,
        description=config.description,
    )


def parse_routes(
    data: object,
    *,
    tickers: TickerMap | None,
    default_digest: DigestPolicy,
    origin: str = "routes file",
) -> tuple[Route, ...]:
    """Validate parsed YAML and resolve its enabled routes, in file order.

    Raises :class:`ConfigurationError` naming the route and the field at fault.
    """
    try:
        config = RoutesFileConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigurationError(f"{origin}: {describe_route_errors(exc, data)}") from exc
    routes = []
    for position, route in enumerate(config.routes, start=1):
        if not route.enabled:
            continue
        try:
            routes.append(resolve_route(route, tickers, default_digest))
        except ValueError as exc:
            raise ConfigurationError(
                f"{origin}: route {route.name!r} (#{position}): {exc}"
            ) from exc
    return tuple(routes)


def load_routes(
    path: Path, *, tickers: TickerMap | None, default_digest: DigestPolicy
) -> tuple[Route, ...]:
    """Read, validate and resolve the routes file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"routes file {path}: cannot be read: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"routes file {path}: not valid YAML: {exc}") from exc
    return parse_routes(
        data, tickers=tickers, default_digest=default_digest, origin=f"routes file {path}"
    )


def describe_route_errors(exc: ValidationError, data: object) -> str:
    """One line per problem, naming the route (by name where it has one) and the field."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        location = list(error["loc"])
        where = "top level"
        if len(location) >= 2 and location[0] == "routes" and isinstance(location[1], int):
            where = _route_label(data, location[1])
            location = location[2:]
        elif location:
            where = str(location.pop(0))
        field = _field_path(location)
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}{': ' + field if field else ''}: {message}")
    return "; ".join(problems)


def _route_label(data: object, index: int) -> str:
    name: Any = None
    if isinstance(data, dict):
        routes = data.get("routes")
        if isinstance(routes, list) and index < len(routes) and isinstance(routes[index], dict):
            name = routes[index].get("name")
    named = f"route {name!r} " if isinstance(name, str) else "route "
    return f"{named}(#{index + 1})"


def _field_path(location: list[int | str]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
