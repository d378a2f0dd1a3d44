"""The audit log search page: CSP administrators only, their partnership only, recorded."""

import html
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from saferhub.access.permissions import Action, can
from saferhub.audit import queries
from saferhub.audit.append_only import maintenance
from saferhub.audit.models import AuditEvent
from saferhub.audit.services import record

URL = "/audit/"


def test_only_csp_administrators_may_search_the_log(client, world):
    for name, user in world.users_by_role().items():
        client.force_login(user)
        expected = 200 if name in {"admin", "stranger"} else 403
        assert client.get(URL).status_code == expected, name
    allowed = {
        name for name, user in world.users_by_role().items() if can(user, Action.VIEW_AUDIT_LOG)
    }
    assert allowed == {"admin", "stranger"}  # the stranger administers another partnership


def test_the_navigation_links_to_the_log_for_administrators_only(client, world):
    client.force_login(world.admin)
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(world.coordinator)
    assert 'href="/audit/"' not in client.get("/").content.decode()


def _entries(world):
    """Entries by police and housing users, and one by another partnership's user."""
    seen = record(world.police_officer, "referral.viewed", world.police, address_shown=True)
    saved = record(world.housing_officer, "research.saved", world.housing, referral=7)
    elsewhere = record(world.stranger, "referral.viewed", world.police, address_shown=False)
    return seen, saved, elsewhere


def _rows(response) -> str:
    return response.content.decode().split("<tbody", 1)[-1]


def test_the_log_shows_the_partnerships_entries_newest_first(client, world):
    seen, saved, elsewhere = _entries(world)
    client.force_login(world.admin)
    response = client.get(URL)
    assert response.status_code == 200
    entries = [entry.pk for entry in response.context["entries"]]
    assert entries.index(saved.pk) < entries.index(seen.pk)  # newest first
    assert elsewhere.pk not in entries  # another partnership's user
    assert entries == sorted(entries, reverse=True)
    page = response.content.decode()
    assert "<caption" in page and 'scope="col"' in page
    assert "owen_officer" in page and "research.saved" in page
    assert "&quot;referral&quot;: 7" in page  # data shown as JSON (escaped)
    # The other partnership's administrator sees theirs only.
    client.force_login(world.stranger)
    theirs = [entry.pk for entry in client.get(URL).context["entries"]]
    assert elsewhere.pk in theirs and seen.pk not in theirs


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "owen_officer"}, {"seen"}),
        ({"agency": "housing"}, {"saved"}),
        ({"verb": "research.saved"}, {"saved"}),
        ({"target_type": "partnership.agency", "target_id": "POLICE_ID"}, {"seen"}),
        ({"user": "owen_officer", "verb": "research.saved"}, set()),
    ],
)
def test_filters(client, world, query, expected):
    seen, saved, _ = _entries(world)
    query = {k: str(world.police.pk) if v == "POLICE_ID" else v for k, v in query.items()}
    client.force_login(world.admin)
    response = client.get(URL, query)
    assert response.status_code == 200 and not response.context["form"].errors
    found = {entry.pk for entry in response.context["entries"]}
    names = {"seen": seen.pk, "saved": saved.pk}
    assert found & set(names.values()) == {names[name] for name in expected}


def test_the_date_range_is_in_utc_days_both_included(world):
    seen, *_ = _entries(world)
    day = seen.at.astimezone(UTC).date()
    found = queries.search(world.partnership.pk, queries.Filters(start=day, end=day))
    assert seen in found
    before = queries.Filters(end=day.replace(year=day.year - 1))
    after = queries.Filters(start=day.replace(year=day.year + 1))
    assert seen not in queries.search(world.partnership.pk, before)
    assert seen not in queries.search(world.partnership.pk, after)


def test_the_date_range_through_the_page(client, world):
    seen, *_ = _entries(world)
    day = seen.at.astimezone(UTC).date()
    client.force_login(world.admin)
    found = client.get(URL, {"start": f"{day:%d/%m/%Y}", "end": f"{day:%d/%m/%Y}"})
    assert seen.pk in {entry.pk for entry in found.context["entries"]}
    none = client.get(URL, {"start": "1/1/2001", "end": "31/12/2001"})
    assert none.context["entries"] == [] and "No entries match" in none.content.decode()


