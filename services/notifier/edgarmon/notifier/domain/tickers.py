"""Tickers and CIKs, from SEC's ``company_tickers.json``.

The file maps row numbers to ``{"cik_str": 320193, "ticker": "AAPL", "title": ...}``,
ordered by market value. One company may have several tickers (share classes);
the first listed is the one shown in alerts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from edgarmon.core.domain.errors import ConfigurationError


@dataclass(frozen=True, slots=True)
class TickerMap:
    """Ticker -> CIK and CIK -> display ticker. Tickers are upper-case, with SEC's
    spelling of share classes (``BRK-B``)."""

    cik_by_ticker: Mapping[str, int] = field(default_factory=dict)
    ticker_by_cik: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, int]]) -> TickerMap:
        """Build from ``(ticker, cik)`` pairs in priority order."""
        cik_by_ticker: dict[str, int] = {}
        ticker_by_cik: dict[int, str] = {}
        for ticker, cik in pairs:
            symbol = normalize_ticker(ticker)
            cik_by_ticker.setdefault(symbol, cik)
            ticker_by_cik.setdefault(cik, symbol)
        return cls(cik_by_ticker=cik_by_ticker, ticker_by_cik=ticker_by_cik)

    def cik(self, ticker: str) -> int | None:
        return self.cik_by_ticker.get(normalize_ticker(ticker))

    def ticker(self, cik: int) -> str | None:
        return self.ticker_by_cik.get(cik)

    def __len__(self) -> int:
        return len(self.cik_by_ticker)


def normalize_ticker(ticker: str) -> str:
    """Upper-case, with ``.`` share-class separators written as SEC writes them (``-``)."""
    return ticker.strip().upper().replace(".", "-")


def parse_company_tickers(raw: bytes | str) -> TickerMap:
    """Parse ``company_tickers.json``. Raises ``ValueError`` or ``TypeError`` naming what
    is wrong."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise TypeError("expected an object of rows")
    pairs: list[tuple[str, int]] = []
    for key, row in data.items():
        if not isinstance(row, dict):
            raise TypeError(f"row {key!r} is not an object")
        ticker, cik = row.get("ticker"), row.get("cik_str")
        if not isinstance(ticker, str) or not ticker.strip():
            raise ValueError(f"row {key!r} has no ticker")
        if not isinstance(cik, int) or isinstance(cik, bool) or cik < 0:
            raise ValueError(f"row {key!r} has no valid cik_str")
        pairs.append((ticker, cik))
    return TickerMap.from_pairs(pairs)


def ticker_map_from(raw: bytes, *, origin: str) -> TickerMap:
    """Parse ``company_tickers.json``; raises :class:`ConfigurationError` naming ``origin``."""
    try:
        return parse_company_tickers(raw)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"{origin}: {exc}") from exc
