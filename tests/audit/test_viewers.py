"""Who has viewed this person: audit.queries.viewers_of and its page for administrators."""

from saferhub.audit.models import AuditEvent
from saferhub.audit.queries import viewers_of
from saferhub.audit.services import record
from saferhub.partnership.models import Agency
from saferhub.safeguarding.models import Person
from tests.safeguarding.cases import make_referral, victim


def _url(person) -> str:
    return f"/audit/people/{person.pk}/"


def _case(world):
    referral = make_referral(world.police_officer, victim(world))
    return referral.victim, referral


def test_a_view_through_the_case_page_is_listed(client, world):
    person, referral = _case(world)
    client.force_login(world.police_officer)
    assert client.get(f"/safeguarding/referrals/{referral.pk}/").status_code == 200
    viewed = AuditEvent.objects.filter(verb="referral.viewed").latest("id")
    listed = list(viewers_of(person))
    assert listed == [viewed]
    assert listed[0].actor == world.police_officer and listed[0].agency_code == "police"


def test_every_way_of_consulting_the_person_or_their_cases_is_listed_newest_first(world):
    person, first = _case(world)
    second = make_referral(world.idva, person)
    other_person, other = _case(world)
    ours = [
        record(world.police_officer, "referral.viewed", first, address_shown=True),
        record(world.idva, "referral.viewed", second, address_shown=False),
        record(world.idva, "safety_action.viewed", world.police, referral=second.pk),
        record(world.housing_officer, "research.saved", world.housing, referral=first.pk),
        record(world.coordinator, "person.viewed", person, purpose="subject_access"),
        record(world.coordinator, "person.searched", None, results=2, people=[9999, person.pk]),
        record(world.admin, "person.exported", None, person=person.pk),
        record(world.housing_officer, "referral.break_glass", first, access=1, hours=4),
        # The case list searched and exported with one of their cases in it.
        record(world.coordinator, "referral.searched", None, results=2, referrals=[second.pk]),
        record(world.idva, "referrals.exported", None, referrals=[other.pk, first.pk]),
    ]
    not_ours = [
        # Not consultation: made, changed, listed at a meeting.
        record(world.police_officer, "referral.created", first, status="referred"),
        record(world.coordinator, "referral.idva_assigned", first, idva=world.idva.pk),
        # Someone else's case, search and views.
        record(world.police_officer, "referral.viewed", other),
        record(world.coordinator, "person.searched", None, results=1, people=[other_person.pk]),
        record(world.coordinator, "person.searched", None, results=3),  # ids not recorded
        record(world.coordinator, "referral.searched", None, results=1, referrals=[other.pk]),
        record(world.idva, "referrals.exported", None, referrals=[other.pk]),
        record(world.idva, "safety_action.viewed", world.police, referral=other.pk),
        record(world.police_officer, "person.viewed", other_person),
        # An id that is the person's pk but of another kind of record.
        record(world.police_officer, "agency.viewed", Agency(pk=person.pk)),
    ]
    listed = list(viewers_of(person))
    assert [event.pk for event in listed] == [event.pk for event in reversed(ours)]
    assert not {event.pk for event in not_ours} & {event.pk for event in listed}


def test_a_person_without_referrals_has_only_their_own_entries(world):
    person = victim(world)
    person.save()
    seen = record(world.coordinator, "person.viewed", person)
    assert list(viewers_of(person)) == [seen]


def test_only_csp_administrators_may_see_who_has_viewed_a_person(client, world):
    person, _ = _case(world)
    for name, user in world.users_by_role().items():
        client.force_login(user)
        expected = {"admin": 200, "stranger": 404}.get(name, 403)
        assert client.get(_url(person)).status_code == expected, name


def test_the_page_names_the_person_and_who_viewed_them(client, world):
    person, referral = _case(world)
    client.force_login(world.police_officer)
    client.get(f"/safeguarding/referrals/{referral.pk}/")
    client.force_login(world.admin)
    response = client.get(_url(person))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Who has viewed Zoë Smith-Jones" in page  # administrators see the name here
    assert "Owen Officer" in page and "owen_officer" in page and "Viewed the case" in page
    assert referral.reference in page
    assert "<caption" in page and 'scope="col"' in page
    # Looking is itself recorded, against the person.
    looked = AuditEvent.objects.filter(verb="person.viewers_viewed").latest("id")
    assert looked.actor == world.admin and looked.target_id == str(person.pk)
    assert looked.data == {"entries": 1}
    # ...and is listed the next time: the administrator saw the person's name.
    again = client.get(_url(person))
    assert [entry.pk for entry in again.context["entries"]][0] == looked.pk


def test_missing_people_and_other_partnerships_people_look_the_same(client, world):
    elsewhere = Person.objects.create(
        partnership=world.stranger.agency.partnership,
        given_name="Elsie",
        family_name="Where",
        gender="female",
        ethnicity="not_known",
        lgbt="not_known",
        disabled="not_known",
    )
    client.force_login(world.admin)
    assert client.get(_url(elsewhere)).status_code == 404
    assert client.get("/audit/people/999999/").status_code == 404
    client.force_login(world.stranger)
    assert client.get(_url(elsewhere)).status_code == 200
