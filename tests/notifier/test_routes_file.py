"""The routes file: validation with errors that name the route and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from edgarmon.core.domain.errors import ConfigurationError
from edgarmon.core.domain.messages import LabelId
from edgarmon.notifier.domain import routes_file
from edgarmon.notifier.domain.routes import (
    AmendmentPolicy,
    DigestPolicy,
    parse_routes,
)
from edgarmon.notifier.domain.routes_file import parse_duration
from edgarmon.notifier.domain.tickers import TickerMap, parse_company_tickers
from edgarmon.notifier.route_loading import load_routes, load_ticker_map

DEFAULT_DIGEST = DigestPolicy(interval_seconds=3600, max_alerts=50)
SHARED_TICKERS = Path(__file__).resolve().parents[2] / ".." / "shared" / "edgar" / "reference"

ROUTES_YAML = """
version: 1
routes:
  - name: comment-letters
    description: Every SEC staff letter to the watchlist
    match:
      labels: [sec_correspondence]
      tickers: [imgn]
    deliver:
      slack: ["#compliance"]
      email: [analyst@example.com]
  - name: oncology
    match:
      labels: [clinical_update]
      forms: [8-k]
      amendments: exclude
      keywords: ["gastric cancer", huC242-DM4]
    deliver:
      slack: [C0123456789]
    digest: {interval: 15m, max_alerts: 20}
  - name: noisy
    enabled: false
    match: {forms: [4]}
    deliver: {email: [ops@example.com]}
  - name: eight-oh-one
    match: {items: ["8.01"]}
    deliver: {slack: ["#events"]}
    digest: true
