"""Details of SEC correspondence: CORRESP (company to SEC) and UPLOAD (SEC staff to
company) letters.

From the letter's "Re:" block: the reviewed filing's form, fiscal year or
period and file number; from its body: the numbered comments, the response
deadline ("within ten business days"), the staff contacts (the staff named in
"You may contact ... at (202) 551-..." and the signer of a staff letter; the
addressees of a company's letter) and the letter's date.
"""

from __future__ import annotations

import re
from typing import Final

from edgarmon.classifier.domain.word_lists import word_set
from edgarmon.core.domain.messages import CorrespondenceDetails, LetterDirection, ReviewedFiling

DIRECTIONS: Final = {
    "CORRESP": LetterDirection.COMPANY_TO_SEC,
    "UPLOAD": LetterDirection.SEC_TO_COMPANY,
}

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_DATE = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\s*,\s*\d{{4}}")
_RE_BLOCK = re.compile(
    r"(?:^|\n|\s)(?:RE|Re)\s*[:.]?\s+(.{0,700}?)(?=\n\s*(?:Dear\b|Ladies|To Whom|"
    r"Gentlemen)|\bDear\s+[A-Z]|$)",
    re.DOTALL,
)
_FORM = re.compile(
    r"\b(?:Form|FORM)\s+([0-9A-Z]{1,4}(?:-[0-9A-Z]{1,4})*(?:\s*/\s*A)?)\b|"
    r"\bSchedule\s+(TO-[IT]|TO|14A|14C|13D|13E-3|14D-9|13G)\b"
)
_PERIOD = re.compile(
    rf"\b((?:fiscal\s+)?(?:year|quarter(?:ly period)?|period|transition period))\s+ended\s+"
    rf"({_MONTH}\s+\d{{1,2}}\s*,\s*(\d{{4}}))",
    re.IGNORECASE,
)
_FILE_NUMBER = re.compile(r"\bFile\s*Nos?\.?\s*:?\s*(\d{1,3}\s*-\s*\d{4,6})", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:[-\u2022\u00b7*]\s*)?(\d{1,3})\.\s+\S", re.MULTILINE)
_DEADLINE = re.compile(r"\bwithin\s+(\w+)\s+(business|calendar)?\s*days\b", re.IGNORECASE)
_NUMBER_WORDS: Final = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_SALUTATION = re.compile(r"\bDear\b|\bLadies and Gentlemen\b|\bTo Whom It May Concern\b")
_PERSON = re.compile(
    r"(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][a-z]+\.?(?:\s+[A-Z]\.)*(?:\s+[A-Z][a-zA-Z'\u2019\-]+){1,3}"
)
_CONTACT = re.compile(
    r"\b(?:you\s+may|please)\s+contact\b(.{0,500}?)(?:\n\s*\n|questions|$)",
    re.DOTALL | re.IGNORECASE,
)
_SIGNED_BY_OFFICE = re.compile(r"\b(?:Division|Office)\b|FirstName|LastName")
_TITLE_WORDS: Final = word_set(
    "Senior Assistant Chief Accountant Director Counsel Branch Legal Staff Attorney Special "
    "Deputy Associate Office Division Accounting Reviewer Examiner Analyst Esq Sincerely "
    "Program Manager Advisor"
)
_NOT_NAMES: Final = word_set(
    "Securities Exchange Commission Division Corporation Finance Office Street Inc Company "
    "Registration Statement Form Washington United States Re Dear Page Filed File Mail Stop "
    "Via Sincerely Response Comment Item Note Schedule Amendment"
)


def letter_date(text: str) -> str | None:
    match = _DATE.search(text[:1500])
    return " ".join(match.group(0).split()) if match else None


def regarding_block(text: str) -> str:
    """The letter's "Re:" block (what filing it is about), or its opening."""
    head = text[:6000]
    match = _RE_BLOCK.search(head)
    return match.group(1) if match else head[:1500]


