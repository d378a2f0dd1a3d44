"""No lost updates: every update of a safety-plan action is kept, a save based on an old
version is refused and the page shows what changed since (keeping what the user typed), and
a refused choice of IDVA says who the case's IDVA is now and whom the user chose."""

from datetime import date, timedelta

import pytest

from saferhub.access import scope
from saferhub.access.roles import Role
from saferhub.partnership.models import User
from saferhub.partnership.services import assign_roles
from saferhub.safeguarding import referrals, safety_plans
from saferhub.safeguarding.models import SafetyAction, SafetyActionUpdate
from tests.safeguarding.cases import hold_meeting, make_referral, victim
from tests.world import PASSWORD

TODAY = date.today()


@pytest.fixture
def action(world) -> SafetyAction:
    case = make_referral(world.police_officer, victim(world))
    meeting = hold_meeting(world.coordinator, [case], [world.police, world.housing])
    return safety_plans.agree(
        world.coordinator,
        meeting.listed_cases.get(),
        agency=world.housing,
        officer=None,
        description="Change the locks",
        due_on=TODAY + timedelta(days=7),
    )


def test_each_update_is_kept_with_who_when_and_the_version_it_made(world, action):
    safety_plans.update(
        world.housing_officer, action, text="Locksmith booked", complete=False, expected_version=1
    )
    safety_plans.update(
        world.coordinator, action, text="Locks changed", complete=True, expected_version=2
    )
    rows = list(safety_plans.history(action))
    assert [(r.version, r.text, r.status) for r in rows] == [
        (3, "Locks changed", SafetyAction.Status.COMPLETE),
        (2, "Locksmith booked", SafetyAction.Status.OPEN),
    ]
    assert [(r.by_user, r.by_agency) for r in rows] == [
        (world.coordinator, world.council),
        (world.housing_officer, world.housing),
    ]
    action.refresh_from_db()
    assert action.version == 3 and action.update == "Locks changed"
    assert rows[0].at == action.updated_at


def test_a_refused_update_writes_no_history_and_carries_what_changed(world, action):
    safety_plans.update(
        world.housing_officer, action, text="Locksmith booked", complete=False, expected_version=1
    )
    with pytest.raises(safety_plans.StaleSafetyAction) as refused:
        safety_plans.update(
            world.coordinator, action, text="Mine", complete=True, expected_version=1
        )
    assert [(c.version, c.by_user, c.text) for c in refused.value.changes] == [
        (2, world.housing_officer, "Locksmith booked")
    ]
    assert SafetyActionUpdate.objects.count() == 1
    action.refresh_from_db()
    assert action.status == SafetyAction.Status.OPEN and action.update == "Locksmith booked"


def test_a_complete_action_takes_no_more_updates(world, action):
    safety_plans.update(
        world.housing_officer, action, text="Locks changed", complete=True, expected_version=1
    )
    with pytest.raises(safety_plans.SafetyPlanError, match="complete") as refused:
        safety_plans.update(
            world.housing_officer, action, text="Reopen", complete=False, expected_version=2
        )
    assert not isinstance(refused.value, safety_plans.StaleSafetyAction)
    action.refresh_from_db()
    assert action.status == SafetyAction.Status.COMPLETE and action.version == 2
    assert SafetyActionUpdate.objects.count() == 1


def test_the_history_is_seen_by_whoever_sees_the_action(world, action):
    safety_plans.update(
        world.housing_officer, action, text="Locksmith booked", complete=False, expected_version=1
    )
    for user, sees in (
        (world.housing_officer, True),  # owns the action
        (world.police_officer, True),  # referred the case
        (world.coordinator, True),
        (world.outsider, False),
        (world.stranger, False),
    ):
        assert scope.visible(user, SafetyActionUpdate.objects.all()).exists() == sees, user


