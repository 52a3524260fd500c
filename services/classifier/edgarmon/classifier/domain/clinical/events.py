"""What can happen to a clinical-stage program, as signals of named terms.

Each signal is one kind of clinical news, as the label's definition lists them:
results (positive, negative or interim), a trial starting, enrollment, a milestone
of a running trial (a cohort completed, dosing completed, the next dose level, the
last patient, database lock), a safety review by a monitoring committee, IND/CTA/IDE
clearance or an ethics approval, a clinical hold, a trial stopped, a presentation
at a medical meeting, a publication. ``CONTEXT`` says that a text is about a
clinical trial at all. The terms are the genre's general phrasing; none names a
company, a product, a trial or a sentence of a particular release.

``SELF_EVIDENT`` kinds speak of a trial by themselves; the others count only in a
text that mentions a trial, a phase or a cohort ("preliminary findings" of an
internal review are not trial results).
"""

from __future__ import annotations

from typing import Final

from edgarmon.classifier.domain.clinical.terms import Signal, Term

_TRIALISH = (
    r"\b(?:trials?|stud(?:y|ies)|phase|cohorts?|patients|subjects|participants|volunteers|"
    r"dosing|dose|clinical)\b"
)
_PHASE = r"phase\s*(?:[1-4]|I{1,3}V?|IV|one|two|three)[ab]?(?:\s*/\s*(?:[1-4]|I{1,3})[ab]?)?"
_MONITORS = (
    r"\b(?:(?:independent\s+)?data (?:and )?safety monitoring (?:board|committee)|"
    r"(?:independent\s+)?data monitoring committee|"
    r"safety (?:review|monitoring) (?:committee|board)|(?:independent\s+)?safety committee)\b"
)

NOT_MEDICAL_MEETING: Final = (
    r"\binvestor|\binvestment|\bhealth ?care conference|\bcapital markets?|"
    r"\bsecurities\b|\bbank\b|\bstockholders?\b|\bshareholders?\b|\bearnings\b|"
    r"\banalysts?\b|\bmicro-?cap\b|\bgrowth conference\b|\bfireside\b"
)
"""What makes a conference an investors' one, not a medical meeting."""
MEDICAL_SOCIETIES: Final = (
    r"(?:ASCO|AACR|ASH|ESMO|EHA|SABCS|AAN|EASD|EASL|AASLD|EULAR|ERS|ATS|ESC|ASGCT|SITC|"
    r"CROI|IDWeek|ARVO|ECTRIMS|CTAD|AAIC|WCLC|ISTH|DDW|ASN|ACNP|ESCMID|AHA|ACC|SNMMI|"
    r"AAD|ACR|ECCMID|SOHO|ADA)"
)
"""The acronyms of medical societies whose meetings carry trial data."""

