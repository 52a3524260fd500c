"""Domain vocabulary for clinical updates, as weighted patterns.

Positive *kinds* are what happened to a clinical-stage program (results, a trial
start, enrollment, IND/CTA/IDE clearance, a clinical hold, a meeting
presentation, a discontinuation, a publication); *context* says the text is
about a trial at all; negative *topics* are what a press release is about when
it is not a clinical update (financial results, financings, executive changes,
listings, shareholder meetings, investor conferences, dividends and buybacks,
deals, patents, litigation, marketing approvals). None of it names a company,
a product or a phrase from one particular release.
"""

from __future__ import annotations

import re
from typing import Final

_I = re.IGNORECASE

POSITIVE_KINDS: Final[dict[str, tuple[float, re.Pattern[str]]]] = {
    "trial_results": (
        1.5,
        re.compile(
            r"\btop[- ]?line\b|"
            r"\b(?:interim|preliminary|initial|final|positive|negative|encouraging|promising|updated|"
            r"new|early|clinical|efficacy|safety|immunogenicity)\s+(?:\w+\s+){0,3}?"
            r"(?:results|data|findings|analysis|readout)\b|"
            r"\b(?:results|data|findings)\s+(?:from|of)\s+(?:\w+\s+){0,4}?(?:phase|trial|study|cohort)|"
            r"\b(?:primary|secondary|co-primary)\s+(?:efficacy\s+|safety\s+)?end\s?points?\b|"
            r"\b(?:met|achieved|did not meet|failed to (?:meet|demonstrate|achieve|show))\b.{0,80}?"
            r"\b(?:end\s?points?|significance|efficacy)\b|"
            r"\bstatistical(?:ly)? significan|\bp\s*[=<]\s*0?\.\d+|"
            r"\b(?:complete|partial|objective|overall|clinical)\s+(?:response|remission)s?\b|"
            r"\bresponse rates?\b|\b(?:tumou?r shrinkage|stable disease|disease control)\b|"
            r"\b(?:overall|progression[- ]free|median|event[- ]free|disease[- ]free)\s+survival\b|"
            r"\bmaximum tolerated dose\b|\bMTD\b|\bdose[- ]limiting toxicit|\bdose[- ]escalation\b|"
            r"\bwell[- ]tolerated\b|\bsafety profile\b|\bproof[- ]of[- ]concept\b|"
            r"\b(?:no|did not|failed to) (?:show|demonstrate)\w* efficacy\b",
            _I,
        ),
    ),
    "trial_start": (
        1.5,
        re.compile(
            r"\bfirst (?:\w+\s+){0,2}?(?:patients?|subjects?|participants?|volunteers?|cohort)\b"
            r".{0,60}?\b(?:dosed|enrolled|treated|randomi[sz]ed|screened|implanted)\b|"
            r"\b(?:dosed|dosing|enrolled|enrollment|randomi[sz]ed|treated)\b.{0,30}?"
            r"\b(?:of|in|with)?\s*(?:the|its)?\s*first (?:patients?|subjects?|participants?)\b|"
            r"\b(?:initiat|commenc|start|launch|began|begun|begin)\w*\b[^.]{0,60}?"
            r"\b(?:phase\s*(?:[1-4]|I{1,3}V?|IV)[ab]?|clinical trial|clinical study|dosing)\b|"
            r"\bfirst[- ]in[- ](?:human|man|patient)|"
            r"\b(?:patients?|subjects?|volunteers?)\b[^.]{0,120}?\b(?:have|has|were|was)"
            r" (?:been )?(?:dosed|enrolled|randomi[sz]ed)\b|"
            r"\bparticipants?\b[^.]{0,120}?\b(?:have|has|were|was) (?:been )?"
            r"(?:dosed|randomi[sz]ed)\b",
            _I,
        ),
    ),
    "enrollment": (
        1.2,
        re.compile(
            r"\b(?:complet\w*|finish\w*|reach\w*|exceed\w*)\b[^.]{0,40}?"
            r"\b(?:patient |subject |participant )?(?:enrollment|enrolment|randomi[sz]ation|"
            r"recruitment)\b[^.]{0,80}?\b(?:trials?|stud(?:y|ies)|phase|cohorts?|patients|"
            r"subjects|participants|volunteers)\b|"
            r"\b(?:trials?|stud(?:y|ies)|cohorts?)\b[^.]{0,60}?\b(?:is|was|has been|now)\s+"
            r"fully enrolled\b|\bfully enrolled\b[^.]{0,60}?\b(?:trials?|stud(?:y|ies)|phase)\b|"
            r"\b(?:enrollment|enrolment)\s+(?:update|milestone)\b",
            _I,
        ),
    ),
    "regulatory_clearance": (
        1.3,
        re.compile(
            r"(?i:\binvestigational new drug\b|\binvestigational device exemption\b|"
            r"\bclinical trial application\b)|"
            # The bare acronyms only next to what is done with one (IDE is also software).
            r"\b(?:IND|CTA|IDE)\b(?=[^.]{0,100}?(?i:\bFDA\b|clear|accept|approv|authori|submi|"
            r"\bfil(?:ed|ing)\b|stud(?:y|ies)|trial|phase|hold|application))|"
            r"\b(?:IND|CTA|IDE)\s*(?:No\.?|#)?\s*[A-Z]?\d{2,3},?\d{3}\b|"
            r"(?i:\b(?:FDA|clear\w*|accept\w*|approv\w*|authori[sz]\w*|submi\w*|fil(?:ed|ing))\b)"
            r"[^.]{0,60}?\b(?:IND|CTA|IDE)\b|"
            r"(?i:\bmay proceed with\b.{0,60}?\b(?:study|trial)\b|"
            r"\b(?:clear\w*|accept\w*|approv\w*|authori[sz]\w*|allow\w*)\b[^.]{0,80}?"
            r"\bto (?:conduct|initiate|begin|start|proceed|commence)\b[^.]{0,60}?"
            r"\b(?:trial|study)\b|"
            r"\bauthori[sz]\w*\b[^.]{0,120}?\b(?:phase|trial)\b)"
        ),
    ),
    "clinical_hold": (
        2.2,
        re.compile(
            r"\bclinical hold\b|\b(?:partial|full) (?:clinical )?hold\b|"
            r"\bhold (?:was|has been) lifted\b",
            _I,
        ),
    ),
    "meeting_presentation": (
        1.0,
        re.compile(
            r"(?i:\b(?:present\w*|poster|oral presentation|abstracts?|late[- ]breaking|reported)\b"
            r"[^.]{0,160}?\b(?:meeting|congress|conference|symposium|sessions)\b)|"
            r"\b(?:ASCO|AACR|ASH|ESMO|EHA|SABCS|AAN|EASD|EASL|AASLD|EULAR|ERS|ATS|ESC|ASGCT|SITC|"
            r"CROI|IDWeek|ARVO|ECTRIMS|CTAD|AAIC|WCLC|ISTH|DDW|ASN|ACNP|ESCMID|AHA|ACC)\b"
        ),
    ),
    "trial_discontinued": (
        1.3,
        re.compile(
            r"\b(?:discontinu|terminat|halt|stop|suspend)\w*\b[^.]{0,80}?"
            r"\b(?:trials?|stud(?:y|ies)|development|program)\b|\bfutility\b",
            _I,
        ),
    ),
    "publication": (
        0.8,
        re.compile(r"\bpublished\b[^.]{0,80}?\b(?:journal|lancet|new england|nejm|jama)\b", _I),
    ),
}