"""


def _routes(data: Any, tickers: TickerMap | None = None) -> Any:
    return parse_routes(data, tickers=tickers, default_digest=DEFAULT_DIGEST)


def _error(data: Any, tickers: TickerMap | None = None) -> str:
    with pytest.raises(ConfigurationError) as caught:
        _routes(data, tickers)
    return str(caught.value)


def _one(match: dict[str, Any], **extra: Any) -> dict[str, Any]:
    route = {"name": "r1", "match": match, "deliver": {"slack": ["#a"]}, **extra}
    return {"routes": [route]}


def test_a_valid_file_resolves_tickers_forms_and_digests(
    tmp_path: Path, tickers: TickerMap
) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(ROUTES_YAML)
    routes = load_routes(path, tickers=tickers, default_digest=DEFAULT_DIGEST)

    assert [route.name for route in routes] == ["comment-letters", "oncology", "eight-oh-one"]
    letters, oncology, items = routes
    assert letters.ciks == frozenset({855654})
    assert letters.labels == frozenset({LabelId.SEC_CORRESPONDENCE})
    assert letters.slack_channels == ("#compliance",)
    assert letters.email_recipients == ("analyst@example.com",)
    assert letters.digest is None
    assert oncology.forms == frozenset({"8-K"})
    assert oncology.amendments is AmendmentPolicy.EXCLUDE
    assert oncology.keywords == (("gastric", "cancer"), ("huc242", "dm4"))
    assert oncology.digest == DigestPolicy(interval_seconds=900, max_alerts=20)
    assert items.digest == DEFAULT_DIGEST
    assert items.items == frozenset({"8.01"})


def test_an_unknown_ticker_names_the_route_and_the_ticker(tickers: TickerMap) -> None:
    message = _error(_one({"tickers": ["IMGN", "zzzz"]}), tickers)
    assert "route 'r1' (#1)" in message
    assert "unknown ticker 'ZZZZ'" in message


def test_tickers_without_a_tickers_file_are_an_error() -> None:
    assert "EDGARMON_TICKERS_FILE" in _error(_one({"tickers": ["IMGN"]}))


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        (
            {"labels": ["clinical"]},
            "route 'r1' (#1): match.labels: unknown label 'clinical'; "
            "did you mean 'clinical_update'?",
        ),
        ({"forms": ["8-K/A"]}, "match.forms: '8-K/A': list the base form ('8-K')"),
        ({"items": ["Item 8"]}, "match.items[0]: String should match pattern"),
        ({"keywords": ["--"]}, "keyword '--' has no letters or digits"),
        ({"amendments": "sometimes"}, "match.amendments: Input should be 'include'"),
        ({"ciks": [-1]}, "match.ciks[0]: Input should be greater than or equal to 0"),
        ({}, "match: states no condition"),
        ({"lables": ["clinical_update"]}, "match.lables: Extra inputs are not permitted"),
    ],
)
def test_bad_match_conditions_are_named(match: dict[str, Any], expected: str) -> None:
    assert expected in _error(_one(match))


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ({"name": "Bad Name"}, "route 'Bad Name' (#1): name: String should match pattern"),
        ({"deliver": {}}, "deliver: names no destination"),
        ({"deliver": {"slack": ["general"]}}, "deliver.slack[0]: String should match pattern"),
        ({"deliver": {"email": ["not-an-address"]}}, "deliver.email[0]: String should match"),
        ({"deliver": {"email": ["a@b.com\r\nBcc: x@evil.com"]}}, "deliver.email[0]"),
        ({"digest": {"interval": "soon"}}, "digest.interval: not a duration: 'soon'"),
        ({"digest": {"interval": "0s"}}, "digest.interval: a duration must be positive"),
    ],
)
def test_bad_routes_are_named(route: dict[str, Any], expected: str) -> None:
    base = {"name": "r1", "match": {"labels": ["clinical_update"]}, "deliver": {"slack": ["#a"]}}
    assert expected in _error({"routes": [{**base, **route}]})


def test_the_second_route_is_named_by_position_and_name() -> None:
    good = {"name": "good", "match": {"forms": ["8-K"]}, "deliver": {"slack": ["#a"]}}
    bad = {"name": "second", "match": {"forms": ["8-K"]}, "deliver": {"slack": ["bad channel"]}}
    assert "route 'second' (#2): deliver.slack[0]" in _error({"routes": [good, bad]})


def test_duplicate_names_and_a_missing_routes_key_are_errors() -> None:
    route = {"name": "same", "match": {"forms": ["8-K"]}, "deliver": {"slack": ["#a"]}}
    assert "route name 'same' is used twice" in _error({"routes": [route, route]})
    assert "routes: Field required" in _error({"version": 1})
    assert "version" in _error({"version": 2, "routes": []})


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigurationError, match=r"missing\.yaml: cannot be read"):
        load_routes(missing, tickers=None, default_digest=DEFAULT_DIGEST)
    broken = tmp_path / "broken.yaml"
    broken.write_text("routes: [\n  - name: x\n    match: {forms: [8-K]\n")
    with pytest.raises(ConfigurationError, match=r"broken\.yaml: not valid YAML"):
        load_routes(broken, tickers=None, default_digest=DEFAULT_DIGEST)
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n")
    with pytest.raises(ConfigurationError, match=r"empty\.yaml: is empty; it needs `version: 1`"):
        load_routes(empty, tickers=None, default_digest=DEFAULT_DIGEST)
    listed = tmp_path / "list.yaml"
    listed.write_text("- name: x\n")
    with pytest.raises(ConfigurationError, match=r"list\.yaml: must be a mapping .* not a list"):
        load_routes(listed, tickers=None, default_digest=DEFAULT_DIGEST)


@pytest.mark.parametrize(
    ("raw", "seconds"), [(90, 90.0), ("90s", 90.0), ("15m", 900.0), ("1h", 3600.0), ("1d", 86400.0)]
)
def test_durations(raw: object, seconds: float) -> None:
    assert parse_duration(raw) == seconds


def test_ticker_map_parses_sec_format() -> None:
    raw = json.dumps(
        {
            "0": {"cik_str": 1067983, "ticker": "BRK-B", "title": "BERKSHIRE HATHAWAY INC"},
            "1": {"cik_str": 1067983, "ticker": "BRK-A", "title": "BERKSHIRE HATHAWAY INC"},
        }
    )
    tickers = parse_company_tickers(raw)
    assert tickers.cik("brk.b") == 1067983
    assert tickers.cik("BRK-A") == 1067983
    assert tickers.ticker(1067983) == "BRK-B"
    with pytest.raises(ValueError, match="row '0' has no valid cik_str"):
        parse_company_tickers('{"0": {"cik_str": "x", "ticker": "A"}}')


def test_the_shared_ticker_snapshot_resolves_routes() -> None:
    path = SHARED_TICKERS / "company_tickers.json"
    if not path.is_file():
        pytest.skip(f"shared ticker snapshot not present at {path}")
    tickers = load_ticker_map(path)
    assert len(tickers) > 5000
    routes = _routes(_one({"tickers": ["AAPL", "TSLA"]}), tickers)
    assert routes[0].ciks == frozenset({320193, 1318605})
    assert tickers.ticker(320193) == "AAPL"


def test_the_documented_example_in_the_module_is_valid(tickers: TickerMap) -> None:
    assert routes_file.__doc__ is not None
    example = routes_file.__doc__.split("::", 1)[1].split("Within a route", 1)[0]
    routes = _routes(yaml.safe_load(example), tickers)
    assert routes[0].name == "clinical-watch"
    assert routes[0].digest == DigestPolicy(interval_seconds=900, max_alerts=50)


def test_numeric_forms_are_read_as_names_and_unquoted_items_are_refused() -> None:
    assert _routes(_one({"forms": [4, 144]}))[0].forms == frozenset({"4", "144"})
    assert "quote item numbers: YAML reads 8.1 as a number" in _error(_one({"items": [8.10]}))
