"""Decide whether a filing reports a clinical update, and why.

A reader decides from the headline and the lead; so does this. Each press
release (an EX-99 exhibit, or one embedded in an 8-K) and each 8-K item section
is a *unit*, split into zones: the headline (before the dateline), the lead (the
next ~900 characters) and the body (the next ~3,000). Clinical events found in
the headline weigh most; negative topics (financial results, a financing, an
appointment...) in the headline or lead weigh against. A release that only
mentions its pipeline in passing scores low and comes back as a near-miss with
the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from edgarmon.classifier import clinical_details as found
from edgarmon.classifier.clinical_vocabulary import (
    BOILERPLATE_LINE,
    CONTEXT,
    DATELINE,
    END_OF_NEWS,
    NEGATIVE_TOPICS,
    POSITIVE_KINDS,
    RELEASE_MARKER,
)
from edgarmon.classifier.form_inference import infer_cover
from edgarmon.classifier.text_extraction import DocumentText
from edgarmon.core.messages import ClinicalDetails, ClinicalUpdateLabel, Evidence

HEADLINE_CHARS = 450
LEAD_CHARS = 900
BODY_CHARS = 3000
NEWS_CHARS = 12_000
ZONE_WEIGHTS = {"headline": 2.0, "lead": 1.0, "body": 0.3}
NEGATIVE_ZONE_WEIGHTS = {"headline": 2.2, "lead": 1.0, "body": 0.25}
SELF_EVIDENT_KINDS = frozenset(
    {"trial_start", "enrollment", "regulatory_clearance", "clinical_hold"}
)
"""Kinds that are about a clinical trial by themselves; the others need a trial nearby."""
NO_CONTEXT_FACTOR = 0.3
"""Clinical-sounding words in a text that never mentions a trial, a phase or a cohort."""
BIAS = 2.0
"""Score at which confidence is one half."""

_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z]\.)(?<!\bInc\.)(?<!\bCorp\.)(?<!\bNo\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)"
    r"(?<!\bSt\.)(?<!\bvs\.)(?<=[.!?])[\"\u201d]?\s+(?=[A-Z\"\u201c(])|\n"
)
_ITEM_HEADING = re.compile(r"^\W{0,3}items?\s*\d{1,2}(?:\.\d{2})?\b", re.IGNORECASE)
_CITY = re.compile(r"^[A-Z][A-Za-z.' \-]+(?:,\s*[A-Za-z.' ]+){0,2}\s*[,\-\u2013\u2014]?$")
_SIGNATURES = re.compile(r"^\W*signatures?\W*$", re.IGNORECASE)
_FINDING = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|percent|mg|mcg|patients|subjects|months|weeks|meters)|p\s*[=<]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Zones:
    headline: str
    lead: str
    body: str
    news: str


@dataclass(frozen=True, slots=True)
class Assessment:
    source: str
    confidence: float
    kinds: tuple[str, ...]
    topics: tuple[str, ...]
    rationale: str
    zones: Zones


def _matches(text: str, patterns: dict[str, tuple[float, re.Pattern[str]]]) -> dict[str, float]:
    return {name: weight for name, (weight, pattern) in patterns.items() if pattern.search(text)}


def news_lines(text: str) -> list[str]:
    """The release's own lines: boilerplate lines dropped, cut at "About ..." or the
    forward-looking statements (after the first few lines)."""
    kept: list[str] = []
    for line in text.splitlines():
        if len(kept) >= 3 and END_OF_NEWS.match(line):
            break
        if not BOILERPLATE_LINE.match(line):
            kept.append(line)
    return kept


def split_zones(text: str) -> Zones:
    news = "\n".join(news_lines(text))[:NEWS_CHARS]
    dateline = DATELINE.search(news[:1500])
    if dateline and dateline.start() > 15:
        head_end = dateline.start()
        headline = _without_dateline_city(news[max(0, head_end - 500) : head_end])
    else:
        first_line = news.split("\n", 1)[0]
        first_sentence = _SENTENCE_END.split(first_line, 1)[0]
        head_end = len(first_line) if len(first_line) <= 300 else len(first_sentence)
        head_end = min(head_end, HEADLINE_CHARS)
        headline = news[:head_end]
    lead = news[head_end : head_end + LEAD_CHARS]
    body = news[head_end + LEAD_CHARS : head_end + LEAD_CHARS + BODY_CHARS]
    return Zones(headline, lead, body, news)


def _without_dateline_city(headline: str) -> str:
    """Drop a trailing "CAMBRIDGE, MA," line: the dateline's city, not the headline."""
    lines = headline.rstrip().split("\n")
    if len(lines) > 1 and len(lines[-1]) < 60 and _CITY.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


def units(document: DocumentText) -> list[tuple[str, str]]:
    """(source, text) pieces to assess: an 8-K body is cut into its item sections and
    the press releases it embeds; any other document is one piece."""
    is_8k = document.doc_type.upper().startswith("8-K") or (
        not document.doc_type and infer_cover(document.text) is not None
    )
    if not is_8k:
        return [(document.source, document.text)]
    lines = document.text.splitlines()
    start = next((i for i, line in enumerate(lines) if _ITEM_HEADING.match(line)), 0)
    pieces: list[tuple[str, list[str]]] = [(document.source, [])]
    for line in lines[start:]:
        if RELEASE_MARKER.match(line):
            pieces.append((f"{document.source}:release", []))
        pieces[-1][1].append(line)
    result = []
    for source, piece in pieces:
        stop = next((i for i, line in enumerate(piece) if _SIGNATURES.match(line)), len(piece))
        keep = piece if source.endswith(":release") else piece[:stop]
        if keep:
            result.append((source, "\n".join(keep)))
    return result