CONTEXT: Final[dict[str, tuple[float, re.Pattern[str]]]] = {
    "phase": (0.6, re.compile(r"\bphase\s*(?:1|2|3|4|I{1,3}|IV|one|two|three)[ab]?\b", _I)),
    "trial": (
        0.4,
        re.compile(
            r"\bclinical (?:trials?|stud(?:y|ies)|program|development)\b|\btrials?\b|"
            r"\bNCT\d{8}\b|\bcohorts?\b|\bplacebo\b|\bdouble[- ]blind\b|\brandomi[sz]ed\b|"
            r"\bpatients? (?:were|was|have been) (?:dosed|treated|enrolled)\b",
            _I,
        ),
    ),
}

NEGATIVE_TOPICS: Final[dict[str, tuple[float, re.Pattern[str]]]] = {
    "financial_results": (
        1.6,
        re.compile(
            r"\b(?:financial|operating|quarterly|annual|fiscal|year[- ]end)\s+(?:\w+\s+){0,2}?"
            r"results\b|\bresults (?:of operations|for the (?:\w+ ){0,2}?(?:quarter|year|three|six|"
            r"nine|twelve|fiscal|period))\b|\b(?:first|second|third|fourth)[- ]quarter(?: \d{4})?"
            r"(?: financial| operating)? (?:results|revenues?|earnings|sales)\b|"
            r"\bquarter ended\b|\bnet (?:loss|income|revenues?|sales)\b|\bper (?:diluted )?share\b|"
            r"\bcash(?:,)? (?:and )?cash equivalents\b|\b(?:financial|revenue|earnings|annual|"
            r"full[- ]year|\d{4}) guidance\b|\boperating expenses\b",
            _I,
        ),
    ),
    "financing": (
        1.6,
        re.compile(
            r"\b(?:public|private|registered direct|underwritten|secondary|at-the-market)\s+"
            r"(?:offering|placement)\b|\bgross proceeds\b|\bnet proceeds\b|"
            r"\bpric(?:es|ed|ing)\b[^.]{0,40}?\boffering\b|\bequity (?:purchase|commitment|line)\b|"
            r"\bsecurities purchase agreement\b|\bplacement agent\b|\bunderwriters?\b|"
            r"\bfinancing\b|"
            r"\bconvertible (?:notes|preferred|debentures)\b|\bsenior notes\b|\bcredit facility\b",
            _I,
        ),
    ),
    "executive": (
        1.4,
        re.compile(
            r"\bappoint\w*\b|\bnames?\b[^.]{0,50}?\b(?:chief|president|officer|chairman|director)\b|"
            r"\b(?:resign\w*|retire\w*|promot(?:ed|ion)s?|succession|successor)\b|\bhir(?:es|ed|ing)\b|"
            r"\b(?:joins?|joined|to join)\b[^.]{0,40}?\b(?:board|leadership team|management team|"
            r"executive team)\b|\b(?:scientific|medical|clinical) advisory board\b|"
            r"\b(?:board|advisory board) (?:of directors )?(?:changes|restructuring)\b",
            _I,
        ),
    ),
    "listing": (
        1.5,
        re.compile(
            r"\bnasdaq\b[^.]{0,80}?\b(?:compliance|deficiency|listing|bid price|panel|delist\w*)\b|"
            r"\bminimum bid price\b|\breverse (?:stock )?split\b|\bdelist\w*\b|"
            r"\bcontinued listing\b",
            _I,
        ),
    ),
    "shareholder_meeting": (
        1.4,
        re.compile(
            r"\bannual (?:general )?meeting of (?:stock|share)holders\b|\bvoting results\b|"
            r"\bquorum\b|\bstockholders? (?:approved|elected)\b",
            _I,
        ),
    ),
    "investor_conference": (
        1.4,
        re.compile(
            r"\b(?:investor|investment|healthcare|health care|capital markets?|securities|growth|"
            r"micro-?cap|small-?cap|biotech(?:nology)?)\s+(?:\w+\s+){0,2}?conference\b|"
            r"\bfireside chat\b|\bto (?:present|participate) at\b",
            _I,
        ),
    ),
    "capital_return": (
        1.5,
        re.compile(
            r"\bdividends?\b|\b(?:share|stock) (?:re)?purchase\b|\brepurchase program\b|"
            r"\bbuy-?backs?\b",
            _I,
        ),
    ),
    "deal": (
        1.0,
        re.compile(
            r"\b(?:acquisition|acquire[sd]?|merger|merge|tender offer)\b|"
            r"\blicens(?:e|ing)(?:,| and)? (?:\w+ ){0,3}?agreement\b|\bupfront\b|\bup-front\b|"
            r"\bmilestone payments?\b|\broyalt(?:y|ies)\b|\bcollaboration agreement\b|"
            r"\b(?:enter\w*|launch\w*|form\w*|establish\w*) (?:a |an |into a |into an )?(?:\w+ )?"
            r"partnership\b|(?<!in )\bpartnership (?:with|agreement)\b|\bdefinitive agreement\b",
            _I,
        ),
    ),
    "patent": (1.2, re.compile(r"\bpatents?\b|\bnotice of allowance\b", _I)),
    "litigation": (
        1.0,
        re.compile(
            r"\blawsuits?\b|\blitigation\b|\bclass action\b|\bsettlement\b|\bcomplaint\b", _I
        ),
    ),
    "marketing_regulatory": (
        0.9,
        re.compile(
            r"(?i:\bnew drug application\b|\bbiologics license application\b|\bcomplete response "
            r"letter\b|\bapprovable letter\b|\b(?:breakthrough therapy|orphan drug|fast track|rare "
            r"pediatric disease|priority review)\s+designation|\bmarketing (?:approval|"
            r"authori[sz]ation)\b|\bcommercial launch\b)|\bNDA\b|\bBLA\b|\bANDA\b|\bPDUFA\b|"
            r"\bGDUFA\b"
        ),
    ),
    "preclinical": (
        0.6,
        re.compile(r"\bpre-?clinical\b|\bin vitro\b|\bxenograft\b|\banimal models?\b|\bmice\b", _I),
    ),
}

