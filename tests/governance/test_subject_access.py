"""Subject access: a victim's copy holds their own data and no one else's; an alleged
perpetrator's holds the minimum and nothing of the victim; both need the password again,
only a CSP administrator of the partnership may produce them, and each is logged."""

import hashlib
import time
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferhub.audit import chain
from saferhub.audit.models import AuditEvent
from saferhub.governance import subject_access
from saferhub.safeguarding.models import Person
from tests.governance import story as s
from tests.governance.zipped import read
from tests.world import PASSWORD

PERSON_URL = reverse("subject-access-person")
PERPETRATOR_URL = reverse("subject-access-perpetrator")
PERPETRATOR_QUERY = {
    "given_name": s.PERPETRATOR_GIVEN,
    "family_name": s.PERPETRATOR_FAMILY,
    "date_of_birth": "3/3/1980",
}


@pytest.fixture
def told(world):
    return s.tell(world)


def _victim_copy(client, world, person):
    client.force_login(world.admin)
    response = client.post(
        f"{PERSON_URL}?person={person.pk}", {"password": PASSWORD, "identity_checked": "on"}
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    return response


def _perpetrator_copy(client, world, rows):
    client.force_login(world.admin)
    return client.post(
        PERPETRATOR_URL,
        {**PERPETRATOR_QUERY, "password": PASSWORD, "identity_checked": "on", "rows": rows},
    )


def _perpetrator_search(client, world):
    client.force_login(world.admin)
    return client.post(reverse("subject-access"), {**PERPETRATOR_QUERY, "kind": "perpetrator"})


# -- The victim's copy ----------------------------------------------------------------------


def test_the_victims_copy_holds_their_own_data_and_no_third_partys(client, world, told):
    response = _victim_copy(client, world, told.person)
    assert "attachment;" in response["Content-Disposition"]
    assert "OFFICIAL-SENSITIVE" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"
    copy = read(response.content)
    assert sorted(name.rsplit(".", 1)[1] for name in copy.names) == ["json", "pdf", "txt"]
    # No name in the file names.
    assert not [n for n in copy.names if s.VICTIM_GIVEN in n or s.VICTIM_FAMILY in n]

    data = copy.data
    assert data["marking"] == "OFFICIAL-SENSITIVE"
    assert data["person"]["given_name"] == s.VICTIM_GIVEN
    assert data["person"]["date_of_birth"] == s.VICTIM_DOB.isoformat()
    assert data["person"]["postcode"] == s.VICTIM_POSTCODE
    assert data["person"]["current_address"] == s.VICTIM_ADDRESS  # their own address
    assert len(data["referrals"]) == 2
    first, second = data["referrals"]
    assert first["referring_agency"] == "Testford Police"
    assert first["referring_agency_sector"] == "Police"
    assert first["professional_judgement"] == "Escalating coercive control"
    assert len(first["dash_answers"]) == 24
    assert first["dash_answers"][1]["question"] == "Is the victim very frightened?"
    assert first["alleged_perpetrators"].startswith("1 named: withheld")
    meeting = second["meetings"][0]
    assert meeting["discussion"].startswith("Discussionmarker")
    assert meeting["research"][0]["summary"].startswith("Researchmarker")
    assert meeting["research"][0]["agency"] == "Testford Police"
    assert second["safety_plan"][0]["action"] == s.ACTION
    assert second["safety_plan"][0]["latest_update"] == s.UPDATE
    assert {"Referral made", "Safety-plan action agreed", "Agency research recorded"} <= {
        entry["what"] for entry in data["audit"]
    }
    assert all(entry["by"] for entry in data["audit"])
    shared = [e["what"] for e in data["audit"] if e["what"].startswith("Case list confirmed")]
    assert shared == [
        "Case list confirmed: your case shared with the agencies invited: "
        "Testford Homes, Testford Police"
    ]

    # The perpetrator's name is withheld even where free text used it.
    assert "[withheld]" in meeting["discussion"]
    assert "[withheld]" in meeting["research"][0]["summary"]
    assert data["names_withheld_in_free_text"] >= 3
    for marker in s.THIRD_PARTY_MARKERS:
        assert marker not in copy.everything, marker

    # The PDF says the same, marked on every page.
    pdf = "\n".join(copy.pdf_pages)
    for expected in (s.VICTIM_GIVEN, s.VICTIM_FAMILY, "Hiddenharbour", "Discussionmarker"):
        assert expected in pdf, expected
    assert "Is the victim very frightened?" in pdf
    assert len(copy.pdf_pages) >= 3
    for number, page in enumerate(copy.pdf_pages, 1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} is not marked top and bottom"


def test_the_victims_copy_lists_who_viewed_their_case(client, world, told):
    client.force_login(world.police_officer)
    client.get(reverse("referral", args=[told.referrals[1].pk]))
    copy = read(_victim_copy(client, world, told.person).content)
    viewed = [entry for entry in copy.data["audit"] if entry["what"].startswith("Case viewed")]
    assert viewed and viewed[-1]["by"] == "Testford Police"
    assert "your current address was shown" in viewed[-1]["what"]  # a DA officer sees it


def test_the_victims_copy_lists_case_lists_searched_and_exported_with_their_case(
    client, world, told
):
    from saferhub.safeguarding import case_export

    client.force_login(world.police_officer)
    client.get(reverse("referrals"), {"q": s.VICTIM_FAMILY})
    case_export.export(world.police_officer, "csv")
    copy = read(_victim_copy(client, world, told.person).content)
    listed = [e for e in copy.data["audit"] if e["record"] == "A list of records"]
    assert [e["what"] for e in listed] == [
        "Your case was among the results of a search of the case list",
        "Your case was in a list of cases exported",
    ]
    assert {e["by"] for e in listed} == {"Testford Police"}


def test_producing_a_copy_is_logged_with_the_person_id_and_no_content(client, world, told):
    response = _victim_copy(client, world, told.person)
    entry = AuditEvent.objects.get(verb="subject_access.produced")
    assert entry.actor == world.admin
    assert (entry.target_type, entry.target_id) == ("safeguarding.person", str(told.person.pk))
    assert entry.data["referrals"] == 2
    assert len(entry.data["sha256"]) == 64
    assert entry.data["sha256"] == hashlib.sha256(response.content).hexdigest()
    logged = str(entry.data)
    for marker in (s.VICTIM_GIVEN, s.VICTIM_FAMILY, "Hiddenharbour", s.VICTIM_POSTCODE):
        assert marker not in logged
    assert chain.verify().intact


# -- An alleged perpetrator's copy -----------------------------------------------------------


def test_a_perpetrators_copy_holds_the_minimum_and_nothing_of_the_victim(client, world, told):
    page = _perpetrator_search(client, world)
    assert page.status_code == 200
    rows = page.context["named"].matched
    assert len(rows) == 3  # two referrals of Vespertina's, one of Otherlina's
    # The page itself names no victim either.
    for marker in s.VICTIM_MARKERS:
        assert marker not in page.content.decode(), marker

    response = _perpetrator_copy(client, world, [row.pk for row in rows])
    assert response["Content-Type"] == "application/zip"
    copy = read(response.content)
    data = copy.data
    assert data["named_in_referrals"] == 3
    assert data["person"] == {
        "given_name": s.PERPETRATOR_GIVEN,
        "family_name": s.PERPETRATOR_FAMILY,
        "date_of_birth": "1980-03-03",
    }
    assert [row["referring_agency_sector"] for row in data["referrals"]] == [
        "Police",
        "Housing",
        "Police",
    ]
    assert set(data["referrals"][0]) == {
        "referred_on",
        "referring_agency_sector",
        "name_as_recorded",
        "date_of_birth_as_recorded",
        "gender_as_recorded",
    }
    assert "audit" not in data and "meetings" not in copy.json_text
    for marker in s.VICTIM_MARKERS:
        assert marker not in copy.everything, marker
    for page_text in copy.pdf_pages:
        assert page_text.count("OFFICIAL-SENSITIVE") >= 2

    entry = AuditEvent.objects.get(verb="subject_access.produced")
    assert entry.data["request"] == "alleged_perpetrator"
    assert entry.data["perpetrators"] == sorted(row.pk for row in rows)
    assert s.PERPETRATOR_FAMILY not in str(entry.data)


def test_a_perpetrator_is_matched_on_name_and_date_of_birth_only(client, world, told):
    from saferhub.safeguarding.models import Perpetrator

    # Someone of the same name with another date of birth is someone else; one without a
    # date of birth is offered unticked; ids of other rows posted are ignored.
    Perpetrator.objects.filter(referral=told.other_referral).update(date_of_birth=date(1999, 1, 1))
    Perpetrator.objects.filter(referral=told.referrals[0]).update(date_of_birth=None)
    page = _perpetrator_search(client, world)
    named = page.context["named"]
    assert [row.referral_id for row in named.matched] == [told.referrals[1].pk]
    assert [row.referral_id for row in named.no_date_of_birth] == [told.referrals[0].pk]
    someone_else = Perpetrator.objects.get(referral=told.other_referral)
    response = _perpetrator_copy(client, world, [named.matched[0].pk, someone_else.pk])
    assert response["Content-Type"] != "application/zip"  # an id not offered is refused
    response = _perpetrator_copy(client, world, [named.matched[0].pk])
    assert read(response.content).data["named_in_referrals"] == 1


def test_a_perpetrator_search_needs_a_date_of_birth(client, world, told):
    client.force_login(world.admin)
    response = client.post(
        reverse("subject-access"),
        {"kind": "perpetrator", "given_name": "Brontolo", "family_name": "Grimwald"},
    )
    assert response.status_code == 200
    assert "Enter their date of birth" in response.content.decode()


# -- Re-authentication ------------------------------------------------------------------------


def test_a_wrong_password_produces_nothing(client, world, told):
    client.force_login(world.admin)
    response = client.post(
        f"{PERSON_URL}?person={told.person.pk}",
        {"password": "not-my-password", "identity_checked": "on"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Your password is not right" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="subject_access.produced").exists()
    failed = AuditEvent.objects.get(verb="user.reauthentication_failed")
    assert failed.data == {"purpose": "subject_access"}

    response = client.post(f"{PERSON_URL}?person={told.person.pk}", {"identity_checked": "on"})
    assert "Enter your password" in response.content.decode()
    response = _perpetrator_copy(client, world, [])
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(verb="subject_access.produced").exists()


def test_another_users_password_is_not_enough(client, world, told):
    """The password must be the signed-in administrator's own."""
    world.police_officer.set_password("officers-password-1")
    world.police_officer.save()
    client.force_login(world.admin)
    response = client.post(
        f"{PERSON_URL}?person={told.person.pk}",
        {"password": "officers-password-1", "identity_checked": "on"},
    )
    assert response["Content-Type"].startswith("text/html")


# -- Who may ------------------------------------------------------------------------------------


def test_only_a_csp_administrator_of_the_partnership_may(client, world, told):
    person_url = f"{PERSON_URL}?person={told.person.pk}"
    for name, user in world.users_by_role().items():
        client.force_login(user)
        urls = [reverse("subject-access"), person_url, f"{reverse('erase-person')}?person=1"]
        codes = [client.get(url).status_code for url in urls]
        post = client.post(person_url, {"password": PASSWORD, "identity_checked": "on"})
        if name == "admin":
            assert codes[:2] == [200, 200]
            assert post["Content-Type"] == "application/zip"
        elif name == "stranger":  # a CSP administrator of another partnership
            assert codes == [200, 404, 404], codes
            assert post.status_code == 404
        else:
            assert codes == [403, 403, 403], (name, codes)
            assert post.status_code == 403
    assert AuditEvent.objects.filter(verb="subject_access.produced").count() == 1


def test_a_missing_person_and_no_person_answer_404(client, world, told):
    client.force_login(world.admin)
    assert client.get(PERSON_URL).status_code == 404
    assert client.get(f"{PERSON_URL}?person=987654").status_code == 404
    assert client.get(f"{PERSON_URL}?person=abc").status_code == 404


def test_the_search_finds_victims_across_the_partnership_and_logs_a_count(client, world, told):
    client.force_login(world.admin)
    response = client.post(
        reverse("subject-access"),
        {"kind": "victim", "given_name": "vespertina", "family_name": "QUILLON"},
    )
    assert [person.pk for person in response.context["found"]] == [told.person.pk]
    assert response.context["found"][0].referral_count == 2
    entry = AuditEvent.objects.get(verb="subject_access.searched")
    assert entry.data == {"kind": "victim", "results": 1}
    # A name change: the date of birth and the given name still find her.
    response = client.post(
        reverse("subject-access"),
        {
            "kind": "victim",
            "given_name": "Vespertina",
            "family_name": "Newname",
            "date_of_birth": "14/7/1988",
        },
    )
    assert [person.pk for person in response.context["found"]] == [told.person.pk]


# -- The command, and the time it takes ------------------------------------------------------


def test_the_command_writes_the_zip(world, told, tmp_path, capsys):
    out = tmp_path / "sar.zip"
    call_command("subject-access", "--person", str(told.person.pk), "--output", str(out))
    copy = read(out.read_bytes())
    assert copy.data["person"]["family_name"] == s.VICTIM_FAMILY
    entry = AuditEvent.objects.get(verb="subject_access.produced")
    assert entry.actor is None


def test_a_copy_for_a_person_with_ten_referrals_takes_well_under_a_minute(world, told):
    from tests.safeguarding.cases import make_referral

    for days in range(8):
        make_referral(world.idva, told.person, on=date(2020, 1, 1 + days))
    person = Person.objects.get(pk=told.person.pk)
    assert person.referrals.count() == 10
    started = time.perf_counter()
    made = subject_access.produce_for_person(world.admin, person)
    elapsed = time.perf_counter() - started
    assert len(read(made.content).data["referrals"]) == 10
    print(f"\nsubject access copy, 10 referrals: {elapsed:.2f} s, {len(made.content):,} bytes")
    assert elapsed < 20


def test_no_name_or_date_of_birth_is_ever_in_an_address(client, world, told):
    """Searches and a perpetrator's identity travel in POSTs; a GET of the perpetrator's
    page, with or without a query, shows nothing and goes back to the search."""
    page = _perpetrator_search(client, world).content.decode()
    assert 'method="post" action="/governance/subject-access/alleged-perpetrator/"' in page
    assert 'href="/governance/subject-access/person/?person=' not in page
    response = client.get(PERPETRATOR_URL, PERPETRATOR_QUERY)
    assert response.status_code == 302
    assert s.PERPETRATOR_GIVEN not in response["Location"]
    found = client.post(
        reverse("subject-access"), {"kind": "victim", "family_name": s.VICTIM_FAMILY}
    ).content.decode()
    assert f'href="/governance/subject-access/person/?person={told.person.pk}"' in found


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, world, told):
    client.force_login(world.admin)
    url = f"{PERSON_URL}?person={told.person.pk}"
    for _ in range(5):
        client.post(url, {"password": "guess", "identity_checked": "on"})
    response = client.post(url, {"password": PASSWORD, "identity_checked": "on"})
    assert response["Content-Type"].startswith("text/html")
    assert "too many times" in response.content.decode()
    assert AuditEvent.objects.filter(verb="user.reauthentication_failed").count() == 5