def _sigmoid(score: float) -> float:
    return round(1.0 / (1.0 + math.exp(-(score - BIAS))), 3)


def assess(source: str, text: str) -> Assessment:
    zones = split_zones(text)
    score = 0.0
    seen_kinds: set[str] = set()
    seen_topics: set[str] = set()
    for zone in ("headline", "lead", "body"):
        zone_text = getattr(zones, zone)
        for kind, weight in _matches(zone_text, POSITIVE_KINDS).items():
            factor = ZONE_WEIGHTS[zone] * (0.5 if kind in seen_kinds else 1.0)
            score += weight * factor
            seen_kinds.add(kind)
        for topic, weight in _matches(zone_text, NEGATIVE_TOPICS).items():
            factor = NEGATIVE_ZONE_WEIGHTS[zone] * (0.5 if topic in seen_topics else 1.0)
            score -= weight * factor
            seen_topics.add(topic)
    front = zones.headline + "\n" + zones.lead
    front_kinds = tuple(_matches(front, POSITIVE_KINDS))
    front_topics = tuple(_matches(front, NEGATIVE_TOPICS))
    context = _matches(front, CONTEXT)
    whole = front + "\n" + zones.body
    if not _matches(whole, CONTEXT) and not SELF_EVIDENT_KINDS & set(
        _matches(whole, POSITIVE_KINDS)
    ):
        # "Preliminary findings" of an internal review are not trial results.
        score = min(score, score * NO_CONTEXT_FACTOR)
    score += sum(context.values())
    confidence = _sigmoid(score)
    if not context and not front_kinds:
        confidence = min(confidence, 0.2)
    rationale = _rationale(confidence, front_kinds, front_topics, seen_kinds, zones)
    return Assessment(source, confidence, front_kinds, front_topics, rationale, zones)


def words(names: Sequence[str]) -> str:
    """Kind or topic names as words: "trial results, meeting presentation"."""
    return ", ".join(name.replace("_", " ") for name in names)


def _rationale(
    confidence: float,
    kinds: Sequence[str],
    topics: Sequence[str],
    all_kinds: set[str],
    zones: Zones,
) -> str:
    if confidence >= 0.5:
        where = "headline" if _matches(zones.headline, POSITIVE_KINDS) else "lead"
        return f"the {where} reports {words(kinds)}"
    if topics:
        return (
            f"the headline and lead are about {words(topics)}; clinical terms"
            f"{' (' + words(sorted(all_kinds)) + ')' if all_kinds else ''} appear only in passing"
        )
    if all_kinds:
        return f"{words(sorted(all_kinds))} only outside the headline and lead"
    return "no clinical trial event in the headline or lead"


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE_END.split(text) if len(s.split()) >= 4]


def decisive_sentences(zones: Zones) -> tuple[str, ...]:
    front = [
        s for s in _sentences(zones.headline + "\n" + zones.lead) if _matches(s, POSITIVE_KINDS)
    ][:3]
    findings = sorted(
        (s for s in _sentences(zones.news) if s not in front),
        key=lambda s: (
            -(
                len(_matches(s, {"r": POSITIVE_KINDS["trial_results"]}))
                + bool(_FINDING.search(s)) * (1 if _matches(s, POSITIVE_KINDS) else 0)
            )
        ),
    )
    findings = [s for s in findings if _matches(s, POSITIVE_KINDS) and _FINDING.search(s)][:2]
    return tuple(s[:500] for s in [*front, *findings])


def clinical_details(assessment: Assessment) -> ClinicalDetails:
    zones = assessment.zones
    kinds = list(assessment.kinds) or sorted(_matches(zones.news[:4000], POSITIVE_KINDS))
    return ClinicalDetails(
        drugs=found.drug_names(zones.news),
        phases=found.phases(zones.news),
        indications=found.indications(zones.news),
        trial_ids=found.trial_ids(zones.news),
        meeting=found.meeting(zones.news) if "meeting_presentation" in kinds else None,
        event_kinds=tuple(kinds),
        decisive_sentences=decisive_sentences(zones),
    )


def assess_documents(documents: Sequence[DocumentText]) -> Assessment | None:
    """The most clinical unit across ``documents`` (exhibits and primary document)."""
    assessments = [assess(source, text) for doc in documents for source, text in units(doc)]
    if not assessments:
        return None
    return max(assessments, key=lambda a: a.confidence)


def clinical_label(documents: Sequence[DocumentText]) -> ClinicalUpdateLabel | None:
    """The clinical-update label with its confidence, or ``None`` when no document even
    touches on clinical work (no label, and no near-miss worth reporting)."""
    best = assess_documents(documents)
    if best is None:
        return None
    touches = _matches(best.zones.news, CONTEXT) or SELF_EVIDENT_KINDS & set(
        _matches(best.zones.news, POSITIVE_KINDS)
    )
    if best.confidence < 0.5 and not touches:
        return None
    details = clinical_details(best)
    quote = best.zones.headline.strip() or (details.decisive_sentences or ("",))[0]
    evidence = (Evidence(source=best.source, text=" ".join(quote.split())[:2000]),) if quote else ()
    return ClinicalUpdateLabel(
        confidence=best.confidence,
        evidence=evidence,
        rationale=best.rationale,
        details=details,
    )
