"""Exporting the case list: password first, marked, neutralised, scoped, the restricted
address only when allowed and asked for, and recorded."""

import csv
import io

from saferhub.audit.models import AuditEvent
from tests.safeguarding.cases import make_referral, victim
from tests.world import PASSWORD

URL = "/safeguarding/referrals/export/"
ADDRESS = "Flat 1, 2 Hidden Mews"


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_the_export_is_marked_scoped_neutralised_and_recorded(client, world):
    mine = make_referral(
        world.police_officer, victim(world, '=HYPERLINK("x")', "Evil"), address=ADDRESS
    )
    make_referral(world.housing_officer, victim(world, "Other", "Case", None))
    client.force_login(world.police_officer)
    response = client.post(URL, {"fmt": "csv", "status": "", "password": PASSWORD})
    assert response.status_code == 200
    assert "OFFICIAL-SENSITIVE" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0] == ["OFFICIAL-SENSITIVE"]
    assert [row[0] for row in rows[3:]] == [mine.reference]  # housing's case is not ours
    assert rows[3][2].startswith("'=HYPERLINK")  # a formula made inert
    assert ADDRESS not in response.content.decode()
    event = AuditEvent.objects.get(verb="referrals.exported")
    assert event.data["referrals"] == [mine.pk] and event.data["address_included"] is False
    assert "Evil" not in str(event.data)


def test_the_address_only_when_the_role_allows_and_the_user_asks(client, world):
    make_referral(world.police_officer, victim(world), address=ADDRESS)
    client.force_login(world.police_officer)  # police DA role: may see the address
    asked = client.post(URL, {"fmt": "csv", "include_address": "on", "password": PASSWORD})
    assert ADDRESS in asked.content.decode("utf-8-sig")
    assert AuditEvent.objects.get(verb="referrals.exported").data["address_included"] is True
    client.force_login(world.police_lead)  # same agency, no address role
    page = client.get(URL).content.decode()
    assert "current addresses" not in page
    sneaked = client.post(URL, {"fmt": "csv", "include_address": "on", "password": PASSWORD})
    assert ADDRESS not in sneaked.content.decode("utf-8-sig")


def test_a_wrong_password_exports_nothing(client, world):
    make_referral(world.police_officer, victim(world))
    client.force_login(world.police_officer)
    response = client.post(URL, {"fmt": "csv", "password": "wrong"})
    assert response.status_code == 200 and "Smith-Jones" not in response.content.decode()
    assert "Your password is not right" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="referrals.exported").exists()
    client.force_login(world.board_member)
    assert client.get(URL).status_code == 403
