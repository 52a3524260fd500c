"""The drugs (or devices) a clinical update is about.

Candidates are found by their shape: development codes (``huC242-DM4``, ``GTX-104``,
``CNM-Au8``), international non-proprietary name stems (``-mab``, ``-nib``...),
trademarks (``Thelin™``), and names in a drug's place in a sentence ("a Phase 2
trial of squalamine", "treated with X"). Then the news decides which matter, as
a reader would: a name in the headline is the subject; otherwise the name the
lead dwells on. A name that only ever appears as a comparator or a combination
partner ("versus placebo or X", "in combination with X", "comparing A and X"), a
name given in parentheses after another (an alias), and a trial's code name ("the
OX1222 study") are not the drug.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Final

from edgarmon.classifier.domain.clinical.diseases import DISEASE_HEAD
from edgarmon.classifier.domain.clinical.layout import Zones
from edgarmon.classifier.domain.word_lists import word_set

_CODE = re.compile(
    r"(?<![\w\-])(?:(?=[A-Za-z]*[A-Z])[A-Za-z]{1,6}[-\u2011]?\d{2,6}[A-Za-z0-9]{0,4}"
    r"(?:-[A-Z][A-Za-z0-9]{0,5})?|[A-Z]{2,6}-[A-Z][a-z]?\d{1,3})(?![\w\-])"
)
_NOT_CODES: Final = re.compile(
    r"^(?:NCT|COVID|SARS|CoV|Item|Form|Phase|Rule|Section|Note|Exhibit|EX|Page|File|No|"
    r"Nasdaq|NYSE|IL|PD|CD|HER|EGFR|VEGF|Ac|FY|Q[1-4]|H[12]|ISO|TSX|ASX|ASC|DSM|ICD|CFR|SEC|"
    r"FDA|IND|CTA|IDE|NDA|BLA|ANDA|EU|US|USD|GAAP|SFAS|FAS|ASU|CIK|SIC|DC|Suite|Box|Route|"
    r"Highway|Interstate|Unit|Floor|Building|Room|Version|Part|Schedule|Annex|Table|Figure|"
    r"Study|Trial|Cohort|Day|Week|Month|Year|Grade|Stage|Type|Class|Level|Tier|Series|Model|"
    r"Amendment|Protocol|Abstract|Poster|Booth|PR|HR|CI|OR|RR|MM|CT|MRI|PET|CAGR)\W*[-\d]",
    re.IGNORECASE,
)
_INN = re.compile(
    r"(?<![A-Za-z\-])([A-Z]?[a-z]{3,}(?:mab|nib|ciclib|parib|lisib|stat|vir|tide|cept|sentan|"
    r"idone|xaban|gliflozin|gliptin|platin|taxel|tecan|rubicin|mycin|zomib|degib|rsen|siran|"
    r"leucel|sertib|fenib|rafenib|metinib|tinib|olimus|lukast|prazole|setron|triptan|oxacin|"
    r"cillin|conazole|afil|sartan|pril|olol|dipine|parin|plase|kinra|ercept))\b"
)
_COMMON_WORDS: Final = word_set(
    "concept concepts except accept intercept percept peptide peptides polypeptide "
    "nucleotide nucleotides oligonucleotide thermostat rheostat statin statins amine amines "
    "vitamine dopamine histamine serotonin"
)
_TRADEMARK = re.compile(r"\b([A-Z][A-Za-z0-9\-]{2,}?)(?:\s*(?:\u2122|\u00ae|\(TM\)|\(R\))|TM\b)")
_NAME = r"([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|[a-z]{5,}(?:-[a-z0-9]+)?)"
_DRUG_ADJECTIVES = (
    r"(?:its |the |our |their )?(?:(?:lead|investigational|novel|product|oral|intravenous|"
    r"subcutaneous|topical|inhaled|clinical|anti-\w+) )*(?:candidate |compound |drug |therapy |"
    r"vaccine |product |agent )?"
)
_APPOSITIVE = re.compile(
    r"\b(?:drug|compound|candidate|agent|vaccine|antibody|molecule|therapy|therapeutic)"
    rf",?\s+(?:called\s+|named\s+)?{_NAME}(?=\s*[,(\u2122\u00ae])"
)
_IN_CONTEXT = re.compile(
    r"\b(?:(?:trials?|study|studies|evaluation|development|dosing|treatment|administration|"
    r"results|data|application|approval|clearance|submission|IND) (?:of|with|for)|evaluating|"
    rf"investigating|comparing|dosed with|treated with)\s+{_DRUG_ADJECTIVES}{_NAME}"
)
_BEFORE_DISEASE = re.compile(
    r"([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?:\u2122|\u00ae)?\s+"
    r"(?i:(?:in|for)\s+(?:patients with\s+)?(?:[\w\-']+\s+){0,4}?"
    r"(?:cancers?|tumou?rs?|leuka?emias?|lymphomas?|diseases?|syndromes?|disorders?|failure|"
    r"fibrosis|degeneration|arthritis|osteoarthritis|sclerosis|infections?|hypertension))\b",
)
_DISEASE_FOLLOWER = re.compile(
    rf"(?:\s+(?!(?:in|for|with|of|and|or|to)\b)[\w\-']+){{0,2}}?\s+{DISEASE_HEAD.pattern}",
    re.IGNORECASE,
)
"""A word that starts a disease phrase ("gastric" in "gastric cancer") is not a drug."""
_NOT_NAME_ENDINGS = re.compile(
    r"(?:ing|ly|ed|tion|sion|ment|ive|ness|ity|ous|ful|able|ible|ence|ance|ist|ism|ogy|ary)$"
)
_NAME_SHAPE = re.compile(r"[A-Z][a-z]{3,}[a-z0-9]*|[A-Z]{4,}[0-9]*|[a-z]{5,}")
_NOT_DRUG_WORDS: Final = word_set(
    "the this that these its our patients patient phase company companies inc corporation "
    "ltd clinical study studies trial trials fda food drug data results treatment placebo "
    "standard care subjects volunteers participants cohort cohorts adults children people "
    "safety efficacy severe critical moderate advanced healthy investigational novel lead "
    "candidate compound vaccine therapy therapies product which whether both each their "
    "approximately several multiple additional preclinical pivotal randomized potential "
    "response treatments infusion injection tablets capsules dose doses dosing week weeks "
    "months years primary secondary endpoint endpoints approach strategy regimen combination "
    "procedure system device formulation patients enrollment progress development "
    "announces reports presents provides update results advances breakthrough milestone step"
)
_GENERIC_FOLLOWER = re.compile(
    r"\s+(?:compounds?|technolog\w+|platforms?|cells?|programs?|products?|patients?|"
    r"class|family|approach|-?expressing|-?positive|-?negative|study|studies|trials?|"
    r"protocol|cohorts?)\b",
    re.IGNORECASE,
)
_SIDE_ROLE = re.compile(
    r"(?:\bversus|\bvs\.?|\bcompared (?:with|to)|\bcomparator|\bcombination with|\bcombined with|"
    r"\bplus|\badded to|\bon top of|\bplacebo or|\bor placebo|\bstandard of care|\bbackbone|"
    r"\bcompar\w+ [\w\-]+ (?:and|with|to|versus))\s+(?:the\s+|an?\s+)?(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_ALIAS_BEFORE = re.compile(r"[\w\u2122\u00ae]\s*\(\s*(?:\w+\s+){0,2}$")
_HEADLINE_WEIGHT: Final = 4.0
_TIMES_NAMED: Final = 2
"""A lower-case word in a drug's place is a drug's name only if the news names it again."""
_TRIAL_BEFORE = re.compile(
    r"\b(?:the|a|an|its|phase\s*\S+)\s+(?:[\w\-]+\s+){0,2}?(?:study|trial|protocol)\s+$",
    re.IGNORECASE,
)
"""A code named right after "study" is the trial's name ("the Phase 1b study OX1222")."""


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    start: int