TRIAL_RESULTS = Signal(
    "trial_results",
    (
        Term("trial_results.topline", r"\btop[- ]?line\b"),
        Term(
            "trial_results.qualified_data",
            r"\b(?:interim|preliminary|initial|final|positive|negative|encouraging|promising|"
            r"updated|new|early|clinical|efficacy|safety|immunogenicity|pharmacokinetic|"
            r"long[- ]term|follow[- ]up|durability|mature|pivotal|key|headline)\s+"
            r"(?:\w+\s+){0,3}?(?:results|data|findings|analys[ie]s|read-?outs?|outcomes)\b",
        ),
        Term(
            "trial_results.data_from_trial",
            r"\b(?:results|data|findings|read-?outs?|outcomes)\s+(?:from|of|in)\s+"
            r"(?:\w+\s+){0,5}?(?:phase|trials?|stud(?:y|ies)|cohorts?|patients|subjects|"
            r"participants)\b",
        ),
        Term(
            "trial_results.phase_results",
            rf"\b{_PHASE}\b[^.]{{0,40}}?\b(?:results|data|findings|outcomes|read-?outs?)\b",
        ),
        Term(
            "trial_results.endpoint",
            r"\b(?:primary|secondary|co-?primary|key secondary|exploratory)\s+"
            r"(?:efficacy\s+|safety\s+)?end\s?-?points?\b",
        ),
        Term(
            "trial_results.endpoint_outcome",
            r"\b(?:met|meets|achieved|achieves|did not (?:meet|achieve)|failed to (?:meet|achieve|"
            r"demonstrate|show)|missed)\b.{0,80}?\b(?:end\s?-?points?|significance|objectives?)\b",
        ),
        Term(
            "trial_results.statistics",
            r"\bstatistical(?:ly)? significan|\bp\s*[=<\u2264]\s*0?\.\d+|\bhazard ratio\b|"
            r"\bconfidence interval\b",
        ),
        Term(
            "trial_results.response",
            r"\b(?:complete|partial|objective|overall|clinical|durable|major|pathologic(?:al)?)\s+"
            r"(?:responses?|remissions?)\b|\bresponse rates?\b|\bresponders?\b|"
            r"\b(?:tumou?r shrinkage|stable disease|disease control)\b",
        ),
        Term(
            "trial_results.survival",
            r"\b(?:overall|progression[- ]free|median|event[- ]free|disease[- ]free|"
            r"relapse[- ]free)\s+survival\b",
        ),
        Term(
            "trial_results.dose_finding",
            r"\bmaximum tolerated dose\b|(?-i:\bMTD\b)|\bdose[- ]limiting toxicit|"
            r"\bdose[- ](?:escalation|expansion)\b|\brecommended phase (?:2|II) dose\b",
        ),
        Term(
            "trial_results.tolerability",
            r"\bwell[- ]tolerated\b|\bsafety profile\b|\bsafety and tolerability\b|"
            r"\b(?:serious|treatment[- ]emergent|treatment[- ]related|drug[- ]related)\s+"
            r"adverse events?\b",
        ),
        Term("trial_results.proof_of_concept", r"\bproof[- ]of[- ](?:concept|mechanism)\b"),
        Term(
            "trial_results.no_effect",
            r"\b(?:no|did not|failed to) (?:show|demonstrate)\w* (?:\w+ )?(?:efficacy|benefit|"
            r"improvement|effect)\b|\bdid not (?:separate|differentiate) from placebo\b",
            note="failed trials reported as no effect or no separation from placebo",
        ),
        Term(
            "trial_results.versus_placebo",
            r"\b(?:change|reduction|improvement|decrease|increase)s? from baseline\b|"
            r"\bplacebo[- ]adjusted\b|\b(?:versus|vs\.?|compared (?:with|to)) placebo\b",
        ),
        Term(
            "trial_results.observed_effect",
            r"\b(?:demonstrated|showed|shows|achieved|observed|reported)\b[^.]{0,60}?"
            r"\b(?:improvement|reduction|responses?|benefit|efficacy|clinical activity|"
            r"remission)\b",
        ),
    ),
)

TRIAL_START = Signal(
    "trial_start",
    (
        Term(
            "trial_start.first_patient",
            r"\bfirst (?:\w+\s+){0,2}?(?:patients?|subjects?|participants?|volunteers?|cohort|"
            r"individuals?)\b.{0,60}?\b(?:dosed|enrolled|treated|randomi[sz]ed|screened|"
            r"implanted|infused|vaccinated|injected)\b",
        ),
        Term(
            "trial_start.dosed_the_first",
            r"\b(?:dosed|dosing|enrolled|enrollment|randomi[sz]ed|treated|vaccinated)\b.{0,30}?"
            r"\b(?:of|in|with)?\s*(?:the|its)?\s*first (?:patients?|subjects?|participants?)\b",
        ),
        Term(
            "trial_start.initiates_trial",
            r"\b(?:initiat|commenc|start|launch|began|begun|begin|activat)\w*\b[^.]{0,60}?"
            rf"\b(?:{_PHASE}|clinical (?:trial|study)|pivotal (?:trial|study)|registrational "
            r"(?:trial|study)|dosing)\b",
        ),
        Term(
            "trial_start.opens_enrollment",
            r"\b(?:initiat|commenc|start|began|begin|open)\w*\s+(?:patient\s+|subject\s+)?"
            r"(?:enrol?lment|recruitment|screening)\b",
            near=_TRIALISH,
            veto=r"\bopen enrollment period\b|\bmembers\b|\bhealth plans?\b",
        ),
        Term(
            "trial_start.first_in_human",
            r"\bfirst[- ]in[- ](?:human|man|patient)s?\b",
            note="first-in-human studies, a trial start",
        ),
        Term(
            "trial_start.patients_dosed",
            r"\b(?:patients?|subjects?|volunteers?|participants?)\b[^.]{0,120}?"
            r"\b(?:have|has|were|was|had) (?:now )?(?:been )?(?:dosed|enrolled|randomi[sz]ed|"
            r"vaccinated)\b",
        ),
    ),
)

