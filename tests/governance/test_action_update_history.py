"""The history of a safety-plan action's updates is free text about a victim, treated like
the action's own text: given in her subject access copy (the agency, never the member of
staff; other people's names withheld), erased with her, checked for her name in other
cases' updates on erasure, and erased with an expired case by retention."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from saferhub.governance import document, erasure, retention, subject_access
from saferhub.safeguarding import safety_plans
from saferhub.safeguarding.models import ListedCase, Referral, SafetyAction, SafetyActionUpdate
from tests.governance import story as s
from tests.safeguarding.cases import hold_meeting, make_referral, victim

TODAY = date.today()


@pytest.fixture
def told(world):
    return s.tell(world)


def _her_action(told) -> SafetyAction:
    return SafetyAction.objects.get(referral=told.referrals[1])


def test_her_copy_gives_every_update_by_agency_with_other_peoples_names_withheld(world, told):
    action = _her_action(told)
    safety_plans.update(
        world.police_officer,
        action,
        text=f"{s.PERPETRATOR_FAMILY} seen near the house; locks checked",
        complete=False,
        expected_version=action.version,
    )
    content = subject_access.victim_content(told.person, timezone.now())
    updates = content["referrals"][1]["safety_plan"][0]["updates"]
    assert [(u["agency"], u["status"]) for u in updates] == [
        ("Testford Police", "Open"),
        ("Testford Police", "Open"),
    ]
    assert updates[0]["update"] == s.UPDATE  # oldest first
    assert updates[1]["update"] == "[withheld] seen near the house; locks checked"
    assert updates[0]["at"].endswith("+00:00")
    text = json.dumps(updates)
    for third_party in s.THIRD_PARTY_MARKERS:
        assert third_party not in text, third_party
    # The PDF's page gives them too, in a table of their own.
    page = document.render_html(content)
    assert "Updates to the actions" in page
    assert "[withheld] seen near the house; locks checked" in page


def test_erasing_her_erases_her_actions_updates(world, told):
    ids = list(
        SafetyActionUpdate.objects.filter(action__referral__victim=told.person).values_list(
            "pk", flat=True
        )
    )
    assert ids
    done = erasure.erase(world.admin, told.person, "person_asked")
    assert done.passed, done.checks
    assert not SafetyActionUpdate.objects.filter(pk__in=ids).exists()
    assert done.erased["safeguarding.safetyactionupdate"] == sorted(ids)
    assert ("Safety-plan action updates", len(ids)) in done.named_counts()


def test_her_name_in_another_cases_update_is_reported(world, told):
    listed = ListedCase.objects.get(referral=told.other_referral)
    other_action = safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.housing,
        officer=None,
        description="Move to a safe flat",
        due_on=TODAY + timedelta(days=7),
    )
    safety_plans.update(
        world.housing_officer,
        other_action,
        text=f"Her friend {s.VICTIM_GIVEN} {s.VICTIM_FAMILY} helped with the move",
        complete=False,
        expected_version=1,
    )
    update = SafetyActionUpdate.objects.get(action=other_action)
    done = erasure.erase(world.admin, told.person, "person_asked")
    checks = {check.what: check for check in done.checks}
    assert not checks["Other cases' free text"].passed
    assert f"safety-plan action update {update.pk}" in checks["Other cases' free text"].detail
    assert SafetyActionUpdate.objects.filter(pk=update.pk).exists()  # another case's record


def test_retention_erases_an_expired_cases_updates(world):
    person = victim(world, "Oldcase", "Person", date(1970, 1, 1), "LS1 1AA")
    case = make_referral(world.police_officer, person, on=TODAY - timedelta(days=8 * 366))
    meeting = hold_meeting(
        world.coordinator, [case], [world.police], on=TODAY - timedelta(days=8 * 366 - 7)
    )
    action = safety_plans.agree(
        world.coordinator,
        meeting.listed_cases.get(),
        agency=world.police,
        officer=None,
        description="Old action",
        due_on=TODAY - timedelta(days=7 * 366),
    )
    safety_plans.update(
        world.police_officer, action, text="Done long ago", complete=True, expected_version=1
    )
    Referral.objects.filter(pk=case.pk).update(
        status=Referral.Status.CLOSED, closed_on=TODAY - timedelta(days=7 * 366)
    )
    update = SafetyActionUpdate.objects.get(action=action)
    assert retention.run(TODAY, dry_run=True).erased["safeguarding.safetyactionupdate"] == [
        update.pk
    ]
    assert SafetyActionUpdate.objects.filter(pk=update.pk).exists()
    outcome = retention.run(TODAY)
    assert outcome.erased["safeguarding.safetyactionupdate"] == [update.pk]
    assert not SafetyActionUpdate.objects.exists()
