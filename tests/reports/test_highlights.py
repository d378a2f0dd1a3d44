"""Highlights: who may write, edit and choose them, and who sees them."""

from datetime import date

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.reports.models import Highlight
from tests.world import World

LIST = "/reports/highlights/2022-25/"
NEW = "/reports/highlights/2022-25/new/"
EVERYONE = {
    "admin",
    "analyst",
    "police_lead",
    "police_officer",
    "coordinator",
    "idva",
    "housing_officer",
    "board_member",
    "outsider",
}
WRITERS = {"admin", "analyst", "police_lead"}


def _highlight(plan, agency, author, included=False, text="Draft words") -> Highlight:
    return Highlight.objects.create(
        priority=plan.abuse,
        agency=agency,
        author=author,
        written_on=date(2023, 9, 1),
        title="A highlight",
        text=text,
        included=included,
    )


def _status(client, user, url, method="get", data=None) -> int:
    client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def test_everyone_in_the_partnership_reads_the_list_and_another_finds_nothing(
    client, world: World, plan
):
    for name, user in world.users_by_role().items():
        expected = 404 if name == "stranger" else 200
        assert _status(client, user, LIST) == expected, name


def test_agency_leads_and_the_csp_team_write_others_may_not(client, world: World, plan):
    for name, user in world.users_by_role().items():
        expected = 200 if name in WRITERS else 404 if name == "stranger" else 403
        assert _status(client, user, NEW) == expected, name


def _form(plan, world, **changes):
    data = {
        "priority": plan.abuse.id,
        "agency": world.police.id,
        "written_on": "2/10/2023",
        "title": "Call handlers trained",
        "text": "We trained **120** call handlers.",
    }
    data.update(changes)
    return data


def test_a_lead_writes_for_their_own_agency_only(client, world: World, plan):
    client.force_login(world.police_lead)
    response = client.post(NEW, _form(plan, world, agency=world.housing.id))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Highlight.objects.exists()
    response = client.post(NEW, _form(plan, world))
    assert response.status_code == 302
    highlight = Highlight.objects.get()
    assert (highlight.agency, highlight.author, highlight.included) == (
        world.police,
        world.police_lead,
        False,
    )
    assert highlight.written_on == date(2023, 10, 2)
    assert AuditEvent.objects.filter(verb="highlight.written").count() == 1


def test_errors_are_summarised_and_what_was_typed_is_kept(client, world: World, plan):
    client.force_login(world.police_lead)
    response = client.post(NEW, _form(plan, world, written_on="31/2/2023", text="  "))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Write a highlight" in page
    assert "There is a problem" in page
    assert 'href="#id_written_on"' in page and 'href="#id_text"' in page
    assert "Enter the date as a day, month and year, like 31/3/2024" in page
    assert "Enter the highlight" in page
    assert 'value="Call handlers trained"' in page and 'value="31/2/2023"' in page
    assert "govuk-input--error" in page and "govuk-textarea--error" in page


def test_the_csp_team_writes_for_any_agency(client, world: World, plan):
    client.force_login(world.analyst)
    assert client.post(NEW, _form(plan, world, agency=world.housing.id)).status_code == 302
    assert Highlight.objects.get().agency == world.housing


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("police_lead", 200),  # their own agency's
        ("analyst", 200),
        ("admin", 200),
        ("board_member", 403),  # reads, never writes
        ("police_officer", 403),
        ("outsider", 403),
        ("stranger", 404),  # another partnership: not even there
    ],
)
def test_who_may_edit_a_police_highlight(client, world: World, plan, name, expected):
    highlight = _highlight(plan, world.police, world.police_lead)
    user = world.users_by_role()[name]
    assert _status(client, user, f"/reports/highlights/{highlight.id}/edit/") == expected


def test_a_lead_cannot_edit_another_agencys_highlight_even_once_included(
    client, world: World, plan
):
    for included in (False, True):
        other = _highlight(plan, world.housing, world.analyst, included=included)
        url = f"/reports/highlights/{other.id}/edit/"
        assert _status(client, world.police_lead, url) == 404
        assert _status(client, world.police_lead, url, "post", {"text": "Mine now"}) == 404
        other.refresh_from_db()
        assert other.text == "Draft words"


def test_an_edit_keeps_to_the_version_it_read(client, world: World, plan):
    highlight = _highlight(plan, world.police, world.police_lead)
    url = f"/reports/highlights/{highlight.id}/edit/"
    client.force_login(world.police_lead)
    assert client.post(url, _form(plan, world, version=1, text="New words")).status_code == 302
    response = client.post(url, _form(plan, world, version=1, text="Stale words"))
    assert "Someone else changed this highlight" in response.content.decode()
    highlight.refresh_from_db()
    assert (highlight.text, highlight.version) == ("New words", 2)


def test_only_the_csp_team_chooses_what_goes_into_the_report(client, world: World, plan):
    highlight = _highlight(plan, world.police, world.police_lead)
    url = f"/reports/highlights/{highlight.id}/include/"
    for name in ("police_lead", "board_member", "outsider"):
        assert _status(client, world.users_by_role()[name], url, "post", {"included": "yes"}) == 403
    assert _status(client, world.stranger, url, "post", {"included": "yes"}) == 404
    assert _status(client, world.analyst, url) == 405
    assert _status(client, world.analyst, url, "post", {"included": "maybe"}) == 400
    assert _status(client, world.analyst, url, "post", {"included": "yes"}) == 302
    highlight.refresh_from_db()
    assert highlight.included
    assert _status(client, world.admin, url, "post", {"included": "no"}) == 302
    highlight.refresh_from_db()
    assert not highlight.included
    verbs = AuditEvent.objects.filter(verb__startswith="highlight.").order_by("id")
    assert list(verbs.values_list("verb", flat=True)) == [
        "highlight.included",
        "highlight.left_out",
    ]


def test_drafts_show_to_their_agency_and_the_csp_team_included_ones_to_all(
    client, world: World, plan
):
    _highlight(plan, world.police, world.police_lead, text="Police draft")
    _highlight(plan, world.police, world.police_lead, included=True, text="Police included")
    for name, user in world.users_by_role().items():
        if name == "stranger":
            continue
        client.force_login(user)
        page = client.get(LIST).content.decode()
        assert "Police included" in page, name
        sees_draft = name in {"admin", "analyst", "police_lead", "police_officer"}
        assert ("Police draft" in page) == sees_draft, name


def test_the_list_escapes_what_was_typed(client, world: World, plan):
    _highlight(plan, world.police, world.police_lead, text="<script>alert(1)</script> **ok**")
    client.force_login(world.analyst)
    page = client.get(LIST).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <strong>ok</strong>" in page


def test_a_highlight_dated_outside_the_strategy_is_refused(client, world: World, plan):
    client.force_login(world.police_lead)
    data = {
        "priority": plan.abuse.id,
        "agency": world.police.id,
        "written_on": "25/11/2026",
        "title": "Late",
        "text": "Words",
    }
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert b"Enter a date within Safer Testford 2022-25" in response.content
    assert not Highlight.objects.exists()
