"""Loading the routing at start-up: tickers, routes, the index, and a settings check.

:func:`load_routing` is what ``main`` calls once. It fails with a
:class:`ConfigurationError` that names the problem when the routes file is
invalid, a ticker is unknown, or a route sends somewhere the settings cannot
reach (Slack routes without a bot token, e-mail routes without an SMTP host or
From address).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.domain.messages import FilingClassified
from edgarmon.notifier.domain.deliveries import Delivery, plan_deliveries
from edgarmon.notifier.domain.route_matching import RouteIndex
from edgarmon.notifier.domain.routes import DigestPolicy, Route, parse_routes_text
from edgarmon.notifier.domain.tickers import TickerMap, ticker_map_from
from edgarmon.notifier.settings import NotifierSettings


@dataclass(frozen=True, slots=True)
class Routing:
    routes: tuple[Route, ...]
    index: RouteIndex
    tickers: TickerMap

    @classmethod
    def of(cls, routes: Sequence[Route], tickers: TickerMap | None = None) -> Routing:
        return cls(routes=tuple(routes), index=RouteIndex(routes), tickers=tickers or TickerMap())

    def route(self, name: str) -> Route:
        for route in self.routes:
            if route.name == name:
                return route
        raise KeyError(name)

    def plan(self, classified: FilingClassified) -> tuple[Delivery, ...]:
        """The deliveries ``classified`` calls for, one per destination."""
        matched = self.index.match(classified)
        return plan_deliveries(classified.filing.accession_number, matched)


def check_delivery_settings(routes: Sequence[Route], settings: NotifierSettings) -> None:
    """Raise :class:`ConfigurationError` if a route's channel is not configured."""
    slack_routes = [route.name for route in routes if route.slack_channels]
    email_routes = [route.name for route in routes if route.email_recipients]
    problems = []
    if slack_routes and settings.slack_bot_token is None:
        problems.append(f"EDGARMON_SLACK_BOT_TOKEN is required by routes {slack_routes}")
    if email_routes and not settings.smtp_host:
        problems.append(f"EDGARMON_SMTP_HOST is required by routes {email_routes}")
    if email_routes and not settings.smtp_from:
        problems.append(f"EDGARMON_SMTP_FROM is required by routes {email_routes}")
    if problems:
        raise ConfigurationError("; ".join(problems))


def load_routing(settings: NotifierSettings) -> Routing:
    """Tickers, routes and index from the settings; validated, ready to match."""
    tickers = load_ticker_map(settings.tickers_file) if settings.tickers_file else None
    default_digest = DigestPolicy(
        interval_seconds=settings.digest_interval_seconds, max_alerts=settings.digest_max_alerts
    )
    routes = load_routes(settings.routes_file, tickers=tickers, default_digest=default_digest)
    check_delivery_settings(routes, settings)
    return Routing.of(routes, tickers)


def load_routes(
    path: Path, *, tickers: TickerMap | None, default_digest: DigestPolicy
) -> tuple[Route, ...]:
    """Read, validate and resolve the routes file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"routes file {path}: cannot be read: {exc}") from exc
    return parse_routes_text(
        text, tickers=tickers, default_digest=default_digest, origin=f"routes file {path}"
    )


def load_ticker_map(path: Path) -> TickerMap:
    """Read ``company_tickers.json`` from ``path``; raises :class:`ConfigurationError`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"tickers file {path}: cannot be read: {exc}") from exc
    return ticker_map_from(raw, origin=f"tickers file {path}")
