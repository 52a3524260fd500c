"""What a release is about when it is not a clinical update, as signals of named terms.

The topics are the label definition's negatives: financial results, financings,
executive changes, listing notices and reverse splits, shareholder meetings,
investor conferences and presentations, dividends and buybacks, deals and
licensing, patents, litigation, marketing applications and approvals, commercial
sales, and preclinical research. A release about one of them that mentions its
pipeline in passing is not a clinical update. None of it names a company or a
sentence of a particular release.
"""

from __future__ import annotations

from typing import Final

from edgarmon.classifier.domain.clinical.terms import Signal, Term

FINANCIAL_RESULTS = Signal(
    "financial_results",
    (
        Term(
            "financial_results.results",
            r"\b(?:financial|operating|quarterly|annual|fiscal|year[- ]end)\s+(?:\w+\s+){0,2}?"
            r"results\b|\bresults (?:of operations|for the (?:\w+ ){0,2}?(?:quarter|year|three|"
            r"six|nine|twelve|fiscal|period))\b",
        ),
        Term(
            "financial_results.quarter",
            r"\b(?:first|second|third|fourth)[- ]quarter(?: (?:of )?(?:fiscal )?\d{4})?"
            r"(?: financial| operating)? (?:results|revenues?|earnings|sales)\b|\bquarter ended\b",
        ),
        Term(
            "financial_results.line_items",
            r"\bnet (?:loss|income|revenues?|sales)\b|\bper (?:basic |diluted )?share\b|"
            r"\bcash(?:,)? (?:and )?cash equivalents\b|\boperating expenses\b",
        ),
        Term(
            "financial_results.guidance",
            r"\b(?:financial|revenue|earnings|annual|full[- ]year|\d{4}) guidance\b",
            note="the guidance of a results release",
        ),
    ),
)

FINANCING = Signal(
    "financing",
    (
        Term(
            "financing.offering",
            r"\b(?:public|private|registered direct|underwritten|secondary|at-the-market|"
            r"follow-on)\s+(?:offering|placement)\b|\bpric(?:es|ed|ing)\b[^.]{0,40}?\boffering\b",
        ),
        Term("financing.proceeds", r"\b(?:gross|net) proceeds\b"),
        Term(
            "financing.agreements",
            r"\bequity (?:purchase|commitment|line)\b|\bsecurities purchase agreement\b|"
            r"\bplacement agent\b|\bunderwriters?\b",
        ),
        Term(
            "financing.debt",
            r"\bfinancing\b|\bconvertible (?:notes|preferred|debentures)\b|\bsenior notes\b|"
            r"\bcredit (?:facility|agreement)\b|\bterm loan\b",
        ),
    ),
)

EXECUTIVE = Signal(
    "executive",
    (
        Term("executive.appointment", r"\bappoint\w*\b"),
        Term(
            "executive.names_officer",
            r"\bnames?\b[^.]{0,50}?\b(?:chief|president|officer|chairman|director)\b",
        ),
        Term(
            "executive.departure",
            r"\b(?:resign\w*|retire\w*|promot(?:ed|ion)s?|succession|successor)\b|"
            r"\bhir(?:es|ed|ing)\b",
        ),
        Term(
            "executive.joins_board",
            r"\b(?:joins?|joined|to join)\b[^.]{0,40}?\b(?:board|leadership team|management team|"
            r"executive team)\b|\b(?:scientific|medical|clinical) advisory board\b|"
            r"\b(?:board|advisory board) (?:of directors )?(?:changes|restructuring)\b",
        ),
    ),
)

LISTING = Signal(
    "listing",
    (
        Term(
            "listing.nasdaq_notice",
            r"\b(?:nasdaq|nyse)\b[^.]{0,80}?\b(?:compliance|deficiency|listing|bid price|panel|"
            r"delist\w*)\b",
            note="exchange deficiency and compliance notices",
        ),
        Term(
            "listing.split_or_delisting",
            r"\bminimum bid price\b|\breverse (?:stock )?split\b|\bdelist\w*\b|"
            r"\bcontinued listing\b",
        ),
    ),
)

SHAREHOLDER_MEETING = Signal(
    "shareholder_meeting",
    (
        Term(
            "shareholder_meeting.annual_meeting",
            r"\bannual (?:general )?meeting of (?:stock|share)holders\b|\bvoting results\b|"
            r"\bquorum\b|\b(?:stock|share)holders? (?:approved|elected|ratified)\b",
        ),
    ),
)

