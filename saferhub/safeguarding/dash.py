"""The DASH risk identification checklist (SafeLives) as data, and the MARAC criteria.

Question text is our paraphrase (see the domain README). Scoring and the reasons for
referral are pure functions of the answers and the area's settings, so they test alone.
"""

from dataclasses import dataclass

QUESTIONS: tuple[str, ...] = (
    "Has the current incident resulted in injury?",
    "Is the victim very frightened?",
    "Is the victim afraid of further injury or violence?",
    "Does the victim feel isolated from family or friends?",
    "Is the victim feeling depressed or having suicidal thoughts?",
    "Has the victim separated or tried to separate from the perpetrator in the past year?",
    "Is there conflict over child contact?",
    "Does the perpetrator constantly text, call, contact, follow, stalk or harass the victim?",
    "Is the victim pregnant or has she recently had a baby?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the perpetrator try to control everything the victim does, or is he excessively jealous?",
    "Has the perpetrator ever used weapons or objects to hurt the victim?",
    "Has the perpetrator ever threatened to kill the victim or someone else, and were they "
    "believed?",
    "Has the perpetrator ever attempted to strangle, choke, suffocate or drown the victim?",
    "Does the perpetrator do or say things of a sexual nature that make the victim feel bad, "
    "or that physically hurt the victim or someone else?",
    "Is there any other person who has threatened the victim or whom the victim is afraid of?",
    "Does the victim know if the perpetrator has hurt anyone else?",
    "Has the perpetrator ever mistreated an animal or the family pet?",
    "Are there any financial issues, for example is the victim dependent on the perpetrator "
    "for money?",
    "Has the perpetrator had problems in the past year with drugs, alcohol or mental health?",
    "Has the perpetrator ever threatened or attempted suicide?",
    "Has the perpetrator ever broken bail, an injunction or a formal agreement about contact?",
    "Does the victim know if the perpetrator has ever been in trouble with the police or has "
    "a criminal history?",
)
assert len(QUESTIONS) == 24  # noqa: S101  (the checklist is 24 questions, always)

YES, NO, NOT_KNOWN = "yes", "no", "not_known"
ANSWERS = ((YES, "Yes"), (NO, "No"), (NOT_KNOWN, "Not known"))

VISIBLE_HIGH_RISK = "visible_high_risk"
POTENTIAL_ESCALATION = "potential_escalation"
PROFESSIONAL_JUDGEMENT = "professional_judgement"
REPEAT = "repeat"
REASON_LABELS = {
    VISIBLE_HIGH_RISK: "Visible high risk",
    POTENTIAL_ESCALATION: "Potential escalation",
    PROFESSIONAL_JUDGEMENT: "Professional judgement",
    REPEAT: "Repeat",
}


@dataclass(frozen=True)
class Thresholds:
    """The per-area criteria (AreaSettings holds them)."""

    high_risk_score: int = 14
    escalation_incidents: int = 3


@dataclass(frozen=True)
class Assessment:
    score: int
    reasons: tuple[str, ...]  # codes, in REASON_LABELS order
    why_not: str  # for a referral meeting no criterion, in words; else ""

    @property
    def eligible(self) -> bool:
        return bool(self.reasons)


def score(answers: dict[int, str]) -> int:
    """The number of "yes" answers (question number -> answer)."""
    return sum(1 for answer in answers.values() if answer == YES)


def assess(
    answers: dict[int, str],
    *,
    police_incidents: int,
    professional_judgement: bool,
    is_repeat: bool,
    thresholds: Thresholds,
) -> Assessment:
    """The score and which MARAC criteria the referral meets, and why not if none."""
    total = score(answers)
    reasons = []
    if total >= thresholds.high_risk_score:
        reasons.append(VISIBLE_HIGH_RISK)
    if police_incidents >= thresholds.escalation_incidents:
        reasons.append(POTENTIAL_ESCALATION)
    if professional_judgement:
        reasons.append(PROFESSIONAL_JUDGEMENT)
    if is_repeat:
        reasons.append(REPEAT)
    why_not = ""
    if not reasons:
        why_not = (
            f"The checklist scored {total}, below this area's {thresholds.high_risk_score} for "
            f"visible high risk; {police_incidents} police incident"
            f"{'' if police_incidents == 1 else 's'} in the last 12 months is below the "
            f"{thresholds.escalation_incidents} for potential escalation; no professional "
            "judgement was recorded; and it is not a repeat within 12 months."
        )
    return Assessment(total, tuple(reasons), why_not)
