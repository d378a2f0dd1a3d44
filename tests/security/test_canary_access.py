"""The canary test: every URL the project defines, requested by a user of every role in an
agency with no part in a case, with the case's own ids and their neighbours, discloses
nothing of it and changes nothing; and a canary id answers exactly as a missing one does.

The canary case has a victim, a restricted address, a perpetrator, a meeting with research
and a discussion, and a safety-plan action with an update: each carries a marker string that
must never appear in a page, a fragment, a download (zip members included) or an e-mail.
The case and the sweep live in canary_sweep.py, which bench/access_matrix.py runs on the
region data set too.
"""

import pytest
from django.forms.models import model_to_dict

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
from tests.security.canary_sweep import ROLES, make_canary, make_users, sweep
from tests.world import PASSWORD

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


@pytest.fixture
def canary(world):
    return make_canary(
        world.police_officer, world.coordinator, world.idva, [world.police, world.idva_service]
    )


def _fingerprint():
    return {
        model.__name__: [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in MODELS
    }


def test_no_role_of_an_uninvolved_agency_sees_or_changes_the_canary(
    client, world, canary, mailoutbox
):
    before = _fingerprint()
    users = make_users(world.allotments, PASSWORD, ROLES)
    found = sweep(client, users, canary, password=PASSWORD)
    assert not found.disclosures, "\n".join(str(d) for d in found.disclosures[:20])
    # Denied and missing answer the same.
    assert not found.differing, "\n".join(found.differing[:20])
    assert _fingerprint() == before
    assert found.requests > 1000  # the sweep really ran
    assert len(found.tried) > len(ROLES) * 50
