"""Pull the details of a clinical update out of its text: drug and program names,
phases, indications, trial identifiers and the medical meeting.

Drug names are found by their shape (development codes such as ``huC242-DM4``
or ``GTX-104``, international non-proprietary name stems such as ``-mab`` or
``-nib``, trademarks) and by their place in a sentence ("a Phase 2 trial of X").
Indications are disease phrases ending in a disease noun ("gastric cancer",
"pulmonary arterial hypertension").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Final

from edgarmon.classifier.word_lists import word_set

_CODE_NAME = re.compile(
    r"(?<![\w\-])(?=[A-Za-z]*[A-Z])[A-Za-z]{1,6}[-\u2011]?\d{2,6}[A-Za-z0-9]{0,4}"
    r"(?:-[A-Z][A-Za-z0-9]{0,5})?(?![\w\-])"
)
_NOT_CODES: Final = re.compile(
    r"^(?:NCT|COVID|SARS|CoV|Item|Form|Phase|Rule|Section|Note|Exhibit|EX|Page|File|No|"
    r"Nasdaq|NYSE|IL|PD|CD|HER|EGFR|VEGF|Ac|FY|Q[1-4]|H[12]|ISO|TSX|ASX|ASC|DSM|ICD|CFR|SEC|"
    r"FDA|IND|CTA|IDE|NDA|BLA|ANDA|EU|US|USD|GAAP|SFAS|FAS|ASU|CIK|SIC|DC|Suite|Box|Route|"
    r"Highway|Interstate|Unit|Floor|Building|Room|Version|Part|Schedule|Annex|Table|Figure|"
    r"Study|Trial|Cohort|Day|Week|Month|Year|Grade|Stage|Type|Class|Level|Tier|Series|Model|"
    r"Amendment|Protocol|Abstract|Poster|Booth|PR|HR|CI|OR|RR|MM|CT|MRI|PET)\W*[-\d]",
    re.IGNORECASE,
)
_INN_STEM = re.compile(
    r"\b[A-Za-z]{3,}(?:mab|nib|ciclib|parib|lisib|stat|vir|tide|cept|sentan|idone|xaban|"
    r"gliflozin|gliptin|platin|taxel|tecan|rubicin|mycin|zomib|degib|rsen|siran|leucel|"
    r"gene|sertib|fenib|rafenib|metinib|tinib|olimus|lukast|prazole|setron|triptan|"
    r"oxacin|cillin|conazole|afil|sartan|pril|olol|dipine|parin|plase|kinra|ercept)\b",
    re.IGNORECASE,
)
_TRADEMARK = re.compile(r"\b([A-Z][A-Za-z0-9\-]{2,})\s*(?:\u2122|\u00ae|\(TM\)|\(R\))")
_IN_CONTEXT = re.compile(
    r"\b(?:trial|study|studies|evaluation|development|dosing|treatment|administration) "
    r"(?:of|with|evaluating) (?:its |the |our )?(?:(?:lead|investigational|novel|product) )*"
    r"(?:candidate |compound |drug |therapy )?([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
)
_NAME_SHAPE = re.compile(r"[A-Z][a-z]{3,}[a-z0-9]*|[A-Z]{4,}[0-9]*")
_GENERIC_FOLLOWER = re.compile(
    r"\s+(?:compounds?|technolog\w+|platforms?|cells?|programs?|products?|patients?|"
    r"class|family|approach|-?expressing|-?positive|-?negative)\b",
    re.IGNORECASE,
)
_NOT_DRUG_WORDS: Final = word_set(
    "The This That These Its Our Patients Phase Company Companies Inc Corporation Ltd "
    "Clinical Study Trial FDA Food Drug US United Data Results Treatment Placebo Standard "
    "Care"
)

_PHASE = re.compile(
    r"\bphase\s*(1|2|3|4|I{1,3}V?|IV)([ab])?"
    r"(?:\s*(/|-|and|or|to)\s*(?:phase\s*)?(1|2|3|I{1,3}|IV)([ab])?)?(?![\w/])",
    re.IGNORECASE,
)

_DISEASE_HEAD = re.compile(
    r"\b(cancers?|carcinomas?|tumou?rs?|leuka?emias?|lymphomas?|myelomas?|melanomas?|"
    r"sarcomas?|glioblastomas?|gliomas?|metastases|disease|syndrome|disorders?|failure|"
    r"hypertension|fibrosis|degeneration|osteoarthritis|arthritis|sclerosis|diabetes|"
    r"infections?|ha?emorrhage|atrophy|schizophrenia|depression|epilepsy|dystrophy|hepatitis|"
    r"psoriasis|dermatitis|asthma|obesity|migraine|anemia|ha?emophilia|colitis|COVID-19|"
    r"smallpox|influenza|stroke|deficiency|scoliosis|lipoidica|agitation|insomnia|neuropathy|"
    r"pain|fat|glaucoma|angina|nephropathy|retinopathy|ulcers?|wounds?|osteoporosis)\b",
    re.IGNORECASE,
)
_MODIFIER = re.compile(r"^[A-Za-z][A-Za-z'\u2019\-]*$")
_STOP_MODIFIERS: Final = word_set(
    "a an the of in with for and or to its their our this that any type types human other "
    "various certain including such as on by from at who have has been is are was were be "
    "patients patient treatment treat treating therapy people adults adult children subjects "
    "all most many several each into against evaluate evaluated evaluating study trial "
    "investigational potential novel new caused related associated due than"
)

_INTRODUCERS: Final = word_set(
    "in for with of treat treating against and or including patients subjects adults have has "
    "had having from children people"
)
_NOT_MEDICAL: Final = word_set(
    "inside within uses use using technology compounds compound platform targeting target "
    "kill killing activity activation company drug drugs agent agents product products "
    "conjugate conjugates research program programs market markets"
)

_TRIAL_ID = re.compile(
    r"\bNCT\d{8}\b|\bEudraCT\s*(?:No\.?|Number)?\s*:?\s*\d{4}-\d{6}-\d{2}\b|\bISRCTN\d{8}\b|"
    r"\bACTRN\d{14}\b|\bCTR\d{8}\b|\bjRCT\w{10,}\b"
)
_MEETING_NAME = re.compile(
    r"\b(?:at|to|during) the\s+((?:\d{1,3}(?:st|nd|rd|th)\s+)?(?:(?:[A-Z0-9][\w\-/&'\u2019.]*|"
    r"[\"\u201c][^\"\u201c\u201d]{1,80}[\"\u201d]|of|on|for|and|the|in|de)\s+){0,14}?"
    r"(?:Annual\s+)?(?:Meeting|Conference|Congress|Symposium|Summit|Forum|Workshop|"
    r"Sessions|Colloquium))\b"
)
_MEETING_ACRONYM = re.compile(
    r"\b(?:ASCO|AACR|ASH|ESMO|EHA|SABCS|AAN|EASD|EASL|AASLD|EULAR|ERS|ATS|ESC|ASGCT|SITC|CROI|"
    r"IDWeek|ARVO|ECTRIMS|CTAD|AAIC|WCLC|ISTH|DDW|ASN|ACNP|ESCMID|AHA|ACC)(?:[- ]\d{4})?\b"
)
_NOT_MEDICAL_MEETING = re.compile(
    r"investor|healthcare conference|health care conference|capital|securities|bank|"
    r"financial|stockholder|shareholder|earnings|analyst|micro-?cap|growth",
    re.IGNORECASE,
)


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


def drug_names(text: str, limit: int = 6) -> tuple[str, ...]:
    found: list[str] = []
    for match in _CODE_NAME.finditer(text):
        name = match.group(0)
        if not _NOT_CODES.match(name) and not re.fullmatch(r"[A-Z]{1,2}\d{2,3}", name):
            found.append(name)
    found += [m.group(0) for m in _INN_STEM.finditer(text)]
    found += [m.group(1) for m in _TRADEMARK.finditer(text)]
    found += [
        m.group(1)
        for m in _IN_CONTEXT.finditer(text)
        if m.group(1) not in _NOT_DRUG_WORDS
        and _NAME_SHAPE.fullmatch(m.group(1))
        and not _GENERIC_FOLLOWER.match(text, m.end())
    ]
    return _ranked(found, limit)


def _phase_label(numeral: str, letter: str | None) -> str:
    numeral = numeral.upper() if numeral.isalpha() else numeral
    return f"Phase {numeral}{(letter or '').lower()}"


def phases(text: str) -> tuple[str, ...]:
    """Phases as named, e.g. ("Phase I", "Phase II") or ("Phase 1/2a",)."""
    found: list[str] = []
    for match in _PHASE.finditer(text):
        first, first_letter, joiner, second, second_letter = match.groups()
        labels = [_phase_label(first, first_letter)]
        if second:
            if joiner in {"/", "-"}:
                labels = [labels[0] + "/" + _phase_label(second, second_letter)[6:]]
            else:
                labels.append(_phase_label(second, second_letter))
        found += [label for label in labels if label not in found]
    return tuple(found)


def _plain_case(token: str) -> str:
    """Headline capitals off ("Ulcerative" -> "ulcerative"); acronyms and eponyms kept."""
    if token[:1].isupper() and token[1:].islower() and not token.endswith(("'s", "\u2019s")):
        return token.lower()
    return token


def indications(text: str, limit: int = 6) -> tuple[str, ...]:
    """Disease phrases: up to three modifiers before a disease noun, introduced by "in",
    "for", "with", "of"... ("patients with gastric cancer")."""
    found: list[str] = []
    for match in _DISEASE_HEAD.finditer(text):
        words = text[: match.start()].split()[-5:]
        modifiers: list[str] = []
        introduced = len(words) < 5
        for word in reversed(words):
            bare = word.strip(',;:()"\u201c\u201d')
            if bare != word and modifiers:
                introduced = word[-1:] in '(\u201c"' or introduced
                break
            if bare.lower() in _STOP_MODIFIERS or len(modifiers) == 3:
                introduced = bare.lower() in _INTRODUCERS
                break
            if not _MODIFIER.match(bare) or bare.lower() in _NOT_MEDICAL:
                introduced = False
                break
            if bare.endswith(("'s", "\u2019s")) and modifiers:
                introduced = False
                break
            modifiers.insert(0, bare)
        if not modifiers or not introduced:
            continue
        head = match.group(0)
        if head.lower().endswith("s") and head.lower()[:-1] in {
            "cancer",
            "tumor",
            "tumour",
            "carcinoma",
            "infection",
        }:
            head = head[:-1]
        found.append(" ".join(_plain_case(token) for token in [*modifiers, head]))
    ranked = _ranked(found, limit * 2)
    lowered = [item.lower() for item in ranked]
    kept = [
        item
        for item in ranked
        if not any(
            other != item.lower() and item.lower().endswith(" " + other) for other in lowered
        )
    ]
    return tuple(kept[:limit])


def trial_ids(text: str) -> tuple[str, ...]:
    return _ranked((m.group(0) for m in _TRIAL_ID.finditer(text)), 10)


def meeting(text: str) -> str | None:
    for match in _MEETING_NAME.finditer(text):
        name = " ".join(match.group(1).split())
        if not _NOT_MEDICAL_MEETING.search(name) and len(name.split()) >= 2:
            return name
    acronym = _MEETING_ACRONYM.search(text)
    return acronym.group(0) if acronym else None
