"""Infer the form type of a filing when nobody stated it.

In order: a document's own SGML ``<TYPE>``; the "FORM 8-K" cover page; an SEC
staff letter (SEC letterhead, "Division of Corporation Finance" signature, staff
phrasing such as "we have reviewed your filing") is an UPLOAD; a letter
addressed to the SEC that answers staff comments or asks for acceleration is a
CORRESP. Letters are scored on the staff's and the company's phrasing, both
general to the genre and independent of any one company or letter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from edgarmon.classifier.domain.text_extraction import DocumentText

_NOT_FORMS: Final = ("EX-", "GRAPHIC", "XML", "ZIP", "EXCEL", "JSON", "PDF", "COVER")
LETTER_HEAD: Final = 60_000
"""Characters of a letter its phrases are looked for in."""


@dataclass(frozen=True, slots=True)
class FormGuess:
    form_type: str
    source: str
    """"document_type" (an SGML <TYPE> line) or "document" (read from the content)."""
    confidence: float
    evidence: str


_F = re.IGNORECASE | re.MULTILINE | re.DOTALL


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase of the genre, named so that the evaluation can switch it off."""

    name: str
    pattern: re.Pattern[str]
    weight: int
    note: str = ""
    """Why the phrase is there when few letters here use it: the class it serves."""


STAFF_PHRASES: Final = (
    Phrase(
        "letter.staff.reviewed",
        re.compile(
            r"\bwe have (?:reviewed|completed our review|limited our review|"
            r"concluded our (?:review|assessment))",
            _F,
        ),
        2,
    ),
    Phrase(
        "letter.staff.will_not_review",
        re.compile(r"\bwe have not reviewed and will not review\b", _F),
        3,
    ),
    Phrase(
        "letter.staff.following_comments",
        re.compile(r"\band have the following comments?\b", _F),
        2,
    ),
    Phrase(
        "letter.staff.please_respond",
        re.compile(
            r"\bplease respond to (?:this letter|these comments|this comment|our comments?)", _F
        ),
        2,
    ),
    Phrase(
        "letter.staff.we_ask_you",
        re.compile(r"\bin (?:some of )?our comments?,? we (?:may )?ask you\b", _F),
        2,
    ),
    Phrase("letter.staff.our_comment_letter", re.compile(r"\bour comment letter\b", _F), 1),
    Phrase("letter.staff.we_remind_you", re.compile(r"\bwe remind you that\b", _F), 1),
    Phrase(
        "letter.staff.urge_responsible",
        re.compile(r"\bwe urge all persons who are responsible\b", _F),
        1,
    ),
    Phrase(
        "letter.staff.additional_comments",
        re.compile(r"\bwe may (?:have|raise) additional comments\b", _F),
        1,
    ),
    Phrase("letter.staff.to_advise_you", re.compile(r"\bthis is to advise you\b", _F), 1),
    Phrase(
        "letter.staff.contact_202_551",
        re.compile(r"\byou may contact\b[^.]{0,250}?\(?202\)?[\s.\-]*551", _F),
        1,
    ),
    Phrase(
        "letter.staff.signed_corporation_finance",
        re.compile(r"\bsincerely,?\s*(?:/s/[^\n]*\n)?\s*division of corporation finance\b", _F),
        2,
    ),
    Phrase("letter.staff.sec_logo", re.compile(r"securities and exchange commission logo", _F), 2),
    Phrase(
        "letter.staff.letterhead",
        re.compile(
            r"\A\W*united states\s+securities and exchange commission\s+washington,?\s*"
            r"d\.?\s*c\.?\s*20549\s+division of corporation finance",
            _F,
        ),
        2,
    ),
)

