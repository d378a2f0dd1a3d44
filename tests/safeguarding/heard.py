"""Cases heard at a meeting, for the SafeLives return, the measures and the report.

`hear` takes referrals made through the real services (tests/safeguarding/cases.py)
through a meeting from start to close; `case` writes a heard case straight to the
database, for tables of edge cases where the dates and details are the point.
"""

from datetime import date, timedelta

from saferhub.safeguarding import case_access, meetings, safety_plans
from saferhub.safeguarding.models import ListedCase, Meeting, Perpetrator, Person, Referral


def hear(coordinator, referrals, held_on: date, kind: str = Meeting.Kind.MONTHLY, actions=()):
    """Set up a meeting, list the referrals, confirm, open, hear each, agree the `actions`
    (owning agency, due date) on the first, and close it. Returns the meeting."""
    meeting = meetings.create(coordinator, kind, held_on)
    meetings.add_to_list(coordinator, meeting, [r.pk for r in referrals], meeting.version)
    meetings.confirm(coordinator, meeting, meetings.suggested_agencies(meeting), meeting.version)
    meetings.open_meeting(coordinator, meeting, meeting.version)
    for position, listed in enumerate(meeting.listed_cases.order_by("position")):
        meetings.record_discussion(coordinator, listed, "Discussed.", True, listed.version)
        if position == 0:
            for agency, due_on in actions:
                safety_plans.agree(
                    coordinator,
                    ListedCase.objects.get(pk=listed.pk),
                    agency=agency,
                    officer=None,
                    description="Target hardening at the victim's home",
                    due_on=due_on,
                )
    meetings.close(coordinator, meeting, meeting.version)
    return meeting


def case(
    world,
    heard_on: date | None,
    *,
    agency=None,
    referred_on: date | None = None,
    repeat: bool = False,
    children: int = 0,
    dob: date | None = None,
    gender: str = "female",
    ethnicity: str = "white_british",
    lgbt: str = "no",
    disabled: str = "no",
    perpetrator_dobs: tuple = (None,),
    status: str = Referral.Status.OPEN,
    partnership=None,
) -> Referral:
    """A case written directly: referred (by default) a week before it was heard."""
    agency = agency or world.police
    partnership = partnership or world.partnership
    referred_on = referred_on or (heard_on or date(2023, 1, 1)) - timedelta(days=7)
    victim = Person(
        partnership=partnership,
        given_name="Zelda",
        family_name="Quorn",
        date_of_birth=dob,
        gender=gender,
        ethnicity=ethnicity,
        lgbt=lgbt,
        disabled=disabled,
    )
    victim.save()
    referral = Referral.objects.create(
        partnership=partnership,
        victim=victim,
        referred_on=referred_on,
        referring_agency=agency,
        marac_sector=agency.marac_sector,
        referring_officer=world.police_officer,
        children_in_household=children,
        victim_informed=True,
        victim_consented=True,
        police_incidents=0,
        dash_source="victim",
        professional_judgement=False,
        dash_score=15,
        visible_high_risk=True,
        potential_escalation=False,
        is_repeat=repeat,
        status=status,
        reassessment_due=referred_on + timedelta(weeks=8),
        heard_on=heard_on,
    )
    for perpetrator_dob in perpetrator_dobs:
        Perpetrator(
            referral=referral,
            given_name="Xavier",
            family_name="Pyke",
            date_of_birth=perpetrator_dob,
            gender="male",
        ).save()
    case_access.refresh_case(referral.pk)  # written without the services, as imports are
    return referral
