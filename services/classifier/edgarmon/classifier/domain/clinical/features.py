"""From a unit's zones to the figures the clinical model weighs.

A unit is read once: every enabled term of every signal is looked for in its
headline, lead and body. The features are then plain numbers:

- ``kind:<k>`` for each kind of clinical news: 2 when it is in the headline, plus 1
  when it is in the lead (a reader weighs the headline most);
- ``topic:<t>`` for each topic that makes a release something else, alike;
- ``body:kinds`` and ``body:topics``: how many kinds (topics) appear only in the body;
- ``context:phase`` and ``context:trial``: the front names a phase, a trial.

A kind that is not self-evident (results, a meeting, a publication, a trial
stopped) counts only in a unit that mentions a trial, a phase or a cohort
somewhere. :data:`PRIOR` holds the weights the model starts from before it sees
any data: every kind alike, every topic alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from edgarmon.classifier.domain.clinical.events import CONTEXT, KINDS, SELF_EVIDENT
from edgarmon.classifier.domain.clinical.layout import Zones, split_zones
from edgarmon.classifier.domain.clinical.prefilter import may_match
from edgarmon.classifier.domain.clinical.terms import Signal
from edgarmon.classifier.domain.clinical.topics import TOPICS
from edgarmon.classifier.domain.clinical.units import Unit

SIGNALS: Final[tuple[Signal, ...]] = (*KINDS, *TOPICS, *CONTEXT)
KIND_NAMES: Final = tuple(signal.name for signal in KINDS)
TOPIC_NAMES: Final = tuple(signal.name for signal in TOPICS)
_CONTEXT_SIGNALS: Final = (*CONTEXT, *(signal for signal in KINDS if signal.name in SELF_EVIDENT))
"""What gives a unit a trial context: a phase, a trial, a kind of news that is one."""
_BODY_CAP: Final = 3

FEATURES: Final = (
    *(f"kind:{name}" for name in KIND_NAMES),
    *(f"topic:{name}" for name in TOPIC_NAMES),
    "body:kinds",
    "body:topics",
    "context:phase",
    "context:trial",
)
"""Every feature, in the model's order."""

PRIOR: Final[Mapping[str, float]] = {
    **{f"kind:{name}": 1.5 for name in KIND_NAMES},
    **{f"topic:{name}": -1.5 for name in TOPIC_NAMES},
    "body:kinds": 0.3,
    "body:topics": -0.3,
    "context:phase": 0.5,
    "context:trial": 0.3,
}
"""Weights before any data, from the label's definition: a kind of clinical news in the
headline decides by itself; in the lead alone it takes a trial context too; a topic in
the headline outweighs a kind in the lead; every kind alike, every topic alike."""
PRIOR_BIAS: Final = -2.5


@dataclass(frozen=True, slots=True)
class UnitReading:
    """One unit, read: its zones and, per zone, the signals found there (by name) and
    the terms that found them."""

    source: str
    zones: Zones
    signals: Mapping[str, frozenset[str]]
    """Zone name -> names of the signals found in that zone."""
    terms: frozenset[str]
    """Every term found anywhere in the unit."""

    def in_zone(self, zone: str) -> frozenset[str]:
        return self.signals.get(zone, frozenset())

    @property
    def has_context(self) -> bool:
        everywhere = self.in_zone("headline") | self.in_zone("lead") | self.in_zone("body")
        return bool(everywhere & {"phase", "trial"} or everywhere & SELF_EVIDENT)

    def kinds(self, zone: str) -> frozenset[str]:
        """Kinds of clinical news in ``zone``, those that need a trial context only when
        the unit has one."""
        found = self.in_zone(zone) & set(KIND_NAMES)
        return found if self.has_context else found & SELF_EVIDENT

    def topics(self, zone: str) -> frozenset[str]:
        return self.in_zone(zone) & set(TOPIC_NAMES)


def read_unit(unit: Unit, disabled: frozenset[str] = frozenset()) -> UnitReading:
    """Look for every enabled term in the unit's zones."""
    return read_zones(unit.source, split_zones(unit.text, unit.layout), disabled)


def mentions_context(zones: Zones, disabled: frozenset[str] = frozenset()) -> bool:
    """Whether the reading of these zones would have a trial context
    (:attr:`UnitReading.has_context`), looking for those signals' terms only."""
    for text in (zones.headline, zones.lead, zones.body):
        lowered = text.lower()
        for signal in _CONTEXT_SIGNALS:
            for term in signal.terms:
                if term.name not in disabled and term.first(text, lowered) is not None:
                    return True
    return False


def read_zones(source: str, zones: Zones, disabled: frozenset[str] = frozenset()) -> UnitReading:
    """Look for every enabled term in ``zones``."""
    texts = {"headline": zones.headline, "lead": zones.lead, "body": zones.body}
    signals: dict[str, frozenset[str]] = {}
    terms: set[str] = set()
    # A term none of whose literals is anywhere in the unit is in none of its zones:
    # one test for the three (a zone's lower() is a part of the whole's).
    whole = "\n".join(texts.values()).lower()
    absent = disabled | {
        term.name
        for signal in SIGNALS
        for term in signal.terms
        if not may_match(term.pattern, whole)
    }
    for zone, text in texts.items():
        found: set[str] = set()
        lowered = text.lower()
        for signal in SIGNALS:
            hits = signal.found(text, absent, lowered)
            if hits:
                found.add(signal.name)
                terms |= hits
        signals[zone] = frozenset(found)
    return UnitReading(source, zones, signals, frozenset(terms))


def feature_values(reading: UnitReading) -> dict[str, float]:
    """The unit's features (those that are zero are left out)."""
    values: dict[str, float] = {}
    headline_kinds, lead_kinds = reading.kinds("headline"), reading.kinds("lead")
    for name in headline_kinds | lead_kinds:
        values[f"kind:{name}"] = 2.0 * (name in headline_kinds) + (name in lead_kinds)
    headline_topics, lead_topics = reading.topics("headline"), reading.topics("lead")
    for name in headline_topics | lead_topics:
        values[f"topic:{name}"] = 2.0 * (name in headline_topics) + (name in lead_topics)
    body_kinds = reading.kinds("body") - headline_kinds - lead_kinds
    body_topics = reading.topics("body") - headline_topics - lead_topics
    if body_kinds:
        values["body:kinds"] = float(min(len(body_kinds), _BODY_CAP))
    if body_topics:
        values["body:topics"] = float(min(len(body_topics), _BODY_CAP))
    front = reading.in_zone("headline") | reading.in_zone("lead")
    if "phase" in front:
        values["context:phase"] = 1.0
    if "trial" in front:
        values["context:trial"] = 1.0
    return values
