"""A victim with a whole case for the governance tests, every part carrying a marker string
so a test can say exactly what a copy or the log holds.

Vespertina Quillon (the victim) is referred twice by the police, naming Brontolo Grimwald
(born 3 March 1980) as the alleged perpetrator; her case is heard at a meeting with the
police's research, a discussion and a safety-plan action. Another victim, Otherlina
Bystander, names the same man: she is a third party to both copies.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from saferhub.safeguarding import meetings, research, safety_plans
from saferhub.safeguarding.models import Perpetrator, Person, Referral
from tests.safeguarding.cases import hold_meeting, make_referral, victim

VICTIM_GIVEN, VICTIM_FAMILY = "Vespertina", "Quillon"
VICTIM_DOB = date(1988, 7, 14)
VICTIM_POSTCODE = "LS7 4ZZ"
VICTIM_ADDRESS = "12 Hiddenharbour Road"
PERPETRATOR_GIVEN, PERPETRATOR_FAMILY = "Brontolo", "Grimwald"
PERPETRATOR_DOB = date(1980, 3, 3)
OTHER_GIVEN, OTHER_FAMILY = "Otherlina", "Bystander"
RESEARCH = "Researchmarker: police hold three call-outs; Grimwald's bail conditions"
DISCUSSION = "Discussionmarker: Brontolo Grimwald knows her workplace"
ACTION = "Actionmarker: fit door locks"
UPDATE = "Updatemarker: locks fitted"

# Everything about the victim that an alleged perpetrator's copy must never hold.
VICTIM_MARKERS = (
    VICTIM_GIVEN,
    VICTIM_FAMILY,
    VICTIM_POSTCODE,
    "Hiddenharbour",
    VICTIM_DOB.isoformat(),
    "14 July 1988",
    "Researchmarker",
    "Discussionmarker",
    "Actionmarker",
    "Updatemarker",
    "Is the victim very frightened?",  # a DASH question
    OTHER_GIVEN,
    OTHER_FAMILY,
    "Testford Police",  # the referring agency (its sector is given, not its name)
    "Escalating coercive control",  # the referrer's professional judgement
    "R0",  # a referral's reference
)
# Third parties a victim's copy must never name: the perpetrator, the other victim, staff.
THIRD_PARTY_MARKERS = (
    PERPETRATOR_GIVEN,
    PERPETRATOR_FAMILY,
    OTHER_GIVEN,
    OTHER_FAMILY,
    "Owen",  # the police officer who referred, researched and owns the action
    "Cora",  # the coordinator who chaired
)


@dataclass
class Story:
    person: Person
    referrals: list[Referral]
    other: Person
    other_referral: Referral
    meeting: object


def _name_perpetrator(referral: Referral, dob: date | None = PERPETRATOR_DOB) -> None:
    Perpetrator.objects.filter(referral=referral).update(date_of_birth=dob)


def tell(world) -> Story:
    person = victim(world, VICTIM_GIVEN, VICTIM_FAMILY, VICTIM_DOB, VICTIM_POSTCODE)
    today = date.today()
    first = make_referral(
        world.police_officer,
        person,
        on=today - timedelta(days=400),
        perpetrator=(PERPETRATOR_GIVEN, PERPETRATOR_FAMILY),
        address=VICTIM_ADDRESS,
        judgement=True,
    )
    _name_perpetrator(first)
    second = make_referral(
        world.police_officer,
        person,
        on=today - timedelta(days=20),
        perpetrator=(PERPETRATOR_GIVEN, PERPETRATOR_FAMILY),
    )
    _name_perpetrator(second)
    other = victim(world, OTHER_GIVEN, OTHER_FAMILY, date(1990, 1, 2), "LS1 1AA")
    other_referral = make_referral(
        world.housing_officer,
        other,
        on=today - timedelta(days=30),
        perpetrator=(PERPETRATOR_GIVEN, PERPETRATOR_FAMILY),
    )
    _name_perpetrator(other_referral)
    meeting = hold_meeting(
        world.coordinator, [second, other_referral], [world.police, world.housing]
    )
    listed = meeting.listed_cases.get(referral=second)
    research.save(world.police_officer, listed, holds_information=True, summary=RESEARCH, version=0)
    meetings.record_discussion(world.coordinator, listed, DISCUSSION, True, listed.version)
    action = safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.police,
        officer=world.police_officer,
        description=ACTION,
        due_on=today + timedelta(days=14),
    )
    safety_plans.update(
        world.police_officer, action, text=UPDATE, complete=False, expected_version=1
    )
    return Story(person, [first, second], other, other_referral, meeting)
