from datetime import date

import pytest

from saferhub.audit.models import AuditEvent
from saferhub.safeguarding import people
from tests.safeguarding.cases import make_referral, victim


@pytest.fixture
def zoe(world):
    person = victim(world)
    make_referral(world.police_officer, person, address="Flat 2, 10 Safe Street")
    return person


def _found(user, given="", family="", dob=None, postcode=""):
    return [m.person for m in people.find_similar(user, given, family, dob, postcode)]


@pytest.mark.parametrize(
    ("given", "family", "dob", "postcode"),
    [
        ("zoe", "SMITH-JONES", None, ""),  # case, accents, no date of birth
        ("Zoe", "Smith Jones", None, ""),  # a space for the hyphen
        ("Zoë", "Smyth-Jones", None, ""),  # a typo: sounds the same
        ("Zoe", "Jones", date(1990, 4, 3), ""),  # a different family name, same date of birth
        ("Zoe", "Jones", date(1990, 3, 4), ""),  # day and month transposed
        ("Zoey", "Jones", None, "ls9 1aa"),  # postcode district and a similar given name
    ],
)
def test_the_same_person_is_found_however_typed(world, zoe, given, family, dob, postcode):
    assert _found(world.police_officer, given, family, dob, postcode) == [zoe]


def test_the_reasons_say_why(world, zoe):
    [match] = people.find_similar(world.police_officer, "Zoe", "Smith Jones", date(1990, 3, 4), "")
    assert match.reasons == (
        "Same family name",
        "Same given name",
        "Date of birth with day and month swapped",
    )


def test_someone_else_is_not_offered(world, zoe):
    assert _found(world.police_officer, "Alice", "Brown", date(1980, 1, 1), "LS1 1AA") == []
    # Only a postcode district in common is not enough.
    assert _found(world.police_officer, "", "", None, "LS9 7TF") == []
    # Same family name but a different date of birth and given name.
    assert _found(world.police_officer, "Peter", "Smith-Jones", date(1970, 1, 1), "") == []


def test_one_name_in_common_is_not_enough_once_more_is_typed(world, zoe):
    # While only a family name is typed, it is enough to offer someone.
    assert _found(world.police_officer, "", "Smith-Jones") == [zoe]
    # With a given name too, a second agreement is needed: the family name alone is not it.
    assert _found(world.police_officer, "Peter", "Smith-Jones") == []
    assert _found(world.police_officer, "Peter", "Smith-Jones", None, "LS9 1AA") == [zoe]


def test_the_closest_is_offered_first(world, zoe):
    sister = victim(world, given="Zara", dob=None)
    make_referral(world.police_officer, sister)
    found = _found(world.police_officer, "Zoe", "Smith-Jones", date(1990, 4, 3), "LS9 7TF")
    assert found == [zoe, sister]


def test_visible_people_are_found_behind_many_the_user_may_not_see(world, zoe, monkeypatch):
    # The scope is asked a round of candidates at a time (people.SCOPE_ROUND): someone the
    # user may see is still found when closer matches they may not see fill several rounds.
    for _ in range(3):
        hidden = victim(world, given="Zoe", dob=date(1990, 4, 3))
        make_referral(world.housing_officer, hidden)
    monkeypatch.setattr(people, "SCOPE_ROUND", 1)
    assert _found(world.police_officer, "Zoe", "Smith-Jones", date(1990, 4, 3)) == [zoe]
    assert len(_found(world.coordinator, "Zoe", "Smith-Jones", date(1990, 4, 3))) == 4


def test_only_people_the_user_may_see_are_offered(world, zoe):
    for user in (world.outsider, world.housing_officer, world.stranger):
        assert _found(user, "Zoe", "Smith-Jones") == []
    assert _found(world.coordinator, "Zoe", "Smith-Jones") == [zoe]


def test_a_search_that_finds_someone_is_audited_without_the_terms(world, zoe):
    _found(world.police_officer, "Zoe", "Smith-Jones", date(1990, 4, 3), "LS9 7TF")
    event = AuditEvent.objects.get(verb="person.searched")
    assert event.data == {"results": 1, "people": [zoe.pk]} and event.actor == world.police_officer
    _found(world.police_officer, "Nobody", "Known")
    assert AuditEvent.objects.filter(verb="person.searched").count() == 1


def test_the_fragment_offers_the_person_without_the_address(client, world, zoe):
    client.force_login(world.police_officer)
    response = client.get(
        "/safeguarding/people/similar/", {"given_name": "zoe", "family_name": "smith jones"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "This is the same person: Zoë Smith-Jones" in text and f'value="{zoe.pk}"' in text
    assert "Safe Street" not in text and "7TF" not in text and "LS9" in text


def test_outsiders_cannot_find_the_person_through_the_endpoint(client, world, zoe):
    client.force_login(world.outsider)
    response = client.get(
        "/safeguarding/people/similar/", {"given_name": "Zoe", "family_name": "Smith-Jones"}
    )
    assert "Smith-Jones" not in response.content.decode()
    client.force_login(world.board_member)
    assert client.get("/safeguarding/people/similar/").status_code == 403


def test_keys():
    assert people.fold("Zoë O'Brien-Smith") == "zoeobriensmith"
    assert people.soundex("Smith") == people.soundex("Smyth") == "S530"
    assert people.district("ls97tf") == "LS9" and people.district("M1 1AE") == "M1"
