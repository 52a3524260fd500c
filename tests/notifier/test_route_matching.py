"""Matching classified filings to routes: every dimension, and the index."""

from __future__ import annotations

import random
from typing import Any

import pytest

from edgarmon.core.domain.filing import Company
from edgarmon.core.domain.messages import FilingClassified, LabelId
from edgarmon.notifier.domain.route_matching import FilingFacts, RouteIndex, route_matches
from edgarmon.notifier.domain.routes import AmendmentPolicy, DigestPolicy, Route, parse_routes
from edgarmon.notifier.domain.tickers import TickerMap

DEFAULT_DIGEST = DigestPolicy(interval_seconds=60, max_alerts=10)
IMMUNOGEN_CIK = 855654


def route(name: str = "r", **match: Any) -> Route:
    data = {"routes": [{"name": name, "match": match, "deliver": {"slack": ["#a"]}}]}
    tickers = TickerMap.from_pairs([("IMGN", IMMUNOGEN_CIK)])
    return parse_routes(data, tickers=tickers, default_digest=DEFAULT_DIGEST)[0]


def matches(r: Route, classified: FilingClassified) -> bool:
    direct = route_matches(r, FilingFacts.of(classified))
    indexed = RouteIndex([r]).match(classified) == (r,)
    assert direct == indexed
    return direct


def test_labels(eight_k: FilingClassified, letter: FilingClassified) -> None:
    assert matches(route(labels=["clinical_update"]), eight_k)
    assert matches(route(labels=["clinical_update", "sec_correspondence"]), letter)
    assert not matches(route(labels=["clinical_update"]), letter)


def test_near_misses_do_not_match_labels(eight_k: FilingClassified) -> None:
    classified = eight_k
    demoted = classified.model_copy(update={"labels": (), "near_misses": classified.labels})
    assert not matches(route(labels=["clinical_update"]), demoted)


def test_forms_are_compared_as_base_forms_in_any_case(
    eight_k: FilingClassified, letter: FilingClassified, eight_k_amendment: FilingClassified
) -> None:
    assert matches(route(forms=["8-k"]), eight_k)
    assert matches(route(forms=["8-K"]), eight_k_amendment)
    assert not matches(route(forms=["10-K"]), eight_k)
    assert matches(route(forms=["UPLOAD", "CORRESP"]), letter)


@pytest.mark.parametrize(
    ("policy", "original", "amendment"),
    [("include", True, True), ("exclude", True, False), ("only", False, True)],
)
def test_amendments_in_or_out(
    policy: str,
    original: bool,
    amendment: bool,
    eight_k: FilingClassified,
    eight_k_amendment: FilingClassified,
) -> None:
    r = route(forms=["8-K"], amendments=policy)
    assert matches(r, eight_k) is original
    assert matches(r, eight_k_amendment) is amendment


def test_amendments_alone_are_a_condition(
    eight_k: FilingClassified, eight_k_amendment: FilingClassified
) -> None:
    r = route(amendments="only")
    assert r.amendments is AmendmentPolicy.ONLY
    assert matches(r, eight_k_amendment)
    assert not matches(r, eight_k)


def test_items_from_the_classifier_or_the_filing(eight_k: FilingClassified) -> None:
    assert matches(route(items=["8.01"]), eight_k)
    assert not matches(route(items=["2.02"]), eight_k)
    only_on_filing = eight_k.model_copy(update={"items": ()})
    assert matches(route(items=["9.01"]), only_on_filing)


def test_companies_by_cik_or_ticker_in_any_role(
    eight_k: FilingClassified, letter: FilingClassified
) -> None:
    assert matches(route(ciks=[IMMUNOGEN_CIK]), letter)
    assert matches(route(tickers=["imgn"]), eight_k)
    assert not matches(route(ciks=[320193]), letter)
    agent = Company(cik=320193, name="Filing Agent LLC", role="Filed by")
    subject = Company(cik=IMMUNOGEN_CIK, name="ImmunoGen, Inc.", role="Subject")
    filing = letter.filing.model_copy(update={"companies": (subject, agent)})
    assert matches(route(ciks=[320193]), letter.model_copy(update={"filing": filing}))


def test_keywords_are_whole_words_in_evidence_details_and_names(
    eight_k: FilingClassified, letter: FilingClassified
) -> None:
    assert matches(route(keywords=["Gastric Cancer"]), eight_k)
    assert matches(route(keywords=["huc242-dm4"]), eight_k)
    assert matches(route(keywords=["168 mg"]), eight_k)
    assert matches(route(keywords=["press release"]), eight_k)
    assert matches(route(keywords=["immunogen"]), letter)
    assert not matches(route(keywords=["gastr"]), eight_k)
    assert not matches(route(keywords=["pancreatic cancer"]), eight_k)


def test_a_keyword_phrase_does_not_span_two_pieces_of_text(eight_k: FilingClassified) -> None:
    assert not matches(route(keywords=["cancer phase"]), eight_k)
    assert matches(route(keywords=["colorectal cancer"]), eight_k)


def test_all_stated_conditions_must_hold(eight_k: FilingClassified) -> None:
    r = route(labels=["clinical_update"], forms=["8-K"], items=["8.01"], tickers=["IMGN"])
    assert matches(r, eight_k)
    assert not matches(route(labels=["clinical_update"], forms=["10-Q"]), eight_k)
    assert not matches(route(labels=["clinical_update"], keywords=["ovarian"]), eight_k)


def test_the_index_returns_routes_in_file_order_and_only_candidates(
    eight_k: FilingClassified,
) -> None:
    routes = [
        route("by-label", labels=["clinical_update"]),
        route("by-cik", ciks=[IMMUNOGEN_CIK], forms=["8-K"]),
        route("other-company", ciks=[320193]),
        route("by-word", keywords=["gastric cancer"]),
        route("by-item", items=["2.02"]),
    ]
    index = RouteIndex(routes)
    found = index.match(eight_k)
    assert [r.name for r in found] == ["by-label", "by-cik", "by-word"]
    assert index.candidates(FilingFacts.of(eight_k)) == [0, 1, 3]


def _random_route(rng: random.Random, position: int) -> Route:
    match: dict[str, Any] = {}
    pools: dict[str, list[Any]] = {
        "labels": [label.value for label in LabelId],
        "forms": ["8-K", "UPLOAD", "10-K", "4"],
        "items": ["8.01", "9.01", "2.02"],
        "ciks": [IMMUNOGEN_CIK, 320193, 1318605],
        "keywords": ["gastric cancer", "phase ii", "comments", "merger", "huC242-DM4"],
    }
    for key in rng.sample(sorted(pools), rng.randint(1, 3)):
        match[key] = rng.sample(pools[key], rng.randint(1, 2))
    if rng.random() < 0.3:
        match["amendments"] = rng.choice(["exclude", "only"])
    return route(f"r{position}", **match)


def test_the_index_agrees_with_checking_every_route(
    eight_k: FilingClassified, letter: FilingClassified, eight_k_amendment: FilingClassified
) -> None:
    rng = random.Random(20240601)
    routes = [_random_route(rng, i) for i in range(400)]
    index = RouteIndex(routes)
    for classified in (eight_k, eight_k_amendment, letter):
        facts = FilingFacts.of(classified)
        expected = tuple(r for r in routes if route_matches(r, facts))
        assert index.match(classified) == expected
        assert expected, "the random routes should match something"
        assert len(index.candidates(facts)) < len(routes)