def reviewed_filing(text: str, reference_accession: str | None = None) -> ReviewedFiling | None:
    block = " ".join(regarding_block(text).split())
    form_match = _FORM.search(block)
    form = None
    if form_match:
        form = form_match.group(1) or f"Schedule {form_match.group(2)}"
        form = re.sub(r"\s*/\s*A$", "/A", form)
    period_match = _PERIOD.search(block)
    period = fiscal_year = None
    if period_match:
        period = f"{period_match.group(1).lower()} ended {period_match.group(2)}"
        if "year" in period_match.group(1).lower():
            fiscal_year = int(period_match.group(3))
    file_match = _FILE_NUMBER.search(block) or _FILE_NUMBER.search(text[:4000])
    file_number = re.sub(r"\s+", "", file_match.group(1)) if file_match else None
    if not (form or period or file_number or reference_accession):
        return None
    return ReviewedFiling(
        form_type=form,
        period=period,
        fiscal_year=fiscal_year,
        file_number=file_number,
        accession_number=reference_accession,
    )


def comment_count(text: str) -> int:
    """Numbered comments: the longest run 1, 2, 3... of numbered paragraphs, in order."""
    body_start = _SALUTATION.search(text)
    body = text[body_start.start() :] if body_start else text
    expected = 1
    for match in _NUMBERED.finditer(body):
        if int(match.group(1)) == expected:
            expected += 1
    return expected - 1


def response_deadline(text: str) -> str | None:
    for match in _DEADLINE.finditer(text):
        raw = match.group(1).lower()
        number = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if number is None:
            continue
        kind = f"{match.group(2).lower()} " if match.group(2) else ""
        return f"{number} {kind}days"
    return None


def clean_person(raw: str) -> str | None:
    """A person's name from a candidate, without trailing titles; ``None`` if not a name."""
    tokens = raw.replace("/s/", " ").split()
    while tokens and tokens[-1].strip(",.") in _TITLE_WORDS:
        tokens.pop()
    while tokens and tokens[0].strip(",.") in _TITLE_WORDS:
        tokens.pop(0)
    if any(token.strip(",.") in _NOT_NAMES for token in tokens):
        return None
    honorific = tokens[0].rstrip(".") in {"Mr", "Ms", "Mrs", "Dr"} if tokens else False
    if len(tokens) - int(honorific) < (1 if honorific else 2):
        return None
    return " ".join(tokens).strip(" ,.")


def _names(fragment: str) -> list[str]:
    found: list[str] = []
    for match in _PERSON.finditer(fragment):
        name = clean_person(match.group(0))
        if name and name not in found:
            found.append(name)
    return found


def staff_contacts_in_staff_letter(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for match in _CONTACT.finditer(text):
        found += [name for name in _names(match.group(1)) if name not in found]
    closing = re.search(r"\bSincerely,?\s*\n(.{0,400})", text, re.DOTALL)
    for raw_line in closing.group(1).splitlines()[:8] if closing else ():
        line = raw_line.replace("/s/", "").strip()
        if not line or line.endswith(" for"):
            continue
        if _SIGNED_BY_OFFICE.search(line):
            break  # signed by the Division or an Office: no person signed
        names = _names(line)
        if names:
            if names[0] not in found:
                found.append(names[0])
            break
    return tuple(found)


def staff_contacts_in_company_letter(text: str) -> tuple[str, ...]:
    salutation = _SALUTATION.search(text[:6000])
    head = text[: salutation.end()] if salutation else text[:6000]
    attention = re.search(r"^\s*(?:Attention|Attn\.?)\s*:\s*(.+)$", head, re.MULTILINE)
    if attention:
        return tuple(_names(attention.group(1)))
    honorifics = re.findall(r"\b(?:Mr|Ms|Mrs|Dr)\.\s+[A-Z][\w.'\u2019\- ]{1,40}", head)
    found: list[str] = []
    for raw in honorifics:
        for name in _names(raw):
            if name not in found:
                found.append(name)
    return tuple(found)


def correspondence_details(
    form_type: str, text: str, reference_accession: str | None = None
) -> CorrespondenceDetails:
    direction = DIRECTIONS[form_type.upper()]
    if direction is LetterDirection.SEC_TO_COMPANY:
        contacts = staff_contacts_in_staff_letter(text)
    else:
        contacts = staff_contacts_in_company_letter(text)
    return CorrespondenceDetails(
        direction=direction,
        reviewed_filing=reviewed_filing(text, reference_accession),
        comment_count=comment_count(text),
        response_deadline=response_deadline(text),
        staff_contacts=contacts[:8],
        letter_date=letter_date(text),
    )
