from decimal import Decimal as D

from saferhub.strategy.models import MeasureValue, PartnerReturn

URL = "/strategy/2022-25/returns/2023-24-q1/"


def _post(client, plan, incidents="420", repeats="126", **extra):
    i, r = f"{plan.incidents.id}_20230401", f"{plan.repeats.id}_20230401"
    version = PartnerReturn.objects.filter(agency__code="police").values_list("version", flat=True)
    data = {
        "version": version[0] if version else 1,
        f"value_{i}": incidents,
        f"value_{r}": repeats,
        f"comment_{i}": "",
        f"comment_{r}": "",
        **extra,
    }
    return client.post(URL, data)


def test_an_agency_lead_saves_then_submits_a_return(client, world, plan):
    client.force_login(world.police_lead)
    page = client.get(URL)
    assert page.status_code == 200 and "Da Incidents, Apr–Jun 2023" in page.content.decode()
    response = _post(client, plan, save="1")
    assert response.status_code == 302
    assert MeasureValue.objects.filter(is_current=True).count() == 2
    response = _post(client, plan, submit="1")
    assert PartnerReturn.objects.get().status == "submitted"
    page = client.get(URL)
    assert b"Submit return" not in page.content  # locked once submitted
    assert b"420" in page.content


def test_bad_figures_are_named_and_what_was_typed_is_kept(client, world, plan):
    client.force_login(world.police_lead)
    response = _post(client, plan, incidents="lots", repeats="-4", save="1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter Da Incidents, Apr–Jun 2023 as a number, like 1,234" in body
    assert "Da Incidents, Apr–Jun 2023: -4 is below 0" not in body
    assert "Da Repeats, Apr–Jun 2023: -4 is below 0: da-repeats is a count figure" in body
    assert 'value="lots"' in body
    assert not MeasureValue.objects.exists()


def test_submitting_with_missing_figures_is_refused_with_names(client, world, plan):
    client.force_login(world.police_lead)
    response = _post(client, plan, repeats="", submit="1")
    assert b"Missing: Da Repeats" in response.content
    assert PartnerReturn.objects.get().status == "draft"
    assert not MeasureValue.objects.exists()  # nothing half-saved


def test_a_stale_form_does_not_overwrite(client, world, plan):
    client.force_login(world.police_lead)
    _post(client, plan, save="1")
    stale = {"version": 1}
    response = _post(client, plan, incidents="999", save="1", **stale)
    assert response.status_code == 302
    assert (
        client.get(URL).content.count(b"Someone else changed Testford Police&#x27;s return for Apr")
        == 1
    )
    assert MeasureValue.objects.get(measure=plan.incidents, is_current=True).value == D(420)


def test_the_analyst_approves_and_sends_back_with_a_reason(client, world, plan):
    client.force_login(world.police_lead)
    _post(client, plan, submit="1")
    client.force_login(world.analyst)
    review = URL + "police/review/"
    ret = PartnerReturn.objects.get()
    bad = client.post(review, {"version": ret.version, "decision": "send_back", "reason": ""})
    assert b"Enter the reason the agency needs to act on" in bad.content
    client.post(review, {"version": ret.version, "decision": "approve"})
    ret.refresh_from_db()
    assert ret.status == "approved" and ret.reviewed_by == world.analyst
    client.post(review, {"version": ret.version, "decision": "send_back", "reason": "Wrong Q"})
    ret.refresh_from_db()
    assert ret.status == "returned" and ret.return_reason == "Wrong Q"
    client.force_login(world.police_lead)
    assert b"Wrong Q" in client.get(URL).content


def test_another_agencys_lead_cannot_touch_the_return(client, world, plan):
    client.force_login(world.police_lead)
    _post(client, plan, submit="1")
    client.force_login(world.housing_officer)
    assert client.get(URL + "police/").status_code == 404
    client.force_login(world.board_member)
    page = client.get(URL + "police/")
    assert page.status_code == 200 and b"420" not in page.content  # not yet approved


def test_only_analysts_review(client, world, plan):
    client.force_login(world.police_lead)
    _post(client, plan, submit="1")
    for user in (world.police_lead, world.board_member, world.admin):
        client.force_login(user)
        assert (
            client.post(URL + "police/review/", {"decision": "approve", "version": 2}).status_code
            == 403
        )
    assert PartnerReturn.objects.get().status == "submitted"


def test_the_returns_index_and_approvals_queue(client, world, plan):
    client.force_login(world.police_lead)
    _post(client, plan, submit="1")
    client.force_login(world.analyst)
    page = client.get("/strategy/2022-25/returns/").content.decode()
    assert "Testford Homes" in page and "Overdue" in page
    assert "Testford Police" in client.get("/approvals/").content.decode()
    home = client.get("/").content.decode()
    assert "1 partner return to approve" in home


def test_a_quarter_that_has_not_ended_takes_no_figures(client, world, plan, monkeypatch):
    import datetime as real_datetime

    class Today(real_datetime.date):
        @classmethod
        def today(cls):
            return real_datetime.date(2023, 6, 15)  # inside 2023/24-Q1

    for module in ("saferhub.strategy.views.returns", "saferhub.strategy.returns"):
        monkeypatch.setattr(f"{module}.date", Today)
    client.force_login(world.police_lead)
    page = client.get(URL).content.decode()
    assert "This quarter has not ended yet" in page and "Submit return" not in page
    assert _post(client, plan, save="1").status_code == 302
    assert not MeasureValue.objects.exists()