ENROLLMENT = Signal(
    "enrollment",
    (
        Term(
            "enrollment.completed",
            r"\b(?:complet\w*|finish\w*|reach\w*|exceed\w*|achiev\w*)\b[^.]{0,40}?"
            r"\b(?:patient |subject |participant |target |full )?(?:enrol?lment|randomi[sz]ation|"
            r"recruitment)\b",
            near=_TRIALISH,
            veto=r"\bmembers\b|\bhealth plans?\b|\bopen enrollment\b",
        ),
        Term(
            "enrollment.fully_enrolled",
            r"\bfully (?:enrolled|randomi[sz]ed|recruited)\b",
            near=_TRIALISH,
            note="'fully enrolled', the usual wording of an enrollment milestone",
        ),
        Term(
            "enrollment.update",
            r"\b(?:enrol?lment|recruitment)\s+(?:update|milestone)s?\b",
            note="enrollment updates and milestones, named by the label's definition",
        ),
        Term(
            "enrollment.count",
            r"\b(?:enrolled|randomi[sz]ed|recruited|dosed)\s+(?:\w+\s+){0,2}?\d[\d,]*\s+"
            r"(?:patients|subjects|participants|volunteers)\b|\benrol?lment of\s+\d[\d,]*\s+"
            r"(?:patients|subjects|participants|volunteers)\b",
        ),
    ),
)

TRIAL_MILESTONE = Signal(
    "trial_milestone",
    (
        Term(
            "trial_milestone.cohort_completed",
            r"\b(?:complet\w*|finish\w*|conclu\w*)\s+(?:\w+\s+){0,4}?cohorts?\b|"
            r"\bcohorts?\b[^.]{0,40}?\b(?:completed|finished|concluded)\b",
            note="dose cohorts completed, the milestone of dose escalation",
        ),
        Term(
            "trial_milestone.dosing_completed",
            r"\b(?:complet\w*|finish\w*)\s+(?:\w+\s+){0,3}?(?:dosing|treatment period|"
            r"treatment phase|the (?:\w+ )?(?:part|portion|stage) of)\b",
            near=_TRIALISH,
        ),
        Term(
            "trial_milestone.next_dose_level",
            r"\b(?:advanc|escalat|proceed|progress|mov)\w*\s+(?:\w+\s+){0,3}?(?:to|into)\s+"
            r"(?:the\s+)?(?:next|second|third|fourth|fifth|sixth|higher|highest|final|top|"
            r"\w+est)\s+(?:\w+\s+)?(?:dose|dosing|cohort|dose level)s?\b|"
            r"\bnext (?:dose|dosing) (?:level|cohort)\b",
        ),
        Term(
            "trial_milestone.last_patient",
            r"\blast (?:patient|subject|participant)s?\b[^.]{0,40}?\b(?:dosed|enrolled|"
            r"randomi[sz]ed|visit|out|treated|completed)\b|(?-i:\bLPLV\b)",
        ),
        Term(
            "trial_milestone.database_lock",
            r"\bdatabase lock\b|\block\w* (?:of )?the (?:clinical |study |trial )?database\b",
        ),
        Term(
            "trial_milestone.trial_completed",
            rf"\bcomplet\w*\s+(?:of\s+)?(?:the\s+|its\s+|a\s+)?(?:{_PHASE}\s+)?"
            r"(?:\w+\s+){0,2}?(?:clinical\s+)?(?:trial|study)\b",
            near=r"\b(?:phase|clinical|patients|subjects|dosed|cohort)\b",
            veto=r"\bmarket (?:study|research)\b",
        ),
    ),
)

SAFETY_REVIEW = Signal(
    "safety_review",
    (
        Term("safety_review.committee", _MONITORS),
        Term(
            "safety_review.acronym",
            r"\b(?:DSMB|DMC|IDMC|DSMC|SRC|SMC)\b",
            case=True,
            near=_TRIALISH,
        ),
        Term(
            "safety_review.review",
            r"\b(?:planned |pre-?specified |scheduled )?(?:interim |unblinded )?safety "
            r"(?:review|assessment|evaluation)\b|\breview of (?:the )?(?:safety|unblinded) data\b",
            near=_TRIALISH,
        ),
        Term(
            "safety_review.recommends",
            r"\brecommend\w*\b[^.]{0,60}?\b(?:continu|proceed|advanc|escalat|expan|modification|"
            r"as planned|unchanged|without change)\w*",
            near=rf"{_MONITORS}|\b(?:DSMB|DMC|IDMC|DSMC|SRC|SMC)\b|\bcommittee\b",
            note="a monitoring committee recommending that a trial continue",
        ),
    ),
)

