"""Resolved routes: the validated file with tickers turned into CIKs, and its loading.

The file format is described in :mod:`edgarmon.notifier.domain.routes_file`.
:func:`parse_routes_text` validates its text (``route_loading`` reads the file) and raises
:class:`~edgarmon.core.domain.errors.ConfigurationError` naming the route (by name and
position) and the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.domain.messages import LabelId
from edgarmon.notifier.domain.plain_text import word_tokens
from edgarmon.notifier.domain.routes_file import (
    AmendmentPolicy,
    BackfillPolicy,
    RouteConfig,
    RoutesFileConfig,
)
from edgarmon.notifier.domain.tickers import TickerMap, normalize_ticker

__all__ = [
    "AmendmentPolicy",
    "BackfillPolicy",
    "DigestPolicy",
    "Route",
    "parse_routes",
    "parse_routes_text",
]


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
    backfill: BackfillPolicy = BackfillPolicy.SKIP


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
        backfill=config.backfill,
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
    if data is None:
        raise ConfigurationError(
            f"{origin}: is empty; it needs `version: 1` and a `routes:` list "
            "(see deploy/base/routes.yaml)"
        )
    if not isinstance(data, dict):
        raise ConfigurationError(
            f"{origin}: must be a mapping with `version: 1` and a `routes:` list, "
            f"not a {type(data).__name__}"
        )
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


def parse_routes_text(
    text: str, *, tickers: TickerMap | None, default_digest: DigestPolicy, origin: str
) -> tuple[Route, ...]:
    """Parse, validate and resolve a routes file's text; ``origin`` names it in errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"{origin}: not valid YAML: {exc}") from exc
    return parse_routes(data, tickers=tickers, default_digest=default_digest, origin=origin)


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
