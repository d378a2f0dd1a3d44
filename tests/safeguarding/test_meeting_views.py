"""The meeting pages, the case at a meeting, safety-plan actions and the case page."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferhub.audit.models import AuditEvent
from saferhub.safeguarding import meetings, research, safety_plans
from saferhub.safeguarding.models import Meeting, Referral, SafetyAction
from saferhub.safeguarding.views import safety_plans as safety_plan_views
from tests.safeguarding.cases import hold_meeting, make_referral, victim, weekday_on_or_before

TODAY = date.today()
ADDRESS = "Flat 9, 1 Hidden Lane"


def _day(offset=1) -> str:
    return meetings.next_weekday(TODAY + timedelta(days=offset)).strftime("%d/%m/%Y")


def test_the_coordinator_sets_up_lists_confirms_opens_records_and_closes(client, world):
    case = make_referral(world.police_officer, victim(world), address=ADDRESS)
    client.force_login(world.coordinator)
    # Today's monthly MARAC (a daily meeting could not be today at a weekend).
    today = TODAY.strftime("%d/%m/%Y")
    response = client.post("/safeguarding/meetings/new/", {"kind": "monthly", "held_on": today})
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/safeguarding/meetings/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert case.reference in page and "Cases proposed" in page
    change = f"/safeguarding/meetings/{meeting.pk}/change/"
    client.post(change, {"op": "add", "referral": [case.pk], "version": 1})
    page = client.get(f"/safeguarding/meetings/{meeting.pk}/").content.decode()
    assert "shared in confidence" in page  # the confidentiality statement
    assert ADDRESS not in page
    client.post(
        change, {"op": "confirm", "agencies": [world.police.pk, world.housing.pk], "version": 2}
    )
    client.post(change, {"op": "open", "version": 3})
    listed = meeting.listed_cases.get()
    case_page = f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/"
    response = client.post(
        case_page,
        {
            "op": "action",
            "description": "Refer to sanctuary scheme",
            "agency": world.housing.pk,
            "officer": world.housing_officer.pk,
            "due_on": _day(14),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(
        case_page,
        {"op": "discussion", "discussion": "Risk is escalating", "heard": "on", "version": 2},
    )
    client.post(change, {"op": "close", "version": 4})
    case.refresh_from_db()
    assert case.status == Referral.Status.OPEN and case.heard_on is not None
    assert SafetyAction.objects.get().agency == world.housing


def test_bad_action_input_names_the_field_and_keeps_what_was_typed(client, world):
    case = make_referral(world.police_officer, victim(world))
    meeting = hold_meeting(world.coordinator, [case], [world.police])
    listed = meeting.listed_cases.get()
    client.force_login(world.coordinator)
    response = client.post(
        f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/",
        {
            "op": "action",
            "description": "Visit the school",
            "agency": world.police.pk,
            "officer": world.housing_officer.pk,
            "due_on": "31/02/2026",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose an officer of Testford Police" in text
    assert "Enter the due date as a real date" in text
    assert "Visit the school" in text
    assert not SafetyAction.objects.exists()


def test_invited_agencies_add_research_and_see_others_once_open(client, world):
    case = make_referral(world.police_officer, victim(world))
    meeting = meetings.create(world.coordinator, "daily", weekday_on_or_before(TODAY))
    meetings.add_to_list(world.coordinator, meeting, [case.pk], 1)
    meetings.confirm(world.coordinator, meeting, [world.police.pk, world.housing.pk], 2)
    listed = meeting.listed_cases.get()
    research.save(
        world.police_officer, listed, holds_information=True, summary="Two call-outs", version=0
    )
    url = f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/"
    client.force_login(world.housing_officer)
    page = client.get(url).content.decode()
    assert "Two call-outs" not in page and "once the meeting opens" in page
    response = client.post(
        url, {"op": "research", "holds_information": "yes", "summary": "", "version": 0}
    )
    assert "Enter what your agency holds on the case" in response.content.decode()
    client.post(
        url, {"op": "research", "holds_information": "yes", "summary": "Rent arrears", "version": 0}
    )
    meetings.open_meeting(world.coordinator, meeting, meeting.version)
    page = client.get(url).content.decode()
    assert "Two call-outs" in page and "Rent arrears" in page


def test_an_owner_completes_an_action_and_the_case_closes(client, world):
    case = make_referral(world.police_officer, victim(world))
    meeting = hold_meeting(world.coordinator, [case], [world.police])
    action = safety_plans.agree(
        world.coordinator,
        meeting.listed_cases.get(),
        agency=world.housing,
        officer=None,
        description="Change the locks",
        due_on=TODAY + timedelta(days=7),
    )
    meetings.close(world.coordinator, meeting, meeting.version)
    client.force_login(world.housing_officer)
    listing = client.get("/safeguarding/actions/").content.decode()
    assert "Change the locks" in listing
    url = f"/safeguarding/actions/{action.pk}/"
    response = client.post(url, {"update": "Locks changed", "complete": "on", "version": 1})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Referral.Status.CLOSED
    # A stale second save is refused with a message, not applied.
    client.force_login(world.coordinator)
    action.refresh_from_db()
    assert action.status == "complete"


def test_an_agencys_open_actions_come_in_pages_overdue_first(client, world, monkeypatch):
    monkeypatch.setattr(safety_plan_views, "PER_PAGE", 1)
    case = make_referral(world.police_officer, victim(world))
    meeting = hold_meeting(world.coordinator, [case], [world.police])
    for description, due in (("Fit a doorbell camera", 3), ("Refer to the sanctuary scheme", 1)):
        safety_plans.agree(
            world.coordinator,
            meeting.listed_cases.get(),
            agency=world.housing,
            officer=None,
            description=description,
            due_on=TODAY + timedelta(days=due),
        )
    client.force_login(world.housing_officer)
    first = client.get("/safeguarding/actions/").content.decode()
    assert "2 open actions: 1 to 1 shown" in first and "Refer to the sanctuary scheme" in first
    assert "Fit a doorbell camera" not in first and "Due later" in first
    second = client.get("/safeguarding/actions/", {"page": 2}).content.decode()
    assert "Fit a doorbell camera" in second and "Due sooner" in second


def test_the_idva_assigned_sees_the_whole_plan_and_the_address(client, world):
    case = make_referral(world.police_officer, victim(world), address=ADDRESS)
    client.force_login(world.idva)
    assert client.get(f"/safeguarding/referrals/{case.pk}/").status_code == 404
    client.force_login(world.coordinator)
    client.post(f"/safeguarding/referrals/{case.pk}/idva/", {"idva": world.idva.pk, "version": 1})
    case.refresh_from_db()
    assert case.idva == world.idva
    client.force_login(world.idva)
    page = client.get(f"/safeguarding/referrals/{case.pk}/").content.decode()
    assert ADDRESS in page and "Multi-agency safety plan" in page


def test_an_agency_with_no_part_finds_nothing_by_any_url(client, world):
    case = make_referral(world.police_officer, victim(world), address=ADDRESS)
    meeting = hold_meeting(world.coordinator, [case], [world.police, world.housing])
    listed = meeting.listed_cases.get()
    action = safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.housing,
        officer=None,
        description="Secret step",
        due_on=TODAY,
    )
    client.force_login(world.outsider)
    for url in (
        f"/safeguarding/referrals/{case.pk}/",
        f"/safeguarding/meetings/{meeting.pk}/",
        f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/",
        f"/safeguarding/actions/{action.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("/safeguarding/referrals/", "/safeguarding/meetings/", "/safeguarding/actions/"):
        text = client.get(url).content.decode()
        assert case.reference not in text and "Smith-Jones" not in text, url
    assert (
        client.post(
            f"/safeguarding/meetings/{meeting.pk}/change/", {"op": "close", "version": 3}
        ).status_code
        == 403
    )
    assert Meeting.objects.get().status == "open"


def test_the_case_page_is_logged_and_takes_a_constant_number_of_queries(client, world):
    def measure(case):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/safeguarding/referrals/{case.pk}/").status_code == 200
        return len(queries)

    small = make_referral(world.police_officer, victim(world))
    big = make_referral(world.police_officer, victim(world, "Ann", "Lee", date(1980, 1, 2)))
    meeting = hold_meeting(world.coordinator, [small, big], [world.police, world.housing])
    listed = meeting.listed_cases.get(referral=big)
    for number in range(6):
        safety_plans.agree(
            world.coordinator,
            listed,
            agency=world.housing if number % 2 else world.police,
            officer=world.housing_officer if number % 2 else None,
            description=f"Step {number}",
            due_on=TODAY + timedelta(days=number),
        )
    client.force_login(world.coordinator)
    measure(small)  # warm caches (sessions, roles)
    assert measure(small) == measure(big)
    assert AuditEvent.objects.filter(verb="referral.viewed", target_id=str(big.pk)).exists()


def test_the_home_page_asks_for_overdue_actions_and_cases_to_list(client, world):
    case = make_referral(world.police_officer, victim(world), on=TODAY - timedelta(days=20))
    waiting = make_referral(world.police_officer, victim(world, "Ann", "Lee", date(1980, 1, 2)))
    meeting = hold_meeting(world.coordinator, [case], [world.police], on=TODAY - timedelta(days=14))
    safety_plans.agree(
        world.coordinator,
        meeting.listed_cases.get(),
        agency=world.housing,
        officer=None,
        description="Late step",
        due_on=TODAY - timedelta(days=2),
    )
    meetings.close(world.coordinator, meeting, meeting.version)
    client.force_login(world.housing_officer)
    assert "1 safety-plan action overdue" in client.get("/").content.decode()
    client.force_login(world.coordinator)
    page = client.get("/").content.decode()
    assert "1 referral waiting for a meeting" in page
    assert waiting.victim.family_name not in page
