"""The words of synthetic cases: reasons, meeting discussions, research summaries and
safety-plan actions, by the referring or owning agency's MARAC sector. Invented, and
written as practitioners write them."""

import random

JUDGEMENT_REASONS = (
    "Escalating coercive control since the victim's pregnancy; the score does not show how "
    "frightened she is.",
    "The perpetrator has been released from prison this week and has already turned up at "
    "the address.",
    "The victim minimised the abuse when asked the checklist; the officer saw injuries and "
    "the children were distressed.",
    "Honour-based abuse suspected: family members are involved and the victim is isolated.",
    "The perpetrator has recently bought a knife and made veiled threats online.",
    "Stalking behaviour is escalating: the perpetrator is using a tracker on the victim's car.",
    "The victim has learning disabilities and is financially dependent on the perpetrator.",
    "Threats to take the children abroad; the victim's immigration status is uncertain.",
    "The victim has no recourse to public funds and nowhere safe to go.",
    "Recent non-fatal strangulation disclosed to the GP, not to the police.",
)

SHARING_REASONS = (
    "Sharing without consent is necessary and proportionate to protect the victim and the "
    "children from serious harm.",
    "The victim declined to consent; the risk of serious harm outweighs her wish, and the "
    "children are at risk.",
    "The victim could not be contacted safely; the level of risk requires the referral now.",
    "Consent was not sought because asking would have increased the risk to the victim.",
)

DISCUSSION_OPENINGS = (
    "The IDVA represented the victim, who wants to stay in her home.",
    "The IDVA has not yet been able to contact the victim safely.",
    "The victim has engaged well with the IDVA and has moved to a friend's address.",
    "The victim is considering a refuge place out of the area.",
    "The victim has ended the relationship; contact continues over the children.",
    "The victim has returned to the perpetrator and does not want police involvement.",
    "Police research shows a pattern of escalating incidents at the address.",
    "The victim disclosed further abuse to the health visitor since the referral.",
)
DISCUSSION_RISKS = (
    "Main risks: strangulation and threats to kill.",
    "Main risks: stalking and harassment after separation.",
    "Main risks: the perpetrator's alcohol use and violence when drinking.",
    "Main risks: weapons used before, and the perpetrator's recent release from custody.",
    "Main risks: coercive control and financial abuse; the victim is isolated.",
    "Main risks: the children witnessing the abuse; one child was injured.",
    "Main risks: threats of suicide by the perpetrator and breaches of bail.",
    "Main risks: pregnancy and the escalation of the abuse.",
)
DISCUSSION_CLOSINGS = (
    "Safety plan agreed below.",
    "The chair summarised the plan; agencies to update by the due dates.",
    "Agreed actions below; the IDVA will share the plan with the victim.",
    "The perpetrator must not be told of the meeting; actions agreed below.",
)
REVIEW_DISCUSSIONS = (
    "Back on the list with overdue actions: the owners gave updates and new dates were agreed.",
    "Overdue actions reviewed; the chair asked the owners to complete them before the next "
    "meeting.",
    "Reviewed because actions are overdue: the IDVA reports the risk remains high.",
)
NOT_HEARD = "Not reached: carried over to the next meeting."

RESEARCH = {
    "police": (
        "{n} domestic incidents at the address in the last 12 months; the perpetrator has "
        "previous convictions for violence.",
        "The perpetrator is on bail with conditions not to contact the victim.",
        "{n} call-outs in the last year; a previous partner also reported him.",
        "Firearms: none held. Warning markers for violence on the perpetrator.",
    ),
    "idva": (
        "Known to the service from a referral {n} months ago; support was declined then.",
        "The victim is engaging with an IDVA; a safety plan is in place.",
        "Not known to the service before this referral.",
    ),
    "childrens_social_care": (
        "{n} children known to children's social work; a child in need plan is open.",
        "The family was assessed last year; the case was closed to early help.",
    ),
    "adult_social_care": ("The victim receives a care package; her carer is the perpetrator.",),
    "health": (
        "The victim attended the emergency department {n} times this year with injuries.",
        "The GP records anxiety and depression; no disclosure of abuse on record.",
        "The victim is pregnant and booked with the midwife.",
    ),
    "mental_health": ("The perpetrator is under the community mental health team.",),
    "substance_misuse": ("The perpetrator is in treatment for alcohol use; attendance is poor.",),
    "housing": (
        "Council tenancy in the victim's name; rent arrears since the perpetrator moved in.",
        "Reports of noise and shouting from neighbours in the last {n} months.",
    ),
    "probation": ("The perpetrator is on licence until next year; managed at MAPPA level 1.",),
}
RESEARCH_ANY = ("Known to the agency: details shared at the meeting.",)