COMPANY_PHRASES: Final = (
    Phrase(
        "letter.company.in_response_to",
        re.compile(r"\bin response to (?:the|your)\b[^.]{0,100}?\b(?:letter|comments?)\b", _F),
        2,
    ),
    Phrase(
        "letter.company.responses_to_comments",
        re.compile(
            r"\bresponses? (?:of [^.]{1,80}? )?to (?:the )?(?:staff['\u2019]s )?"
            r"(?:follow-up )?(?:letter|comments?)\b",
            _F,
        ),
        2,
    ),
    Phrase(
        "letter.company.set_forth_below",
        re.compile(
            r"\b(?:set forth below|sets forth below|below are|following are)\b[^.]{0,60}?"
            r"\bresponses?\b",
            _F,
        ),
        2,
    ),
    Phrase(
        "letter.company.staffs_comments",
        re.compile(r"\bthe staff['\u2019]s (?:comments?|letter)\b", _F),
        2,
    ),
    Phrase(
        "letter.company.comments_of_the_staff", re.compile(r"\bcomments? of the staff\b", _F), 2
    ),
    Phrase(
        "letter.company.on_behalf_of",
        re.compile(r"\bon behalf of (?:our client|the company|the registrant)\b", _F),
        2,
    ),
    Phrase(
        "letter.company.acceleration",
        re.compile(
            r"\brequests? (?:that )?(?:the )?(?:acceleration|effective(?:ness| date))|"
            r"\bbe (?:accelerated|declared effective)\b",
            _F,
        ),
        3,
    ),
    Phrase(
        "letter.company.respectfully",
        re.compile(
            r"\b(?:we|the company|the registrant) (?:hereby )?respectfully "
            r"(?:submits?|advises?|acknowledges?|requests?|notes?)\b",
            _F,
        ),
        2,
    ),
    Phrase(
        "letter.company.the_comment_letter",
        re.compile(r"\b(?:your|the) comment letter\b|\bletter of comments?\b", _F),
        1,
    ),
    Phrase("letter.company.via_edgar", re.compile(r"\b(?:via|by) edgar\b", _F), 1),
    Phrase(
        "letter.company.closing",
        re.compile(r"\bvery truly yours\b|\brespectfully submitted\b", _F),
        1,
    ),
    Phrase(
        "letter.company.contact_the_undersigned",
        re.compile(r"\b(?:contact|call) the undersigned\b", _F),
        1,
    ),
    Phrase(
        "letter.company.response_heading",
        re.compile(r"^\s*response(?: to comment (?:no\. )?\d+)?\s*:", _F),
        1,
    ),
    Phrase(
        "letter.company.for_convenience",
        re.compile(
            r"\bfor (?:the staff['\u2019]s |your )?convenience\b|\bfor ease of reference\b", _F
        ),
        1,
    ),
    Phrase(
        "letter.company.defined_company",
        re.compile(r"\(\s*(?:the\s+)?[\"\u201c]\s*(?:company|registrant)\s*[\"\u201d]", _F),
        2,
    ),
    Phrase(
        "letter.company.sec_address",
        re.compile(
            r"\A.{0,1500}?(?:100 F\.? Street|450 Fifth Street).{0,600}?"
            r"(?:\bdear\b|ladies and gentlemen|to whom it may concern)",
            _F,
        ),
        2,
    ),
    Phrase("letter.company.attention", re.compile(r"^\s*(?:attention|attn\.?)\s*:", _F), 1),
)

_SALUTATION = re.compile(
    r"\bdear\s+\w|\bladies and gentlemen\b|\bto whom it may concern\b|\bgentlemen:", _F
)
_SEC_CONTEXT = re.compile(
    r"securities\s+(?:and|&)\s+exchange\s+commission|division of corporat(?:ion|e) finance|"
    r"\bthe staff\b|\bstaff comments?\b|\bthe commission\b|\bmail stop \d{4}\b|"
    r"\(?202\)?[\s.\-]*551[\s.\-]*\d{4}",
    _F,
)
_EIGHT_K_LINE = re.compile(r"(?im)^\W*form\s*8\s*-\s*k(\s*/\s*a)?\W*$")
_COVER_8K = re.compile(
    r"(?im)^\W*current report\W*$|\bdate of report\b|\bdate of earliest event reported\b"
)
_AMENDMENT = re.compile(r"(?i)\(\s*amendment\s+no\.?\s*\d+\s*\)")
_SIX_K_LINE = re.compile(r"(?im)^\W*form\s*6\s*-\s*k\W*$")
_FOREIGN_ISSUER = re.compile(r"\bforeign (?:private )?issuer\b", re.IGNORECASE)


