"""The indications a clinical update is about: disease phrases, as the news names them.

A disease phrase is a disease noun ("cancer", "leukemia", "syndrome", "osteoarthritis",
"virus"...) with the words before it that name the disease ("non-small cell lung
cancer", "wet age-related macular degeneration"), without the words that only
grade it ("advanced", "relapsed/refractory", "moderate-to-severe", "metastatic").
Not indications: response categories ("stable disease"), institutions and scales
("Cancer Center", "Negative Syndrome Scale"), company names ("Beyond Cancer, Ltd.").
"""

from __future__ import annotations

import re
from typing import Final

from edgarmon.classifier.domain.word_lists import word_set

DISEASE_HEAD = re.compile(
    r"\b(cancers?|carcinomas?|tumou?rs?|leuka?emias?|lymphomas?|myelomas?|melanomas?|"
    r"sarcomas?|glioblastomas?|gliomas?|blastomas?|metastas[ie]s|diseases?|syndromes?|"
    r"disorders?|failure|hypertension|fibrosis|degeneration|osteoarthritis|arthritis|"
    r"sclerosis|diabetes|infections?|ha?emorrhages?|atrophy|schizophrenia|depression|"
    r"epilepsy|dystroph(?:y|ies)|hepatitis|psoriasis|dermatitis|asthma|obesity|migraines?|"
    r"ana?emias?|ha?emophilia|colitis|COVID-19|smallpox|influenza|strokes?|deficienc(?:y|ies)|"
    r"scoliosis|lipoidica|insomnia|neuropath(?:y|ies)|pain|fat|glaucoma|angina|nephropath(?:y|ies)|"
    r"retinopath(?:y|ies)|ulcers?|wounds?|osteoporosis|\w+virus(?:es)?|agitation|lupus|"
    r"fibroids?|endometriosis|gout|eczema|acne|alopecia|autism|dementia|hemorrhoids)\b",
    re.IGNORECASE,
)
_STANDS_ALONE: Final = word_set(
    "schizophrenia depression epilepsy asthma obesity migraine migraines psoriasis smallpox "
    "influenza covid-19 glioblastoma glioblastomas melanoma melanomas scoliosis insomnia "
    "osteoarthritis glaucoma osteoporosis lupus endometriosis gout eczema acne alopecia autism "
    "dementia hypertension"
)
_QUALIFIERS: Final = word_set(
    "advanced severe critical moderate mild moderate-to-severe mild-to-moderate relapsed "
    "refractory relapsed/refractory recurrent progressive metastatic unresectable resectable "
    "locally early late early-stage late-stage previously treated untreated newly diagnosed "
    "drug-resistant treatment-resistant resistant persistent active symptomatic high-risk "
    "low-risk intermediate-risk hospitalized hospitalised adult pediatric paediatric juvenile "
    "primary secondary rare ultra-rare certain other various debilitating serious "
    "life-threatening fatal devastating highly"
)
_STOP_WORDS: Final = word_set(
    "a an the of in with for and or to its their our this that any type types human "
    "including such as on by from at who have has had been is are was were be being into "
    "against than patients patient subjects participants people adults children men women "
    "treatment treat treating therapy therapies study trial trials evaluate evaluated "
    "evaluating investigational potential novel new caused related associated due shown "
    "showed included include includes experienced experience prolonged beyond only anti "
    "attenuated inactivated five four three two one several many most all both "
    "each drug drugs agent agents product products compound compounds company companies "
    "technology platform targeting kill killing activity activation research program "
    "programs market markets reduction reduce reducing improve improving prevention prevent "
    "after before during following since despite among across between without via per "
    "through under over announces announced announce reports reported report presents "
    "presented provides provided promising positive negative interim preliminary initial "
    "final topline top-line results data update updates encouraging demonstrates shows "
    "twenty thirty forty fifty sixty seventy eighty ninety hundred dozens preventative "
    "preventive prophylactic therapeutic "
    "preventing vaccine vaccines candidate candidates lead ongoing personalized inside "
    "within uses use using like"
)
_NOT_INDICATIONS: Final = re.compile(
    r"^(?:stable|progressive|residual|minimal residual|measurable)\s+disease$|"
    r"^disease(?:s)?$|^syndromes?$|^disorders?$|^infections?$|^failure$|^pain$|^fat$|"
    r"^deficienc(?:y|ies)$|^tumou?rs?$|^ulcers?$|^wounds?$",
    re.IGNORECASE,
)
_INSTITUTION_AFTER = re.compile(
    r"\s*,?\s*(?:center|centre|institute|society|foundation|research|scale|alliance|network|"
    r"association|group|ltd|limited|inc|llc|plc|corp|program|programme|awareness|month|day|"
    r"coalition|consortium|hospital|clinic|care|conference|meeting|symposium|congress|summit|"
    r"forum|trust)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-/]*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'\u2019\-/]*")