ACTIONS = {
    "police": (
        "Place a marker on the victim's address for an immediate response to any call",
        "Review the perpetrator's bail conditions and tell the IDVA of any change",
        "Consider a domestic violence protection notice at the next incident",
        "Neighbourhood officers to make a safety visit to the victim",
        "Chase the outstanding arrest of the perpetrator and update the IDVA",
        "Share the perpetrator's offending history with the probation service",
    ),
    "idva": (
        "Contact the victim within 24 hours and offer IDVA support",
        "Complete a safety plan with the victim and share it with the police",
        "Support the victim to apply for a non-molestation order",
        "Refer the victim to the sanctuary scheme",
        "Discuss refuge options with the victim if she wishes to move",
        "Support the victim through the criminal justice process",
    ),
    "childrens_social_care": (
        "Hold a strategy discussion about the children",
        "Share the meeting's outcome with the children's social worker",
        "Inform the designated safeguarding leads at the children's schools",
    ),
    "adult_social_care": (
        "Complete a care and support needs assessment",
        "Consider a safeguarding enquiry under section 42 of the Care Act 2014",
    ),
    "health": (
        "Flag the victim's health records for domestic abuse",
        "Inform the GP and the health visitor of the meeting's outcome",
        "Midwife to discuss safety at the next antenatal appointment",
    ),
    "mental_health": (
        "Care coordinator to review the crisis plan with the victim",
        "Review the perpetrator's treatment and risk assessment",
    ),
    "substance_misuse": (
        "Offer the perpetrator an assessment for alcohol treatment",
        "Share the treatment worker's details with the IDVA",
    ),
    "housing": (
        "Fit additional locks and a door chain (target hardening)",
        "Consider a management move for the victim",
        "Flag the tenancy so that repair visits are made in pairs",
        "Explore rehousing options with the victim",
    ),
    "probation": (
        "Review the perpetrator's licence conditions",
        "Refer the perpetrator to a domestic abuse programme",
        "Share the meeting's outcome with the offender manager",
    ),
    "voluntary_sector": (
        "Offer the victim a place on a recovery programme",
        "Offer outreach support and a drop-in appointment",
    ),
    "education": ("Inform the designated safeguarding lead at the children's school",),
    "other": (
        "Arrange a home fire safety visit and fit a letterbox fire guard",
        "Community safety team to consider a camera near the address",
    ),
}
UPDATE_DONE = (
    "Done.",
    "Completed and recorded on our system.",
    "Done: the victim was told by the IDVA.",
    "Completed; nothing further from us.",
)
UPDATE_OPEN = (
    "In progress: first contact made.",
    "Started; waiting for the victim to choose a date.",
    "Delayed: the officer is chasing this.",
)


def research(rng: random.Random, sector: str) -> str:
    return rng.choice(RESEARCH.get(sector, RESEARCH_ANY)).format(n=rng.randint(2, 6))


def action(rng: random.Random, sector: str) -> str:
    return rng.choice(ACTIONS.get(sector, ACTIONS["other"]))


def discussion(rng: random.Random) -> str:
    return " ".join(
        rng.choice(part) for part in (DISCUSSION_OPENINGS, DISCUSSION_RISKS, DISCUSSION_CLOSINGS)
    )
