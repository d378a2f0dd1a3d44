"""Meetings: drawing up the case list, confirming it, research, recording and closing."""

from datetime import date, timedelta

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.safeguarding import meetings, research, safety_plans
from saferhub.safeguarding.models import ListedCase, Meeting, Referral
from tests.safeguarding.cases import hold_meeting, make_referral, victim, weekday_on_or_before

TODAY = date.today()


def _weekday(offset: int = 0) -> date:
    return meetings.next_weekday(TODAY + timedelta(days=offset))


def test_eligible_referrals_not_yet_heard_are_proposed_oldest_first(world):
    first = make_referral(world.police_officer, victim(world), on=TODAY - timedelta(days=2))
    second = make_referral(
        world.housing_officer, victim(world, "Ann", "Lee", date(1980, 1, 2)), on=TODAY
    )
    make_referral(world.housing_officer, victim(world, "Bo", "Ng", None), yes=2)  # not eligible
    meeting = meetings.create(world.coordinator, "daily", _weekday(1))
    assert [p.referral for p in meetings.proposals(meeting)] == [first, second]
    meetings.add_to_list(world.coordinator, meeting, [second.pk], meeting.version)
    assert [p.referral for p in meetings.proposals(meeting)] == [first]
    # Listed at a meeting still to sit: not proposed for another one.
    other = meetings.create(world.coordinator, "monthly", _weekday(2))
    assert [p.referral for p in meetings.proposals(other)] == [first]


def test_two_waiting_referrals_of_one_victim_are_proposed_as_such(client, world):
    first = make_referral(world.police_officer, victim(world), on=TODAY - timedelta(days=3))
    repeat = make_referral(world.police_officer, first.victim, on=TODAY)
    other = make_referral(world.police_officer, victim(world, "Ann", "Lee", date(1980, 1, 2)))
    meeting = meetings.create(world.coordinator, "daily", _weekday(1))
    offered = {p.referral: p.same_victim for p in meetings.proposals(meeting)}
    assert offered == {first: (repeat.reference,), repeat: (first.reference,), other: ()}
    client.force_login(world.coordinator)
    page = client.get(f"/safeguarding/meetings/{meeting.pk}/").content.decode()
    assert f"Same victim as {repeat.reference}, also proposed: list them together." in page


def test_daily_meetings_are_on_weekdays_and_one_of_a_kind_a_day(world):
    saturday = TODAY + timedelta(days=(5 - TODAY.weekday()) % 7)
    with pytest.raises(meetings.MeetingError, match="weekdays"):
        meetings.create(world.coordinator, "daily", saturday)
    meetings.create(world.coordinator, "monthly", saturday)
    with pytest.raises(meetings.MeetingError, match="already"):
        meetings.create(world.coordinator, "monthly", saturday)


def test_the_coordinator_orders_the_list(world):
    people = [victim(world, f"V{i}", "Person", date(1990, 1, i + 1)) for i in range(3)]
    cases = [make_referral(world.police_officer, person) for person in people]
    meeting = meetings.create(world.coordinator, "daily", _weekday(1))
    meetings.add_to_list(world.coordinator, meeting, [c.pk for c in cases], meeting.version)
    last = meeting.listed_cases.get(referral=cases[2])
    meetings.move(world.coordinator, meeting, last, -1, meeting.version)
    order = list(meeting.listed_cases.order_by("position").values_list("referral", flat=True))
    assert order == [cases[0].pk, cases[2].pk, cases[1].pk]
    meetings.remove_from_list(world.coordinator, meeting, last, meeting.version)
    assert list(meeting.listed_cases.values_list("position", flat=True)) == [1, 2]


def test_a_stale_version_is_refused(world):
    case = make_referral(world.police_officer, victim(world))
    meeting = meetings.create(world.coordinator, "daily", _weekday(1))
    stale = meeting.version
    meetings.add_to_list(world.coordinator, meeting, [case.pk], stale)
    with pytest.raises(meetings.StaleMeeting):
        meetings.confirm(world.coordinator, meeting, [world.police.pk], stale)


