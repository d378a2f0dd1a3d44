"""Referral data for tests: a complete form submission, and referrals made through the service."""

from datetime import date, timedelta

from saferhub.safeguarding import dash
from saferhub.safeguarding.models import Perpetrator, Person
from saferhub.safeguarding.referrals import NewReferral, refer


def form_data(yes: int = 15, **overrides) -> dict[str, str]:
    """A complete referral form: the first `yes` DASH answers yes, the rest no."""
    data = {
        "given_name": "Zoë",
        "family_name": "Smith-Jones",
        "date_of_birth": "03/04/1990",
        "postcode": "LS9 7TF",
        "gender": "female",
        "ethnicity": "white_british",
        "lgbt": "no",
        "disabled": "not_known",
        "current_address": "Flat 2, 10 Safe Street, Leeds",
        "p1_given_name": "Mark",
        "p1_family_name": "Smith-Jones",
        "p1_date_of_birth": "",
        "p1_gender": "male",
        "children_in_household": "2",
        "police_incidents": "1",
        "victim_informed": "yes",
        "victim_consented": "yes",
        "dash_source": "victim",
        "professional_judgement": "no",
    }
    for number in range(1, 25):
        data[f"q{number}"] = dash.YES if number <= yes else dash.NO
    data.update(overrides)
    return data


def victim(world, given="Zoë", family="Smith-Jones", dob=date(1990, 4, 3), postcode="LS9 7TF"):
    return Person(
        partnership=world.partnership,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        postcode=postcode,
        gender="female",
        ethnicity="not_known",
        lgbt="not_known",
        disabled="not_known",
    )


def make_referral(
    user,
    person: Person,
    *,
    yes: int = 15,
    on: date | None = None,
    perpetrator: tuple[str, str] = ("Mark", "Smith-Jones"),
    incidents: int = 0,
    judgement: bool = False,
    address: str = "",
):
    answers = {n: dash.YES if n <= yes else dash.NO for n in range(1, 25)}
    return refer(
        user,
        NewReferral(
            victim=person,
            perpetrators=[
                Perpetrator(given_name=perpetrator[0], family_name=perpetrator[1], gender="male")
            ],
            answers=answers,
            dash_source="victim",
            children_in_household=1,
            victim_informed=True,
            victim_consented=True,
            police_incidents=incidents,
            professional_judgement=judgement,
            judgement_reason="Escalating coercive control" if judgement else "",
            current_address=address,
            referred_on=on or date.today(),
        ),
    )


def weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def hold_meeting(coordinator, referrals, agencies, *, on: date | None = None, kind="daily"):
    """List, confirm, open and return a meeting hearing `referrals` (open, not closed),
    with `agencies` invited, through the real services. It sits on the weekday `on` (by
    default today), or the one before: a meeting opens on its day, not before."""
    from saferhub.safeguarding import meetings

    day = weekday_on_or_before(on or date.today())
    meeting = meetings.create(coordinator, kind, day)
    meetings.add_to_list(coordinator, meeting, [r.pk for r in referrals], meeting.version)
    meetings.confirm(coordinator, meeting, [a.pk for a in agencies], meeting.version)
    meetings.open_meeting(coordinator, meeting, meeting.version)
    return meeting
