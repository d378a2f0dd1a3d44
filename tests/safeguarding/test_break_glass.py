"""Break-glass: a case outside one's scope, opened with a reason, told and reported."""

from datetime import timedelta

from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.safeguarding import case_access
from saferhub.safeguarding.models import BreakGlassAccess
from tests.safeguarding.cases import make_referral, victim

URL = "/safeguarding/break-glass/"


def test_a_reason_opens_the_case_for_hours_and_tells_the_coordinator(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    world.coordinator.email = "cora@example.org"
    world.coordinator.save()
    world.police_lead.email = "lena@example.org"
    world.police_lead.save()
    case = make_referral(world.police_officer, victim(world))
    client.force_login(world.housing_officer)
    assert client.get(f"/safeguarding/referrals/{case.pk}/").status_code == 404
    response = client.post(URL, {"reference": case.reference, "reason": "short"})
    assert "at least 20 characters" in response.content.decode()
    response = client.post(URL, {"reference": "R999999", "reason": "x" * 30})
    assert "There is no case with this reference" in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    reason = "Tenant reports threats tonight; need risk history"
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(URL, {"reference": case.reference.lower(), "reason": reason})
    assert with_commit["Location"] == f"/safeguarding/referrals/{case.pk}/"
    page = client.get(with_commit["Location"]).content.decode()
    assert "by break-glass access" in page and "Smith-Jones" in page
    event = AuditEvent.objects.get(verb="referral.break_glass")
    assert event.target_id == str(case.pk) and reason not in str(event.data)
    assert sorted(address for m in mailoutbox for address in m.to) == [
        "cora@example.org",
        "lena@example.org",
    ]
    assert "Smith-Jones" not in mailoutbox[0].body and case.reference in mailoutbox[0].body
    # It expires.
    BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    case_access.refresh_case(case.pk)  # the grant's end, as if the hours had passed
    assert client.get(f"/safeguarding/referrals/{case.pk}/").status_code == 404


def test_another_partnerships_case_looks_missing(client, world):
    client.force_login(world.stranger)
    case = make_referral(world.police_officer, victim(world))
    response = client.post(URL, {"reference": case.reference, "reason": "x" * 30})
    assert response.status_code in (200, 403)
    assert not BreakGlassAccess.objects.exists()


def test_administrators_review_every_access(client, world):
    case = make_referral(world.police_officer, victim(world))
    client.force_login(world.housing_officer)
    client.post(URL, {"reference": case.reference, "reason": "Urgent safeguarding concern now"})
    client.force_login(world.admin)
    page = client.get("/safeguarding/break-glass/report/").content.decode()
    assert "Urgent safeguarding concern now" in page and "Hal" in page
    client.force_login(world.coordinator)  # who is told, and reviews
    assert (
        "Urgent safeguarding concern now"
        in client.get("/safeguarding/break-glass/report/").content.decode()
    )
    for user in (world.housing_officer, world.board_member, world.analyst):
        client.force_login(user)
        assert client.get("/safeguarding/break-glass/report/").status_code == 403
    client.force_login(world.board_member)
    assert client.get(URL).status_code == 403