def test_confirming_invites_agencies_who_then_see_the_case(world):
    from saferhub.access import scope

    case = make_referral(world.police_officer, victim(world))
    assert not scope.visible(world.housing_officer, Referral.objects.all()).exists()
    meeting = meetings.create(world.coordinator, "daily", _weekday(1))
    meetings.add_to_list(world.coordinator, meeting, [case.pk], meeting.version)
    assert world.police.pk in meetings.suggested_agencies(meeting)
    meetings.confirm(world.coordinator, meeting, [world.police.pk, world.housing.pk], 2)
    assert scope.visible(world.housing_officer, Referral.objects.all()).get() == case
    assert scope.visible(world.housing_officer, Meeting.objects.all()).get() == meeting
    assert not scope.visible(world.outsider, Meeting.objects.all()).exists()
    assert not scope.visible(world.outsider, Referral.objects.all()).exists()
    event = AuditEvent.objects.get(verb="meeting.confirmed")
    assert event.data["invited"] == ["housing", "police"]
    assert event.data["referrals"] == [case.pk]


def test_a_meeting_opens_on_its_day_not_before(client, world):
    case = make_referral(world.police_officer, victim(world))
    tomorrow = meetings.next_weekday(TODAY + timedelta(days=1))
    meeting = meetings.create(world.coordinator, "daily", tomorrow)
    meetings.add_to_list(world.coordinator, meeting, [case.pk], meeting.version)
    meetings.confirm(world.coordinator, meeting, [world.police.pk], meeting.version)
    with pytest.raises(meetings.MeetingError, match="it can be opened on the day"):
        meetings.open_meeting(world.coordinator, meeting, meeting.version)
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    client.force_login(world.coordinator)
    page = client.get(f"/safeguarding/meetings/{meeting.pk}/").content.decode()
    assert "can be opened on its day" in page and 'value="open"' not in page
    response = client.post(
        f"/safeguarding/meetings/{meeting.pk}/change/",
        {"op": "open", "version": meeting.version},
        follow=True,
    )
    assert "it can be opened on the day" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == "confirmed"


def test_research_is_shared_only_once_the_meeting_opens(world):
    from saferhub.access import scope
    from saferhub.safeguarding.models import Research

    case = make_referral(world.police_officer, victim(world))
    meeting = meetings.create(world.coordinator, "daily", weekday_on_or_before(TODAY))
    meetings.add_to_list(world.coordinator, meeting, [case.pk], meeting.version)
    meetings.confirm(world.coordinator, meeting, [world.police.pk, world.housing.pk], 2)
    listed = meeting.listed_cases.get()
    research.save(
        world.housing_officer, listed, holds_information=True, summary="Tenancy", version=0
    )
    research.save(
        world.police_officer, listed, holds_information=False, summary="ignored", version=0
    )
    assert [r.agency for r in research.visible_for(world.housing_officer, listed)] == [
        world.housing
    ]
    assert research.visible_for(world.coordinator, listed).count() == 2
    meetings.open_meeting(world.coordinator, meeting, meeting.version)
    assert research.visible_for(world.housing_officer, listed).count() == 2
    assert Research.objects.get(agency=world.police).summary == ""
    assert not scope.visible(world.outsider, Research.objects.all()).exists()
    with pytest.raises(research.StaleResearch):  # a colleague saved first
        research.save(world.housing_officer, listed, holds_information=True, summary="x", version=0)


def test_closing_a_meeting_opens_safety_plans_and_returns_cases_not_heard(world):
    heard_case = make_referral(world.police_officer, victim(world))
    later = make_referral(world.police_officer, victim(world, "Ann", "Lee", date(1980, 1, 2)))
    no_actions = make_referral(world.police_officer, victim(world, "Cy", "Oak", date(1970, 3, 4)))
    meeting = hold_meeting(world.coordinator, [heard_case, later, no_actions], [world.police])
    listed = {item.referral_id: item for item in meeting.listed_cases.all()}
    safety_plans.agree(
        world.coordinator,
        listed[heard_case.pk],
        agency=world.housing,
        officer=world.housing_officer,
        description="Target-harden the home",
        due_on=TODAY + timedelta(days=14),
    )
    meetings.record_discussion(world.coordinator, listed[no_actions.pk], "Discussed", True, 1)
    meetings.close(world.coordinator, meeting, meeting.version)
    heard_case.refresh_from_db(), later.refresh_from_db(), no_actions.refresh_from_db()
    assert heard_case.status == Referral.Status.OPEN and heard_case.heard_on == meeting.held_on
    assert no_actions.status == Referral.Status.CLOSED and no_actions.heard_on == meeting.held_on
    assert later.status == Referral.Status.REFERRED and later.heard_on is None
    # The housing agency owns an action: it now sees the case.
    from saferhub.access import scope

    assert heard_case in scope.visible(world.housing_officer, Referral.objects.all())
    next_meeting = meetings.create(world.coordinator, "daily", _weekday(3))
    assert [p.referral for p in meetings.proposals(next_meeting)] == [later]


