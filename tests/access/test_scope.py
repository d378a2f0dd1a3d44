import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from saferhub.access import scope
from saferhub.audit import services as audit
from saferhub.audit.models import AuditEvent
from saferhub.partnership.models import Agency, User


def test_a_model_without_a_rule_shows_nothing(world):
    assert AuditEvent not in scope.registered_models()
    audit.record(None, "test.made")
    assert not scope.visible(world.admin, AuditEvent.objects.all()).exists()


def test_anonymous_and_disabled_users_see_nothing(world):
    assert not scope.visible(AnonymousUser(), Agency.objects.all()).exists()
    world.admin.is_active = False
    assert not scope.visible(world.admin, Agency.objects.all()).exists()


def test_agencies_are_seen_within_the_partnership_only(world):
    seen = set(scope.visible(world.outsider, Agency.objects.all()).values_list("code", flat=True))
    assert seen == {"police", "council", "idva", "housing", "allotments"}
    strangers_view = scope.visible(world.stranger, Agency.objects.all())
    assert list(strangers_view.values_list("name", flat=True)) == ["Elsewhere Police"]


def test_users_see_their_colleagues_and_every_agency_lead(world):
    seen = set(scope.visible(world.police_officer, User.objects.all()).distinct())
    assert seen == {world.police_officer, world.police_lead}
    seen = set(scope.visible(world.housing_officer, User.objects.all()).distinct())
    assert seen == {world.housing_officer, world.police_lead}


def test_the_csp_team_sees_everyone_in_its_partnership_and_no_one_else(world):
    for user in (world.admin, world.analyst):
        seen = set(scope.visible(user, User.objects.all()).distinct())
        assert world.outsider in seen and world.stranger not in seen


def test_get_visible_or_404_answers_missing_and_forbidden_alike(world):
    elsewhere = Agency.objects.get(name="Elsewhere Police")
    with pytest.raises(Http404):
        scope.get_visible_or_404(world.admin, Agency.objects.all(), pk=elsewhere.pk)
    with pytest.raises(Http404):
        scope.get_visible_or_404(world.admin, Agency.objects.all(), pk=999_999)
    assert scope.get_visible_or_404(world.admin, Agency.objects.all(), code="police")


def test_a_model_takes_one_rule_only():
    with pytest.raises(RuntimeError):
        scope.rule(Agency)(lambda user: scope.ALL)
