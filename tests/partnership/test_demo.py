import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from saferhub.access.roles import Role
from saferhub.partnership.demo import DEMO_PASSWORD
from saferhub.partnership.models import Agency, RoleAssignment, Team, User, Ward


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Agency, Team, User, Ward, RoleAssignment))


def test_it_loads_a_leeds_like_partnership_with_every_role(db, capsys):
    call_command("demo")
    assert Agency.objects.count() >= 15 and Ward.objects.count() == 33
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role)
    out = capsys.readouterr().out
    for username in ("admin", "analyst", "police.lead", "coordinator", "idva", "board"):
        assert username in out
    assert User.objects.get(username="idva").check_password(DEMO_PASSWORD)


def test_running_it_twice_duplicates_nothing(db):
    call_command("demo")
    first = _counts()
    call_command("demo")
    assert _counts() == first


def test_it_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        call_command("demo")


def test_every_demo_user_has_the_published_authenticator(db):
    from saferhub.partnership import mfa
    from saferhub.partnership.demo import DEMO_AUTHENTICATOR_KEY, load_demo_partnership

    load_demo_partnership()
    load_demo_partnership()  # again: still the one authenticator each
    for user in User.objects.all():
        assert mfa.secret(mfa.authenticator(user)).replace(" ", "") == DEMO_AUTHENTICATOR_KEY
