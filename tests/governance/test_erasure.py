"""Erasure of one person on request: everything about them as a victim goes, in one
transaction; no copy survives in search, exports or files; the log keeps their id and no
name; a wrong password, the wrong role or an unfinished import erases nothing."""

import json

import pytest
from django.urls import reverse

from saferhub.audit import chain
from saferhub.audit.models import AuditEvent
from saferhub.governance import erasure
from saferhub.safeguarding import people
from saferhub.safeguarding.models import (
    DashAnswer,
    ListedCase,
    Meeting,
    Perpetrator,
    Person,
    Referral,
    ReferralImport,
    Research,
    SafetyAction,
)
from tests.governance import story as s
from tests.world import PASSWORD

ERASE_URL = reverse("erase-person")
NAMED_IN_FILE = (
    "referral_ref,victim_given_name,victim_family_name\n"
    f"H1,{s.VICTIM_GIVEN},{s.VICTIM_FAMILY}\nH2,Someone,Else\n"
).encode()
NOT_NAMED = b"referral_ref,victim_given_name,victim_family_name\nH3,Someone,Else\n"


@pytest.fixture
def told(world):
    return s.tell(world)


def _upload(world, content: bytes, status=ReferralImport.Status.SUCCEEDED) -> ReferralImport:
    return ReferralImport.objects.create(
        partnership=world.partnership,
        started_by=world.coordinator,
        filename="history.csv",
        content=content,
        status=status,
    )


def _erase(client, world, person, **data):
    client.force_login(world.admin)
    fields = {"reason": "person_asked", "reference": "IG-2025-0142", "understood": "on"}
    return client.post(f"{ERASE_URL}?person={person.pk}", {**fields, "password": PASSWORD} | data)


def _about(story) -> dict:
    ids = [referral.pk for referral in story.referrals]
    return {
        Referral: Referral.objects.filter(pk__in=ids),
        DashAnswer: DashAnswer.objects.filter(referral__in=ids),
        Perpetrator: Perpetrator.objects.filter(referral__in=ids),
        ListedCase: ListedCase.objects.filter(referral__in=ids),
        Research: Research.objects.filter(listed_case__referral__in=ids),
        SafetyAction: SafetyAction.objects.filter(referral__in=ids),
        Person: Person.objects.filter(pk=story.person.pk),
    }


def test_the_erase_page_says_what_will_go(client, world, told):
    client.force_login(world.admin)
    response = client.get(f"{ERASE_URL}?person={told.person.pk}")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.referrals, plan.listings, plan.research, plan.actions) == (2, 1, 1, 1)
    assert plan.open_cases == 2
    assert "still open" in response.content.decode()


def test_erasing_a_person_leaves_no_trace(client, world, told):
    named = _upload(world, NAMED_IN_FILE)
    other_file = _upload(world, NOT_NAMED)
    other_before = Referral.objects.get(pk=told.other_referral.pk)
    response = _erase(client, world, told.person)
    assert response.status_code == 200
    done = response.context["done"]
    assert done.passed, done.checks
    page = response.content.decode()
    assert f"P{told.person.pk:06d} erased" in page
    for marker in (s.VICTIM_GIVEN, s.VICTIM_FAMILY, "Hiddenharbour", s.VICTIM_POSTCODE):
        assert marker not in page

    # Everything about her as a victim is gone; the other victim's case and the meeting stay.
    for model, rows in _about(told).items():
        assert not rows.exists(), model.__name__
    assert Referral.objects.get(pk=told.other_referral.pk).version == other_before.version
    assert Perpetrator.objects.filter(referral=told.other_referral).exists()
    assert Meeting.objects.filter(pk=told.meeting.pk).exists()
    assert done.erased["safeguarding.referral"] == sorted(r.pk for r in told.referrals)

    # Search: no one offered, even to the coordinator who sees every case.
    assert not people.find_similar(
        world.coordinator, s.VICTIM_GIVEN, s.VICTIM_FAMILY, s.VICTIM_DOB, s.VICTIM_POSTCODE
    )
    client.force_login(world.admin)
    found = client.post(
        reverse("subject-access"),
        {"kind": "victim", "given_name": s.VICTIM_GIVEN, "family_name": s.VICTIM_FAMILY},
    )
    assert found.context["found"] == []
    # Exports: the referrals list, as the coordinator sees it, and the MARAC return's CSV.
    client.force_login(world.coordinator)
    listed = client.get(reverse("referrals")).content.decode()
    assert s.OTHER_FAMILY in listed  # the list works, and shows the others
    assert s.VICTIM_FAMILY not in listed
    return_csv = client.get(
        reverse("marac-return-export", args=["csv"]), {"from": "2000-01-01", "to": "2100-01-01"}
    )
    assert return_csv.status_code == 200
    assert s.VICTIM_FAMILY.encode() not in return_csv.content
    # Files: the import file naming her is emptied; the other is untouched.
    named.refresh_from_db()
    other_file.refresh_from_db()
    assert bytes(named.content) == b"" and named.problems == []
    assert bytes(other_file.content) == NOT_NAMED
    assert done.files_emptied == [named.pk]