def test_overdue_actions_go_back_on_the_next_list_and_completion_closes_the_case(world):
    case = make_referral(world.police_officer, victim(world), on=TODAY - timedelta(days=40))
    meeting = hold_meeting(world.coordinator, [case], [world.police], on=TODAY - timedelta(days=35))
    listed = meeting.listed_cases.get()
    action = safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.police,
        officer=None,
        description="Arrest and bail conditions",
        due_on=TODAY - timedelta(days=7),
    )
    meetings.close(world.coordinator, meeting, meeting.version)
    upcoming = meetings.create(world.coordinator, "daily", _weekday(1))
    proposed = meetings.proposals(upcoming)
    assert [(p.referral, p.why, p.overdue_actions) for p in proposed] == [
        (case, ListedCase.Why.OVERDUE_ACTIONS, 1)
    ]
    with pytest.raises(safety_plans.SafetyPlanError):
        safety_plans.update(
            world.housing_officer, action, text="x", complete=True, expected_version=1
        )
    safety_plans.update(world.police_lead, action, text="Done", complete=True, expected_version=1)
    case.refresh_from_db()
    assert case.status == Referral.Status.CLOSED and case.closed_on == TODAY
    with pytest.raises(safety_plans.StaleSafetyAction):
        safety_plans.update(
            world.police_lead, action, text="again", complete=True, expected_version=1
        )


def test_a_repeat_reopens_the_closed_case(world):
    person = victim(world)
    first = make_referral(world.police_officer, person, on=TODAY - timedelta(days=60))
    meeting = hold_meeting(
        world.coordinator, [first], [world.police], on=TODAY - timedelta(days=55)
    )
    meetings.record_discussion(world.coordinator, meeting.listed_cases.get(), "No actions", True, 1)
    meetings.close(world.coordinator, meeting, meeting.version)
    first.refresh_from_db()
    assert first.status == Referral.Status.CLOSED
    repeat = make_referral(world.police_officer, person, on=TODAY)
    first.refresh_from_db()
    assert repeat.is_repeat and repeat.repeat_of == first
    assert first.status == Referral.Status.OPEN and first.closed_on is None
    assert AuditEvent.objects.filter(verb="referral.reopened", target_id=str(first.pk)).exists()
    # The case (the chain) closes again once the repeat is heard with nothing left open.
    second = hold_meeting(world.coordinator, [repeat], [world.police], on=TODAY)
    meetings.record_discussion(world.coordinator, second.listed_cases.get(), "Heard", True, 1)
    meetings.close(world.coordinator, second, second.version)
    first.refresh_from_db(), repeat.refresh_from_db()
    assert first.status == repeat.status == Referral.Status.CLOSED


def test_overdue_actions_are_emailed_once_to_their_officer_or_the_agency_leads(world, mailoutbox):
    from saferhub.strategy.reminders import send_reminders

    world.housing_officer.email = "hal@example.org"
    world.housing_officer.save()
    world.police_lead.email = "lena@example.org"
    world.police_lead.save()
    case = make_referral(world.police_officer, victim(world), on=TODAY - timedelta(days=30))
    meeting = hold_meeting(world.coordinator, [case], [world.police], on=TODAY - timedelta(days=28))
    listed = meeting.listed_cases.get()
    for agency, officer in ((world.housing, world.housing_officer), (world.police, None)):
        safety_plans.agree(
            world.coordinator,
            listed,
            agency=agency,
            officer=officer,
            description="Secret words about Zoë",
            due_on=TODAY - timedelta(days=1),
        )
    summary = send_reminders(TODAY)
    assert summary.sent["safety_action_overdue"] == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["hal@example.org", "lena@example.org"]
    for message in mailoutbox:
        assert case.reference in message.body
        assert "Zo" not in message.body and "Secret" not in message.body
    assert send_reminders(TODAY).sent["safety_action_overdue"] == 0