def mentions(text: str) -> list[Mention]:
    """Every drug-shaped name in ``text``, with where it stands, in text order."""
    found: list[Mention] = []
    for match in _CODE.finditer(text):
        name = match.group(0)
        if (
            not _NOT_CODES.match(name)
            and not re.fullmatch(r"[A-Z]{1,2}\d{2,3}", name)
            and not _GENERIC_FOLLOWER.match(text, match.end())
        ):
            found.append(Mention(name, match.start()))
    for match in _INN.finditer(text):
        if match.group(1).lower() not in _COMMON_WORDS:
            found.append(Mention(match.group(1), match.start(1)))
    found += [Mention(m.group(1), m.start(1)) for m in _TRADEMARK.finditer(text)]
    lowered = text.lower()
    for pattern in (_IN_CONTEXT, _BEFORE_DISEASE, _APPOSITIVE):
        for match in pattern.finditer(text):
            name = match.group(1)
            if (
                _drug_like(name)
                and not _GENERIC_FOLLOWER.match(text, match.end(1))
                and not _DISEASE_FOLLOWER.match(text, match.end(1))
                and (
                    (pattern is _IN_CONTEXT and not name.islower())
                    or lowered.count(name.lower()) >= _TIMES_NAMED
                )
            ):
                found.append(Mention(name, match.start(1)))
    trial_names = {m.name for m in found if _TRIAL_BEFORE.search(text, 0, m.start)}
    return sorted(
        (m for m in found if m.name not in trial_names), key=lambda mention: mention.start
    )