def test_the_log_keeps_the_id_and_no_name(client, world, told):
    _erase(client, world, told.person)
    entry = AuditEvent.objects.get(verb="person.erased")
    assert (entry.target_type, entry.target_id) == ("safeguarding.person", str(told.person.pk))
    assert entry.actor == world.admin
    assert entry.data["reason"] == "person_asked"
    assert entry.data["reference"] == "IG-2025-0142"
    assert entry.data["erased"]["safeguarding.referral"] == sorted(r.pk for r in told.referrals)
    assert all(entry.data["checks"].values())
    # No entry of the whole log, before or after, holds anything of hers.
    logged = json.dumps([event.data for event in AuditEvent.objects.all()], ensure_ascii=False)
    for marker in (
        s.VICTIM_GIVEN,
        s.VICTIM_FAMILY,
        "Hiddenharbour",
        s.VICTIM_POSTCODE,
        s.VICTIM_DOB.isoformat(),
        "Discussionmarker",
        "Researchmarker",
        "Actionmarker",
    ):
        assert marker not in logged, marker
    # Her earlier entries stay: the log is append-only, and still verifies.
    assert AuditEvent.objects.filter(
        target_type="safeguarding.referral", target_id=str(told.referrals[0].pk)
    ).exists()
    assert chain.verify().intact


def test_a_wrong_password_erases_nothing(client, world, told):
    response = _erase(client, world, told.person, password="wrong-password")
    assert response.status_code == 200
    assert "Your password is not right" in response.content.decode()
    for model, rows in _about(told).items():
        assert rows.exists(), model.__name__
    assert not AuditEvent.objects.filter(verb="person.erased").exists()
    assert AuditEvent.objects.filter(
        verb="user.reauthentication_failed", data__purpose="erasure"
    ).exists()


def test_the_reason_and_confirmation_are_required(client, world, told):
    response = _erase(client, world, told.person, reason="", understood="", reference="Jane Doe")
    page = response.content.decode()
    assert "Choose why they are being erased" in page
    assert "Confirm that you understand this cannot be undone" in page
    assert "Enter the reference as letters and numbers" in page  # a name is not a reference
    assert Person.objects.filter(pk=told.person.pk).exists()


def test_only_a_csp_administrator_of_the_partnership_may_erase(client, world, told):
    url = f"{ERASE_URL}?person={told.person.pk}"
    data = {"reason": "person_asked", "understood": "on", "password": PASSWORD}
    for name, user in world.users_by_role().items():
        if name == "admin":
            continue
        client.force_login(user)
        expected = 404 if name == "stranger" else 403
        assert client.get(url).status_code == expected, name
        assert client.post(url, data).status_code == expected, name
    assert Person.objects.filter(pk=told.person.pk).exists()


def test_an_unfinished_import_naming_them_stops_the_erasure(client, world, told):
    running = _upload(world, NAMED_IN_FILE, status=ReferralImport.Status.RUNNING)
    response = _erase(client, world, told.person)
    assert response.status_code == 200
    assert "has not finished" in response.content.decode()
    for model, rows in _about(told).items():
        assert rows.exists(), model.__name__
    running.refresh_from_db()
    assert bytes(running.content) == NAMED_IN_FILE
    assert not AuditEvent.objects.filter(verb="person.erased").exists()


def test_copies_it_cannot_remove_are_reported(world, told):
    """A duplicate record of the same person, and her name in another case's free text, are
    named for the administrator to review; being named as a perpetrator elsewhere is kept."""
    duplicate = s.victim(world, s.VICTIM_GIVEN, s.VICTIM_FAMILY, s.VICTIM_DOB, "LS9 9ZZ")
    duplicate.save()
    listed = ListedCase.objects.get(referral=told.other_referral)
    ListedCase.objects.filter(pk=listed.pk).update(
        discussion=f"Her friend {s.VICTIM_GIVEN} {s.VICTIM_FAMILY} may help"
    )
    Perpetrator.objects.create(
        referral=told.other_referral,
        given_name=s.VICTIM_GIVEN,
        family_name=s.VICTIM_FAMILY,
        gender="female",
    )
    done = erasure.erase(world.admin, told.person, "person_asked")
    checks = {check.what: check for check in done.checks}
    assert not checks["Search"].passed
    assert f"P{duplicate.pk:06d}" in checks["Search"].detail
    assert not checks["Other cases' free text"].passed
    assert f"listed case {listed.pk}" in checks["Other cases' free text"].detail
    assert checks["Named as an alleged perpetrator"].passed
    assert "1 other victim" in checks["Named as an alleged perpetrator"].detail
    assert checks["Exports"].passed and checks["Files"].passed
    assert not done.passed
    entry = AuditEvent.objects.get(verb="person.erased")
    assert entry.data["checks"]["Search"] is False
    assert s.VICTIM_FAMILY not in json.dumps(entry.data)