_NUMBER_WORD = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred)(?:-\w+)?$",
    re.IGNORECASE,
)
_MAX_MODIFIERS: Final = 4
_PARENTHESES = re.compile(r"\([^()\n]{0,80}\)")
_COMPANY_DESCRIPTION = re.compile(
    r"\b(?:an?|the)\s+(?:[\w\-]+\s+){0,4}?compan(?:y|ies)\s+(?:focused on|developing|"
    r"dedicated to|that (?:develops|is developing|focuses)|engaged in|specializing in|"
    r"committed to|working to)\b[^.;]{0,240}?(?=,\s+(?:is|has|today|announced|reported)\b|[.;])",
    re.IGNORECASE,
)


def _plain_case(word: str) -> str:
    """Headline capitals off ("Ulcerative" -> "ulcerative", "BRAIN" -> "brain"); acronyms
    (up to four capitals: "AML", "HER2-") and eponyms ("Alzheimer's") kept."""
    if word.endswith(("'s", "\u2019s")):
        return word
    if _ACRONYM.match(word) and (len(word.strip("-/")) <= 4 or any(c.isdigit() for c in word)):
        return word
    return word.lower()


def _phrase(text: str, match: re.Match[str]) -> str | None:
    """The disease phrase ending at ``match`` (a disease noun), or ``None``."""
    if _INSTITUTION_AFTER.match(text, match.end()):
        return None
    words = text[max(0, match.start() - 120) : match.start()].split()[-_MAX_MODIFIERS - 1 :]
    modifiers: list[str] = []
    for word in reversed(words):
        if word[-1:] in ",;:.()-":
            break
        opens = word[:1] == "("
        bare = word.lstrip('\u201c"(')
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9'\u2019\-/]*", bare) or DISEASE_HEAD.fullmatch(
            bare
        ):
            break
        if _NUMBER_WORD.match(bare):
            break
        if bare.lower() in _STOP_WORDS and bare.lower() != "and":
            break
        if bare.lower() == "and":
            if not modifiers:
                break
            modifiers.insert(0, "and")
            continue
        modifiers.insert(0, bare)
        if opens or len(modifiers) > _MAX_MODIFIERS:
            break
    while modifiers and (modifiers[0].lower() in _QUALIFIERS or modifiers[0].lower() == "and"):
        modifiers.pop(0)
    head = match.group(1)
    phrase = " ".join(_plain_case(word) for word in [*modifiers, head])
    if _NOT_INDICATIONS.match(phrase):
        return None
    alone = head.lower() in _STANDS_ALONE or head.lower().endswith(("virus", "viruses"))
    if not modifiers and not alone and not _is_acronym(head):
        return None
    return phrase


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word)) and word.upper() == word


def _masked(text: str) -> str:
    """``text`` with what names no indication of the news blanked out: parenthetical
    glosses ("dyspareunia (vaginal pain)") and a company's description of itself ("a
    biopharmaceutical company focused on cancers and autoimmune diseases, today ...")."""
    blank = lambda match: " " * len(match.group(0))  # noqa: E731 - one use, reads best inline
    return _COMPANY_DESCRIPTION.sub(blank, _PARENTHESES.sub(blank, text))


def disease_mentions(text: str) -> list[tuple[str, int]]:
    """Every disease phrase in ``text`` and where it starts, in order, repeats included."""
    masked = _masked(text)
    found = []
    for match in DISEASE_HEAD.finditer(masked):
        if phrase := _phrase(masked, match):
            found.append((phrase, match.start()))
    return found


def _key(phrase: str) -> str:
    words = phrase.lower().split()
    return " ".join([*words[:-1], words[-1].rstrip("s")])


def _most_specific(phrases: list[str]) -> list[str]:
    """Each disease once, in first-seen order, the fullest wording kept: "submental fat"
    goes when "submental subcutaneous fat" is there too."""
    unique: dict[str, str] = {}
    for phrase in phrases:
        unique.setdefault(_key(phrase), phrase)
    keys = list(unique)
    kept = []
    for key in keys:
        words = set(key.split())
        head = key.split()[-1]
        if not any(
            other != key and other.split()[-1] == head and words < set(other.split())
            for other in keys
        ):
            kept.append(unique[key])
    return kept


def most_specific(phrases: list[str]) -> list[str]:
    """Each disease once, in first-seen order, the fullest wording kept: "submental fat"
    goes when "submental subcutaneous fat" is there too."""
    return _most_specific(phrases)
