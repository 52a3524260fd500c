"""The details of a clinical update: drugs, phases, indications, trial ids, meeting.

Each is read the way a reader reads a release: from the headline and lead first
(:mod:`~edgarmon.classifier.domain.clinical.drugs`,
:mod:`~edgarmon.classifier.domain.clinical.diseases` for the first and third).
Phases are named as the text names them ("Phase I", "Phase 1/2a"); the same phase
written two ways is given once, in the spelling the text uses most. The meeting is
the medical meeting's full name ("58th Annual Meeting of the American Society of
Hematology (ASH)"), never an investor conference.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from edgarmon.classifier.domain.clinical.diseases import disease_mentions, most_specific
from edgarmon.classifier.domain.clinical.drugs import Mention, roles
from edgarmon.classifier.domain.clinical.events import MEDICAL_SOCIETIES, NOT_MEDICAL_MEETING
from edgarmon.classifier.domain.clinical.layout import SENTENCE_END, Zones

_PHASE = re.compile(
    r"\bphase\s*(1|2|3|4|I{1,3}V?|IV)([ab])?"
    r"(?:\s*(/|-|and|or|to)\s*(?:phase\s*)?(1|2|3|I{1,3}|IV)([ab])?)?(?![\w/])",
    re.IGNORECASE,
)
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_OWNER_WINDOW = 90
_PATIENTS_HAVE = re.compile(
    r"\b(?:patients|subjects|participants)\b[^.]{0,60}?\b(?:have|had|suffer(?:ing)? from|"
    r"diagnosed with)\b",
    re.IGNORECASE,
)
"""How far before a disease a drug's name claims it ("X for <disease>")."""
_TRIAL_ID = re.compile(
    r"\bNCT\d{8}\b|\bEudraCT\s*(?:No\.?|Number)?\s*:?\s*\d{4}-\d{6}-\d{2}\b|\bISRCTN\d{8}\b|"
    r"\bACTRN\d{14}\b|\bCTR\d{8}\b|\bjRCT\w{10,}\b"
)
_MEETING_WORD = (
    r"(?:Meeting|Conference|Congress|Symposium|Summit|Forum|Workshop|Sessions|Colloquium)"
)
_NAME_WORD = r"(?:[A-Z0-9][\w\-/&'\u2019.]*|[\"\u201c][^\"\u201c\u201d]{1,80}[\"\u201d])"
_MEETING_NAME = re.compile(
    rf"\b(?:at|to|during|in) the\s+((?:\d{{1,3}}(?:st|nd|rd|th)\s+)?(?:(?:{_NAME_WORD}|of|on|"
    rf"for|and|the|in|de)\s+){{0,14}}?(?:Annual\s+)?{_MEETING_WORD}"
    rf"(?:[ \t]+(?:of|on|for)[ \t]+(?:the[ \t]+)?(?:{_NAME_WORD}"
    rf"(?:[ \t]+(?:and|of|on|for|the|in)(?=[ \t]+[A-Z]))?(?:[ \t]+|(?=[,.;:)\n]|$)))+"
    rf"(?:\([A-Z][\w\-/]+\))?)?)"
)
_MEETING_ACRONYM = re.compile(rf"\b{MEDICAL_SOCIETIES}(?:[- ]\d{{4}})?\b")
_NOT_MEDICAL_MEETING = re.compile(rf"{NOT_MEDICAL_MEETING}|\bfinancial\b", re.IGNORECASE)


def _ranked(candidates: Iterable[str], limit: int) -> tuple[str, ...]:
    ordered: list[str] = []
    counts: Counter[str] = Counter()
    for candidate in candidates:
        key = candidate.lower()
        counts[key] += 1
        if key not in (item.lower() for item in ordered):
            ordered.append(candidate)
    ordered.sort(key=lambda item: -counts[item.lower()])
    return tuple(ordered[:limit])


def _phase_label(numeral: str, letter: str | None) -> str:
    numeral = numeral.upper() if numeral.isalpha() else numeral
    return f"Phase {numeral}{(letter or '').lower()}"