def _drug_like(name: str) -> bool:
    """A word in a drug's place that could be a drug's name: not a common word, and if
    all lower-case, not shaped like a verb, adverb or abstract noun."""
    if name.lower() in _NOT_DRUG_WORDS or not _NAME_SHAPE.fullmatch(name):
        return False
    return not _NOT_NAME_ENDINGS.search(name.lower())


def _role(text: str, mention: Mention) -> str:
    """ "comparator" (a comparator or combination partner), "alias" (a name in parentheses
    after another), or "main"."""
    before = text[max(0, mention.start - 60) : mention.start]
    if _SIDE_ROLE.search(before):
        return "comparator"
    return "alias" if _ALIAS_BEFORE.search(before[-30:]) else "main"


def roles(text: str) -> list[tuple[Mention, str]]:
    """Every drug mention in ``text`` with its role (see :func:`_role`)."""
    return [(mention, _role(text, mention)) for mention in mentions(text)]


def drug_names(zones: Zones, limit: int = 3) -> tuple[str, ...]:
    """The drugs the news is about: those named in the headline, else the one the lead
    names most; comparators, partners, aliases and trial codes left out."""
    news = zones.news
    front_end = len(zones.headline) + len(zones.lead)
    spelling: dict[str, Counter[str]] = {}
    score: defaultdict[str, float] = defaultdict(float)
    main_roles: Counter[str] = Counter()
    in_headline: set[str] = set()
    for mention in mentions(news):
        key = mention.name.lower()
        spelling.setdefault(key, Counter())[mention.name] += 1
        if _role(news, mention) != "main":
            continue
        main_roles[key] += 1
        if mention.start < len(zones.headline):
            in_headline.add(key)
            score[key] += _HEADLINE_WEIGHT
        elif mention.start < front_end:
            score[key] += 1.0
        else:
            score[key] += 0.25
    keys = [key for key in score if main_roles[key]]
    if in_headline:
        chosen = sorted(in_headline, key=lambda key: (-score[key], news.lower().find(key)))
    else:
        chosen = sorted(keys, key=lambda key: -score[key])[:1]
    return tuple(_spelled(spelling[key]) for key in chosen[:limit])


def _spelled(spellings: Counter[str]) -> str:
    """The spelling the text uses most, preferring one that is not all capitals."""
    ranked = sorted(spellings.items(), key=lambda item: (item[0].isupper(), -item[1]))
    return ranked[0][0]