REGULATORY_CLEARANCE = Signal(
    "regulatory_clearance",
    (
        Term(
            "regulatory_clearance.application",
            r"\binvestigational new drug\b|\binvestigational device exemption\b|"
            r"\bclinical trial (?:application|authori[sz]ation|notification)\b|"
            r"\bno objection letter\b",
        ),
        Term(
            "regulatory_clearance.acronym",
            r"\b(?:IND|CTA|IDE|CTN)\b",
            case=True,
            near=r"\bFDA\b|clear|accept|approv|authori|submi|\bfil(?:ed|ing)\b|stud(?:y|ies)|"
            r"trial|phase|hold|application|effective",
            window=100,
        ),
        Term(
            "regulatory_clearance.numbered",
            r"\b(?:IND|CTA|IDE)\s*(?:No\.?|#)?\s*[A-Z]?\d{2,3},?\d{3}\b",
            case=True,
            note="an IND or CTA cited by number, as agency letters cite them",
        ),
        Term(
            "regulatory_clearance.may_proceed",
            r"\bmay proceed with\b.{0,60}?\b(?:study|trial)\b|"
            r"\b(?:clear\w*|accept\w*|approv\w*|authori[sz]\w*|allow\w*|permit\w*)\b[^.]{0,80}?"
            r"\bto (?:conduct|initiate|begin|start|proceed|commence|enrol\w*|dose)\b[^.]{0,60}?"
            r"\b(?:trial|study|patients)\b",
            note="the FDA's wording when an IND takes effect ('may proceed')",
        ),
        Term(
            "regulatory_clearance.ethics_approval",
            r"\b(?:ethics committees?|institutional review boards?|research ethics boards?|"
            r"human research ethics committee|competent authorit(?:y|ies))\b[^.]{0,80}?"
            r"\b(?:approv|clear|authori[sz]|favou?rable opinion)\w*|"
            r"\b(?:approv|clear)\w*\b[^.]{0,40}?\b(?:ethics committee|(?-i:IRB|HREC))\b",
        ),
        Term(
            "regulatory_clearance.authorised_trial",
            rf"\bauthori[sz]\w*\b[^.]{{0,120}}?\b(?:{_PHASE}|clinical trial|trial)\b",
            note="a regulator authorising a trial (a CTA outside the US)",
        ),
    ),
)

CLINICAL_HOLD = Signal(
    "clinical_hold",
    (
        Term(
            "clinical_hold.hold",
            r"\bclinical hold\b|\b(?:partial|full) (?:clinical )?hold\b|"
            r"\bplaced (?:\w+ ){0,3}?on (?:a )?(?:partial |full |clinical )?hold\b",
        ),
        Term(
            "clinical_hold.lifted",
            r"\bhold (?:was|has been|is|had been) (?:lifted|removed|released)\b|"
            r"\b(?:lift\w*|remov\w*|releas\w*)\b[^.]{0,40}?\b(?:partial |full |clinical )hold\b",
        ),
    ),
)

TRIAL_STOPPED = Signal(
    "trial_stopped",
    (
        Term(
            "trial_stopped.stopped",
            r"\b(?:discontinu|terminat|halt|stop|suspend|ceas|abandon)\w*\b[^.]{0,80}?"
            r"\b(?:trials?|stud(?:y|ies)|enrol?lment|dosing|recruitment)\b|"
            r"\b(?:discontinu|terminat|halt|stop|ceas|abandon|end)\w*\s+(?:the\s+|its\s+|all\s+)?"
            r"(?:further\s+|clinical\s+)*development (?:of|program)\b",
            veto=r"\bterminat\w* (?:the |its |an? )?(?:\w+ )?(?:agreement|lease|employment|"
            r"license|collaboration|offering|merger)\b",
        ),
        Term("trial_stopped.futility", r"\bfutility\b", note="trials stopped for futility"),
        Term(
            "trial_stopped.early",
            r"\b(?:stopped|ended|terminated|halted|closed|concluded)\s+early\b|"
            r"\bearly (?:termination|stopping)\b",
            near=_TRIALISH,
        ),
        Term(
            "trial_stopped.paused",
            r"\b(?:voluntar\w+\s+)?paus\w*\b[^.]{0,60}?\b(?:dosing|enrol?lment|trials?|"
            r"stud(?:y|ies)|recruitment|screening)\b",
        ),
        Term(
            "trial_stopped.wind_down",
            r"\bwind(?:s|ing)? down\b[^.]{0,60}?\b(?:trials?|stud(?:y|ies)|program)\b|"
            r"\bwill not (?:advance|continue|pursue)\b[^.]{0,60}?\b(?:trials?|stud(?:y|ies)|"
            r"development|phase)\b",
        ),
    ),
)