INVESTOR_CONFERENCE = Signal(
    "investor_conference",
    (
        Term(
            "investor_conference.conference",
            r"\b(?:investor|investment|healthcare|health care|capital markets?|securities|growth|"
            r"micro-?cap|small-?cap|biotech(?:nology)?)\s+(?:\w+\s+){0,2}?conference\b",
        ),
        Term(
            "investor_conference.presenting", r"\bfireside chat\b|\bto (?:present|participate) at\b"
        ),
        Term(
            "investor_conference.presentation",
            r"\b(?:corporate|investor|company) (?:presentation|overview|update)\b|"
            r"\binvestor (?:day|event|meetings?)\b|\bone-on-one meetings\b",
        ),
    ),
)

CAPITAL_RETURN = Signal(
    "capital_return",
    (
        Term(
            "capital_return.dividend_or_buyback",
            r"\bdividends?\b|\b(?:share|stock) (?:re)?purchase\b|\brepurchase program\b|"
            r"\bbuy-?backs?\b",
        ),
    ),
)

DEAL = Signal(
    "deal",
    (
        Term("deal.merger", r"\b(?:acquisition|acquire[sd]?|merger|merge|tender offer)\b"),
        Term(
            "deal.licence",
            r"\blicens(?:e|ing)(?:,| and)? (?:\w+ ){0,3}?agreement\b|\bcollaboration agreement\b|"
            r"\bdefinitive agreement\b",
        ),
        Term(
            "deal.economics",
            r"\bup-?front\b|\bmilestone payments?\b|\broyalt(?:y|ies)\b",
        ),
        Term(
            "deal.partnership",
            r"\b(?:enter\w*|launch\w*|form\w*|establish\w*) (?:a |an |into a |into an )?(?:\w+ )?"
            r"partnership\b|(?<!in )\bpartnership (?:with|agreement)\b",
            note="partnerships announced, a deal topic of the label's definition",
        ),
    ),
)

PATENT = Signal(
    "patent",
    (Term("patent.patent", r"\bpatents?\b|\bnotice of allowance\b"),),
)

LITIGATION = Signal(
    "litigation",
    (
        Term(
            "litigation.lawsuit",
            r"\blawsuits?\b|\blitigation\b|\bclass action\b|\bsettlement\b|\bcomplaint\b|"
            r"\bjury\b|\bverdict\b",
        ),
    ),
)

MARKETING_REGULATORY = Signal(
    "marketing_regulatory",
    (
        Term(
            "marketing_regulatory.application",
            r"\bnew drug application\b|\bbiologics license application\b|"
            r"\bmarketing (?:authori[sz]ation )?application\b|\b(?:NDA|BLA|ANDA|MAA|sNDA|sBLA)\b",
        ),
        Term(
            "marketing_regulatory.decision",
            r"\bcomplete response letter\b|\bapprovable letter\b|(?-i:\bPDUFA\b|\bGDUFA\b)|"
            r"\bmarketing (?:approval|authori[sz]ation)\b|\bfda approv(?:al|ed|es)\b",
        ),
        Term(
            "marketing_regulatory.designation",
            r"\b(?:breakthrough therapy|orphan drug|fast track|rare pediatric disease|"
            r"priority review|regenerative medicine advanced therapy)\s+designation",
        ),
    ),
)

COMMERCIAL = Signal(
    "commercial",
    (
        Term(
            "commercial.sales",
            r"\bnet (?:product )?sales\b|\bproduct revenues?\b|\bprescriptions?\b|"
            r"\bwholesale acquisition cost\b|\bformular(?:y|ies)\b|\breimbursement\b|"
            r"\bsales (?:force|representatives|team)\b",
        ),
        Term(
            "commercial.launch",
            r"\bcommercial(?:ly)? (?:launch|availab\w*)\b|\blaunch\w*\b[^.]{0,40}?"
            r"\b(?:in the u\.?s\.?|commercially|nationwide|pharmacies)\b",
        ),
    ),
)

PRECLINICAL = Signal(
    "preclinical",
    (
        Term(
            "preclinical.models",
            r"\bpre-?clinical\b|\bin vitro\b|\bxenografts?\b|\banimal models?\b|\bmice\b|"
            r"\bmouse\b|\brodents?\b|\bnon-?human primates?\b|\bmurine\b",
        ),
    ),
)

TOPICS: Final = (
    FINANCIAL_RESULTS,
    FINANCING,
    EXECUTIVE,
    LISTING,
    SHAREHOLDER_MEETING,
    INVESTOR_CONFERENCE,
    CAPITAL_RETURN,
    DEAL,
    PATENT,
    LITIGATION,
    MARKETING_REGULATORY,
    COMMERCIAL,
    PRECLINICAL,
)
"""Every topic that makes a release something other than a clinical update."""
