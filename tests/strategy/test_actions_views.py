from datetime import date, timedelta

from saferhub.strategy.models import Action, ProgressUpdate


def test_the_owner_adds_progress_and_completes(client, world, plan):
    client.force_login(world.police_lead)
    url = f"/actions/{plan.action.id}/"
    page = client.get(url)
    assert b"Overdue" in page.content
    response = client.post(url, {"version": 1, "status": "done", "text": "All trained."})
    assert response.status_code == 302
    plan.action.refresh_from_db()
    assert plan.action.status == "done" and plan.action.completed_on == date.today()
    assert ProgressUpdate.objects.get().text == "All trained."


def test_a_second_save_on_an_old_copy_is_refused(client, world, plan):
    client.force_login(world.police_lead)
    url = f"/actions/{plan.action.id}/"
    client.post(url, {"version": 1, "status": "on_track", "text": "Half done."})
    response = client.post(url, {"version": 1, "status": "done", "text": "Done."})
    assert b"Someone else updated this action" in response.content
    assert b"Done." in response.content  # what they typed is kept
    assert ProgressUpdate.objects.count() == 1


def test_others_read_but_cannot_update(client, world, plan):
    url = f"/actions/{plan.action.id}/"
    for user in (world.housing_officer, world.board_member, world.police_officer):
        client.force_login(user)
        assert client.get(url).status_code == 200
        assert b"Add a progress update" not in client.get(url).content
        assert client.post(url, {"version": 1, "status": "done", "text": "x"}).status_code == 403
    client.force_login(world.stranger)
    assert client.get(url).status_code == 404


def test_an_agency_lead_adds_actions_for_their_own_agency_only(client, world, plan):
    client.force_login(world.police_lead)
    data = {
        "priority": plan.abuse.id,
        "title": "Audit DASH quality",
        "owning_agency": world.housing.id,
        "owner": "",
        "due_on": (date.today() + timedelta(days=30)).strftime("%d/%m/%Y"),
    }
    response = client.post("/strategy/2022-25/actions/new/", data)
    assert (
        response.status_code == 200
        and b"Choose one of the owning agency offered" in response.content
    )
    data["owning_agency"] = world.police.id
    assert client.post("/strategy/2022-25/actions/new/", data).status_code == 302
    assert Action.objects.filter(title="Audit DASH quality", owning_agency=world.police).exists()
    client.force_login(world.board_member)
    assert client.get("/strategy/2022-25/actions/new/").status_code == 403


def test_accountability_lists_overdue_actions_and_missing_returns(client, world, plan):
    client.force_login(world.board_member)
    page = client.get("/strategy/2022-25/accountability/").content.decode()
    assert "Testford Police: 1 overdue action" in page
    assert "Train call handlers in DASH" in page
    assert "missing return" in page
    client.force_login(world.police_officer)
    assert client.get("/strategy/2022-25/accountability/").status_code == 403