def _score(text: str, phrases: Sequence[Phrase], disabled: frozenset[str]) -> tuple[int, list[str]]:
    total, hits = 0, []
    for phrase in phrases:
        match = None if phrase.name in disabled else phrase.pattern.search(text)
        if match:
            total += phrase.weight
            hits.append(" ".join(match.group(0).split())[:160])
    return total, hits


def letter_scores(
    text: str, disabled: frozenset[str] = frozenset()
) -> tuple[int, int, list[str], list[str]]:
    """How much ``text`` reads like an SEC staff letter, and like a company's letter
    to the SEC: (staff score, company score, staff phrases, company phrases)."""
    head = text[:LETTER_HEAD]
    staff, staff_hits = _score(head, STAFF_PHRASES, disabled)
    company, company_hits = _score(head, COMPANY_PHRASES, disabled)
    return staff, company, staff_hits, company_hits


def phrases_found(text: str) -> frozenset[str]:
    """The names of the staff and company phrases in ``text`` (where the scores look)."""
    head = text[:LETTER_HEAD]
    return frozenset(
        phrase.name for phrase in (*STAFF_PHRASES, *COMPANY_PHRASES) if phrase.pattern.search(head)
    )


def infer_letter(text: str, disabled: frozenset[str] = frozenset()) -> FormGuess | None:
    """UPLOAD for an SEC staff letter, CORRESP for a company's letter to the SEC."""
    if not _SALUTATION.search(text[:6000]) or not _SEC_CONTEXT.search(text[:20_000]):
        return None
    staff, company, staff_hits, company_hits = letter_scores(text, disabled)
    if staff >= 3 and staff > company + 1:
        confidence = min(0.97, 0.7 + 0.04 * (staff - company))
        return FormGuess("UPLOAD", "document", confidence, "; ".join(staff_hits[:4]))
    if company >= 3 and company > staff:
        confidence = min(0.97, 0.7 + 0.04 * (company - staff))
        return FormGuess("CORRESP", "document", confidence, "; ".join(company_hits[:4]))
    return None


def infer_cover(text: str) -> FormGuess | None:
    """An 8-K (or 8-K/A, 6-K) cover page: "FORM 8-K" on a line of its own near the top,
    with "CURRENT REPORT" or "Date of Report". A sentence citing "our Current Report on
    Form 8-K" is not a cover."""
    head = text[:6000]
    eight_k = _EIGHT_K_LINE.search(head)
    if eight_k and _COVER_8K.search(head):
        amended = eight_k.group(1) or _AMENDMENT.search(head[: eight_k.end() + 400])
        form = "8-K/A" if amended else "8-K"
        return FormGuess(form, "document", 0.95, f"cover page: {eight_k.group(0).strip()}")
    six_k = _SIX_K_LINE.search(head)
    if six_k and _FOREIGN_ISSUER.search(head):
        return FormGuess("6-K", "document", 0.9, f"cover page: {six_k.group(0).strip()}")
    return None


def form_from_document_types(documents: Sequence[DocumentText]) -> FormGuess | None:
    """The form named by the first document's own ``<TYPE>``, when it names a form."""
    for document in documents[:1]:
        doc_type = document.doc_type.strip().upper()
        if doc_type and not doc_type.startswith(_NOT_FORMS) and doc_type != "LETTER":
            return FormGuess(doc_type, "document_type", 0.97, f"<TYPE>{doc_type}")
    return None


def infer_form(
    documents: Sequence[DocumentText], disabled: frozenset[str] = frozenset()
) -> FormGuess | None:
    """The form, from the documents alone; ``None`` when they do not tell. ``disabled``
    names letter phrases not to use."""
    by_type = form_from_document_types(documents)
    if by_type:
        return by_type
    for document in documents[:3]:
        guess = infer_cover(document.text) or infer_letter(document.text, disabled)
        if guess:
            return guess
    return None
