"""The canary test: every URL the project defines, requested by a user of every role in an
agency with no part in a case, with the case's own ids and their neighbours, discloses
nothing of it and changes nothing; and a canary id answers exactly as a missing one does.

The canary case has a victim, a restricted address, a perpetrator, a meeting with research
and a discussion, and a safety-plan action with an update: each carries a marker string that
must never appear in a page, a fragment, a download (zip members included) or an e-mail.
"""

import io
import itertools
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.forms.models import model_to_dict

from saferhub.access.roles import Role
from saferhub.partnership.services import assign_roles
from saferhub.safeguarding import meetings, research, safety_plans
from saferhub.safeguarding.models import (
    ListedCase,
    Meeting,
    Perpetrator,
    Person,
    Referral,
    Research,
    SafetyAction,
    SafetyActionUpdate,
)
from tests.access.url_inventory import every_route
from tests.safeguarding.cases import hold_meeting, make_referral, victim
from tests.world import PASSWORD

MARKERS = ("Zephyrine", "Quillfeather", "Canarywharf", "Corvidmagpie", "Nightjarnote")
# A coordinator sees every case of the partnership by design (scopes.py); every other role,
# held in an agency with no part in the case, must see nothing of it.
ROLES = [role for role in Role if role != Role.MARAC_COORDINATOR]
# The CSP administrator's information-governance pages reach every person of the partnership
# by design (subject access, erasure, the audit log), each behind its own permission and,
# for subject access and erasure, a second password check: tests/governance and
# tests/audit cover them. Every other page is swept for the administrator too.
WIDE_BY_DESIGN = {
    Role.CSP_ADMIN: {
        "subject-access",
        "subject-access-person",
        "subject-access-perpetrator",
        "erase-person",
        "audit-log",
        "audit-person",
    }
}
# Routes that would end the session or belong to Django's admin, whose pages hold no case.
SKIPPED = re.compile(r"^(sign-out$|admin:)")
MODELS = (
    Person,
    Referral,
    Perpetrator,
    Meeting,
    ListedCase,
    Research,
    SafetyAction,
    SafetyActionUpdate,
)
POSTS = ("close", "open", "confirm", "add", "research", "action", "discussion", "remove")


@pytest.fixture
def canary(world):
    person = victim(world, "Zephyrine", "Quillfeather", date(1991, 5, 6), "LS6 2QQ")
    case = make_referral(
        world.police_officer,
        person,
        address="1 Canarywharf Close",
        perpetrator=("Corvidmagpie", "Quillfeather"),
        on=date.today() - timedelta(days=10),
    )
    meeting = hold_meeting(world.coordinator, [case], [world.police, world.idva_service])
    listed = meeting.listed_cases.get()
    research.save(
        world.police_officer, listed, holds_information=True, summary="Nightjarnote", version=0
    )
    meetings.record_discussion(world.coordinator, listed, "Nightjarnote discussed", True, 1)
    action = safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.police,
        officer=None,
        description="Nightjarnote action",
        due_on=date.today() - timedelta(days=1),
    )
    safety_plans.update(
        world.police_officer, action, text="Nightjarnote update", complete=False, expected_version=1
    )
    case.idva = world.idva
    case.save()
    return {
        "referral": case,
        "person": person,
        "meeting": meeting,
        "listed": listed,
        "action": action,
        "research": Research.objects.get(),
    }


def _text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body]
    if body[:2] == b"PK":  # XLSX, DOCX, a ZIP: look inside every member
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    return "\n".join(part.decode("utf-8", "replace") for part in parts)


def _fingerprint():
    return {
        model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in MODELS
    }


def _paths(route, ids: list[int]) -> list[str]:
    """The route made concrete with every combination of the candidate ids."""
    names = re.findall(r"<int:(\w+)>", route.pattern)
    if not names:
        return [route.path]
    found = []
    for combination in itertools.product(ids, repeat=len(names)):
        text = route.pattern
        for value in combination:
            text = re.sub(r"<int:\w+>", str(value), text, count=1)
        text = re.sub(r"<(?:\w+:)?\w+>", "police", text)
        found.append("/" + text)
    return found


def test_no_role_of_an_uninvolved_agency_sees_or_changes_the_canary(
    client, world, canary, mailoutbox
):
    canary_ids = sorted({obj.pk for obj in canary.values()})
    ids = sorted({n for pk in canary_ids for n in (pk - 1, pk, pk + 1) if n > 0})
    before = _fingerprint()
    routes = [r for r in every_route() if r.name and not SKIPPED.match(r.name)]
    routes = [r for r in routes if "(?P<" not in r.pattern]
    tried = 0
    for role in ROLES:
        user = world.outsider.__class__.objects.create_user(
            username=f"canary_{role.value}", password=PASSWORD, agency=world.allotments
        )
        assign_roles(user, [role])
        client.force_login(user)
        for route in routes:
            if route.name in WIDE_BY_DESIGN.get(role, ()):
                continue
            for path in _paths(route, ids):
                responses = [client.get(path)]
                if route.name.startswith(("meeting", "listed", "safety", "referral")):
                    responses += [
                        client.post(
                            path,
                            {
                                "op": op,
                                "version": 1,
                                "summary": "x",
                                "holds_information": "yes",
                                "complete": "on",
                                "update": "x",
                                "idva": user.pk,
                                "referral": canary["referral"].pk,
                                "agencies": world.allotments.pk,
                            },
                        )
                        for op in POSTS
                    ]
                for response in responses:
                    tried += 1
                    text = _text_of(response)
                    leaked = [marker for marker in MARKERS if marker in text]
                    assert not leaked, f"{role} {path} {response.status_code}: {leaked}"
            # Denied and missing answer the same.
            if "<int:" in route.pattern:
                for path in _paths(route, canary_ids)[:4]:
                    missing = re.sub(r"/\d+/", "/987654/", path)
                    assert client.get(path).status_code == client.get(missing).status_code, path
        # Pages that pick a person by query string, tried with the canary's id.
        for route in routes:
            if route.name in WIDE_BY_DESIGN[Role.CSP_ADMIN] and "<int:" not in route.pattern:
                if route.name in WIDE_BY_DESIGN.get(role, ()):
                    continue
                for response in (
                    client.get(route.path, {"person": canary["person"].pk}),
                    client.post(route.path, {"person": canary["person"].pk, "password": PASSWORD}),
                ):
                    tried += 1
                    leaked = [m for m in MARKERS if m in _text_of(response)]
                    assert not leaked, f"{role} {route.path}?person=: {leaked}"
        # The search at intake offers no canary.
        fragment = client.get(
            "/safeguarding/people/similar/",
            {
                "given_name": "Zephyrine",
                "family_name": "Quillfeather",
                "date_of_birth": "6/5/1991",
                "postcode": "LS6 2QQ",
            },
        )
        assert not [m for m in MARKERS if m in _text_of(fragment)], role
    assert _fingerprint() == before
    for message in mailoutbox:
        assert not [m for m in MARKERS if m in message.body], message.subject
    assert tried > 1000  # the sweep really ran