BOILERPLATE_LINE: Final = re.compile(
    r"^\W*(?:ex(?:hibit|h)?\.?[- ]?99(?:[.\-]\d+)?\b.{0,60}|for immediate release\W*|"
    r"(?:press|news) release\W*|contacts?\s*:?.{0,80}|investors?(?: relations)?\s*:?.{0,60}|"
    r"media(?: relations| contacts?)?\s*:?.{0,60}|attached files.*|source\s*:.*|"
    r"date \d{4}-\d{2}-\d{2}|"
    r"\[?[\w .&]{0,40}logo\]?|\W*|.*@\S+\.\w{2,}.*|.*\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}.{0,30}|"
    r"(?:www\.|https?://)\S+.*|ext\.? \d+.*)$",
    _I,
)
"""Lines of a release that are not its news: exhibit labels, contacts, logos, phones."""

RELEASE_MARKER: Final = re.compile(
    r"^\W*(?:ex(?:hibit|h)?\.?[- ]?99(?:[.\-]\d+)?\W*$|for immediate release\b|"
    r"(?:press|news) release\W*$)",
    _I,
)
"""Where a press release starts inside an 8-K primary document."""

DATELINE: Final = re.compile(
    r"(?:\((?:GLOBE ?NEWSWIRE|BUSINESS ?WIRE|Marketwired|ACCESSWIRE|CNW|PRNewswire)\)|"
    r"/\s*PRNewswire(?:-FirstCall)?\s*/|/CNW/|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
    r"\s*\)?\s*(?:--|\u2014|\u2013|-|/|:))",
)

END_OF_NEWS: Final = re.compile(
    r"^\W*(?:about [A-Z][\w.,&'\u2019 \-]{1,60}|forward[- ]looking statements?.{0,40}|"
    r"safe harbor.{0,40}|cautionary (?:note|statement).{0,60}|###)\W*$",
    _I,
)
"""The start of boilerplate after the news: "About <Company>", forward-looking statements."""