def test_a_second_save_from_the_same_version_is_refused_and_shows_what_changed(
    client, world, action
):
    url = f"/safeguarding/actions/{action.pk}/"
    # Two people open the action at version 1.
    client.force_login(world.housing_officer)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    client.force_login(world.coordinator)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    # The housing officer saves first.
    client.force_login(world.housing_officer)
    first = client.post(url, {"update": "Locksmith booked for <Tuesday>", "version": 1})
    assert first.status_code == 302
    # The coordinator's save, from version 1, is refused and shows what changed.
    client.force_login(world.coordinator)
    response = client.post(
        url, {"update": "Victim told of the new locks", "complete": "on", "version": 1}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and 'href="#what-changed"' in page
    assert "Someone else updated this action while you were writing" in page
    assert 'id="what-changed">What changed while you were writing</h2>' in page
    changed = page.split('id="what-changed"')[1].split('<form method="post"')[0]
    assert "Locksmith booked for &lt;Tuesday&gt;" in changed  # escaped
    assert "Hal Housing, Testford Homes" in changed
    assert "Open" in changed
    # Their own text and tick are kept, against the version they have now seen.
    form = page.split('<form method="post" novalidate>')[1].split("</form>")[0]
    assert "Victim told of the new locks</textarea>" in form
    assert 'name="complete"' in form and "checked" in form
    assert 'name="version" value="2"' in form
    action.refresh_from_db()
    assert action.version == 2 and action.status == SafetyAction.Status.OPEN
    assert action.update == "Locksmith booked for <Tuesday>"
    # Saving again, now from version 2, applies theirs on top.
    again = client.post(
        url, {"update": "Victim told of the new locks", "complete": "on", "version": 2}
    )
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.version == 3 and action.status == SafetyAction.Status.COMPLETE
    # The page lists every update, newest first, to whoever may see the action.
    client.force_login(world.police_officer)
    page = client.get(url).content.decode()
    history = page.split("Updates, newest first")[1]
    assert history.index("Victim told of the new locks") < history.index("Locksmith booked")
    assert "Cora Coordinator, Testford Council Community Safety" in history
    assert "Marked complete" in history


def test_a_refusal_after_the_action_was_completed_still_shows_what_the_user_wrote(
    client, world, action
):
    safety_plans.update(
        world.housing_officer, action, text="Locks changed", complete=True, expected_version=1
    )
    client.force_login(world.coordinator)
    response = client.post(
        f"/safeguarding/actions/{action.pk}/", {"update": "Told the victim", "version": 1}
    )
    page = response.content.decode()
    assert "What changed while you were writing" in page and "Locks changed" in page
    assert "Your update, not saved" in page and "Told the victim" in page
    assert '<form method="post" novalidate>' not in page  # complete: no more updates
    action.refresh_from_db()
    assert action.status == SafetyAction.Status.COMPLETE and action.version == 2


def test_a_refused_idva_says_who_the_idva_is_now_and_whom_the_user_chose(client, world):
    case = make_referral(world.police_officer, victim(world))
    other = User.objects.create_user(
        username="iris_idva",
        password=PASSWORD,
        first_name="Iris",
        last_name="Advocate",
        agency=world.idva_service,
    )
    assign_roles(other, [Role.IDVA])
    # Both opened the case at version 1; the first assigns Ivy.
    referrals.assign_idva(world.coordinator, case, world.idva, 1)
    with pytest.raises(referrals.StaleReferral) as refused:
        referrals.assign_idva(world.coordinator, case, other, 1)
    assert str(refused.value) == (
        "Someone else changed this case while you had it open: its IDVA is now Ivy Idva. "
        "You chose Iris Advocate. Nothing has been saved."
    )
    # Through the page, the message is shown on the case and nothing changes.
    client.force_login(world.coordinator)
    response = client.post(
        f"/safeguarding/referrals/{case.pk}/idva/", {"idva": other.pk, "version": 1}, follow=True
    )
    page = response.content.decode()
    assert "its IDVA is now Ivy Idva. You chose Iris Advocate. Nothing has been saved." in page
    case.refresh_from_db()
    assert case.idva == world.idva and case.version == 2