def _phase_value(label: str) -> str:
    """ "Phase I/IIa" and "Phase 1/2a" are one phase: "1/2a"."""
    return re.sub(r"I{1,3}V?|IV", lambda m: _ROMAN.get(m.group(0), m.group(0)), label[6:])


def phase_mentions(text: str) -> list[str]:
    """Every phase named in ``text``, as written ("Phase I", "Phase 1/2a"), repeats included."""
    found: list[str] = []
    for match in _PHASE.finditer(text):
        first, first_letter, joiner, second, second_letter = match.groups()
        labels = [_phase_label(first, first_letter)]
        if second:
            if joiner in {"/", "-"}:
                labels = [labels[0] + "/" + _phase_label(second, second_letter)[6:]]
            else:
                labels.append(_phase_label(second, second_letter))
        found += labels
    return found


def phases(zones: Zones) -> tuple[str, ...]:
    """The phases of the news: those the headline and lead name, else the body's; each
    phase once, in its most frequent spelling, in first-seen order."""
    named = phase_mentions(zones.front()) or phase_mentions(zones.news)
    spellings = Counter(phase_mentions(zones.news))
    chosen: dict[str, str] = {}
    for label in named:
        value = _phase_value(label)
        best = chosen.get(value)
        if best is None or spellings[label] > spellings[best]:
            chosen[value] = label
    return tuple(chosen.values())


_LEAD_SENTENCES = 2
"""How much of the lead names the news's diseases: its opening sentences. Later ones
describe the disease ("complications such as deep tissue infections") or the assay
("antibodies against epithelial cell infection"), not what the drug is for."""


def indications(zones: Zones, drugs: Sequence[str], limit: int = 4) -> tuple[str, ...]:
    """The diseases the news is about: those of the headline and the lead's opening
    sentences, else the body's.
    A disease right after another drug's name ("ambrisentan for pulmonary arterial
    hypertension", "(MSI-1436) for obesity") is that program's, and left out."""
    ours = {name.lower() for name in drugs}
    opening = zones.headline + "\n" + " ".join(SENTENCE_END.split(zones.lead)[:_LEAD_SENTENCES])
    for is_front, text in ((True, opening), (False, zones.news)):
        named = roles(text)
        kept = []
        for phrase, start in disease_mentions(text):
            owner = next(
                (
                    (mention, role)
                    for mention, role in reversed(named)
                    if start - _OWNER_WINDOW <= mention.start < start
                    and not SENTENCE_END.search(text, mention.start, start)
                ),
                None,
            )
            if owner is None or owner[1] == "comparator" or _is_ours(text, owner[0], ours):
                kept.append(phrase)
        if kept:
            if is_front:
                kept += _population(zones.body)
            return tuple(most_specific(kept)[:limit])
    return ()


def _is_ours(text: str, mention: Mention, ours: set[str]) -> bool:
    """Whether a drug's name is one of ``ours``, or an alias given right after one."""
    before = text[max(0, mention.start - 30) : mention.start].lower()
    return mention.name.lower() in ours or any(name in before for name in ours)


def _population(text: str) -> list[str]:
    """Diseases of sentences that say who the patients are ("the majority of patients
    enrolled to date have colorectal cancer")."""
    return [
        phrase
        for sentence in SENTENCE_END.split(text)
        if _PATIENTS_HAVE.search(sentence)
        for phrase, _ in disease_mentions(sentence)
    ]


def trial_ids(text: str) -> tuple[str, ...]:
    return _ranked((m.group(0) for m in _TRIAL_ID.finditer(text)), 10)


def meeting(zones: Zones, presented: bool) -> str | None:
    """The medical meeting of the news, in full: named in the headline or lead, or, when
    the news is a presentation at a meeting (``presented``), anywhere in it."""
    return meeting_named(zones.front()) or (meeting_named(zones.news) if presented else None)


def meeting_named(text: str) -> str | None:
    """The first medical meeting named in ``text``, in full."""
    for match in _MEETING_NAME.finditer(text):
        name = " ".join(match.group(1).split()).rstrip(",.;: ")
        if not _NOT_MEDICAL_MEETING.search(name) and len(name.split()) >= 2:
            return name
    acronym = _MEETING_ACRONYM.search(text)
    return acronym.group(0) if acronym else None