def test_times_are_shown_in_utc_and_local_time(client, world):
    event = record(world.police_officer, "referral.viewed", world.police)
    summer = datetime(2025, 7, 1, 12, 30, tzinfo=UTC)
    with transaction.atomic(), maintenance(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET at = %s WHERE id = %s", [summer, event.pk])
    client.force_login(world.admin)
    page = client.get(URL, {"user": "owen_officer"}).content.decode()
    assert "1 Jul 2025, 12:30:00" in page and "1 Jul 2025, 13:30:00 BST" in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"user": "nobody_here"}, "user", "no user with this username"),
        ({"user": "sam_stranger"}, "user", "no user with this username"),  # not ours
        ({"start": "31/2/2025"}, "start", "real date"),
        ({"start": "2/1/2025", "end": "1/1/2025"}, "end", "same as or after"),
        ({"target_id": "12"}, "target_type", "Choose the record type"),
        ({"verb": "made.up"}, "verb", "Choose one of the options"),
    ],
)
def test_bad_filters_are_named_and_nothing_is_shown(client, world, query, field, message):
    _entries(world)
    client.force_login(world.admin)
    before = AuditEvent.objects.filter(verb="audit.searched").count()
    response = client.get(URL, query)
    page = response.content.decode()
    assert response.status_code == 200 and field in response.context["form"].errors
    assert message in page and "There is a problem" in page and "<title>Error:" in page
    assert response.context["page"] is None
    assert AuditEvent.objects.filter(verb="audit.searched").count() == before


def test_a_search_is_recorded_with_its_filters_as_ids(client, world):
    _entries(world)
    client.force_login(world.admin)
    client.get(URL, {"user": "owen_officer", "agency": "police", "start": "1/1/2025"})
    searched = AuditEvent.objects.filter(verb="audit.searched").latest("id")
    assert searched.actor == world.admin and searched.agency_code == "council"
    assert searched.target_type == "partnership.partnership"
    assert searched.data == {
        "filters": {
            "user": world.police_officer.pk,  # the id, not the username
            "agency": "police",
            "from": "2025-01-01",
        },
        "page": 1,
    }


def test_fifty_entries_a_page(client, world):
    for n in range(55):
        record(world.police_officer, "test.made", None, n=n)
    client.force_login(world.admin)
    first = client.get(URL, {"verb": "test.made"})
    assert len(first.context["entries"]) == 50
    assert first.context["page"].paginator.count == 55
    page = first.content.decode()
    assert "Older" in page and "page=2" in page and "verb=test.made" in page
    second = client.get(URL, {"verb": "test.made", "page": "2"})
    assert [e.data for e in second.context["entries"]] == [
        f'{{"n": {n}}}' for n in range(4, -1, -1)
    ]
    assert AuditEvent.objects.filter(verb="audit.searched").latest("id").data["page"] == 2


def test_the_verb_and_record_type_choices_are_those_in_the_log(world):
    _entries(world)
    verbs = queries.verbs_present()
    assert verbs == sorted(set(AuditEvent.objects.values_list("verb", flat=True)))
    assert "research.saved" in verbs
    types = queries.target_types_present()
    assert "partnership.agency" in types and "" not in types


def test_a_person_target_links_to_who_has_viewed_them(client, world):
    from tests.safeguarding.cases import make_referral, victim

    referral = make_referral(world.police_officer, victim(world))
    record(world.police_officer, "person.viewed", referral.victim)
    client.force_login(world.admin)
    page = client.get(URL, {"verb": "person.viewed"}).content.decode()
    assert f'href="/audit/people/{referral.victim.pk}/"' in page
    assert "Smith-Jones" not in page  # the log page never shows a name


def test_a_long_list_of_ids_shows_its_first_ten_and_a_count(client, world):
    record(
        world.police_officer, "referrals.exported", None, format="csv", referrals=[*range(1, 12001)]
    )
    record(world.police_officer, "referral.searched", None, results=3, referrals=[4, 5, 6])
    client.force_login(world.admin)
    page = html.unescape(client.get(URL).content.decode())
    assert '"referrals": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … 11,990 more: 12,000 in all]' in page
    assert '"referrals": [4, 5, 6]' in page and "11999" not in page