MEETING_PRESENTATION = Signal(
    "meeting_presentation",
    (
        Term(
            "meeting_presentation.presented_at",
            r"\b(?:present\w*|posters?|oral presentations?|abstracts?|late[- ]breaking|reported|"
            r"encore)\b[^.]{0,160}?\b(?:meeting|congress|conference|symposium|sessions|summit|"
            r"colloquium|workshop|forum)\b",
            veto=NOT_MEDICAL_MEETING,
            window=40,
        ),
        Term(
            "meeting_presentation.data_at_meeting",
            r"\b(?:results|data|findings|analys[ie]s)\b[^.]{0,100}?\b(?:at|during) the\b[^.]{0,80}?"
            r"\b(?:meeting|congress|conference|symposium|sessions)\b",
            veto=NOT_MEDICAL_MEETING,
            window=40,
        ),
        Term(
            "meeting_presentation.society",
            rf"\b{MEDICAL_SOCIETIES}\b",
            case=True,
            near=r"meeting|congress|conference|symposium|present|poster|abstract|annual|\b20\d\d\b",
        ),
        Term(
            "meeting_presentation.abstract",
            r"\babstracts?\b[^.]{0,60}?\b(?:accepted|selected|published)\b|"
            r"\b(?:poster|oral|podium) (?:presentation|session)s?\b|\blate[- ]breaking\b|"
            r"\babstract (?:no\.?|number|#)\s*\w+",
        ),
    ),
)

PUBLICATION = Signal(
    "publication",
    (
        Term(
            "publication.published",
            r"\b(?:published|publication|appears?|appeared|accepted for publication)\b[^.]{0,80}?"
            r"\b(?:journal|lancet|new england journal|nejm|jama|peer[- ]reviewed|bmj|annals of)\b",
        ),
        Term(
            "publication.journal_publishes",
            r"\b(?:the lancet|nejm|jama|new england journal of medicine|journal of [A-Z][a-z]+)\b"
            r"[^.]{0,40}?\bpublish\w*",
        ),
    ),
)

KINDS: Final = (
    TRIAL_RESULTS,
    TRIAL_START,
    ENROLLMENT,
    TRIAL_MILESTONE,
    SAFETY_REVIEW,
    REGULATORY_CLEARANCE,
    CLINICAL_HOLD,
    TRIAL_STOPPED,
    MEETING_PRESENTATION,
    PUBLICATION,
)
"""Every kind of clinical news, in the order rationales list them."""

SELF_EVIDENT: Final = frozenset(
    {
        TRIAL_START.name,
        ENROLLMENT.name,
        TRIAL_MILESTONE.name,
        SAFETY_REVIEW.name,
        REGULATORY_CLEARANCE.name,
        CLINICAL_HOLD.name,
    }
)

PHASE_CONTEXT = Signal(
    "phase",
    (
        Term(
            "context.phase",
            rf"\b{_PHASE}\b",
            veto=r"\b(?:drilling|construction|mining|exploration|development of the (?:mine|"
            r"project|property)|rollout|build-?out)\b",
            window=60,
        ),
    ),
)
TRIAL_CONTEXT = Signal(
    "trial",
    (
        Term(
            "context.trial",
            r"\bclinical (?:trials?|stud(?:y|ies)|program|development|data)\b|\btrials?\b",
            veto=r"\b(?:jury|court|bench|mistrial|judge|verdict|free|trial (?:court|judge|date|"
            r"period|version|subscription))\b",
            window=30,
        ),
        Term("context.registry", r"\bNCT\d{8}\b|\bEudraCT\b", case=False),
        Term(
            "context.design",
            r"\bplacebo\b|\bdouble[- ]blind\w*\b|\brandomi[sz]ed\b|\bopen[- ]label\b|"
            r"\bdose[- ]\w+ing\b|\bcohorts?\b",
            near=r"\b(?:patients?|subjects?|participants?|dos\w+|trial|study|phase|treat\w*)\b",
        ),
    ),
)
CONTEXT: Final = (PHASE_CONTEXT, TRIAL_CONTEXT)
