from saferhub.access.permissions import ROLE_ACTIONS, Action, actions_for, can
from saferhub.access.roles import Role


def test_every_role_has_an_entry_and_every_action_a_description():
    assert set(ROLE_ACTIONS) == set(Role)
    for action in Action:
        assert action.description


def test_only_csp_administrators_may_administer(world):
    allowed = {name for name, user in world.users_by_role().items() if can(user, Action.ADMINISTER)}
    assert allowed == {"admin", "stranger"}  # the stranger administers another partnership


def test_a_disabled_user_may_do_nothing(world):
    world.admin.is_active = False
    assert actions_for(world.admin) == frozenset()


def test_a_user_without_roles_may_do_nothing(world):
    world.police_officer.role_assignments.all().delete()
    world.police_officer.__dict__.pop("_role_codes", None)
    assert actions_for(world.police_officer) == frozenset()


def test_roles_add_up(world):
    from saferhub.partnership.services import assign_roles

    assign_roles(world.analyst, [Role.CSP_ANALYST, Role.CSP_ADMIN])
    assert can(world.analyst, Action.ADMINISTER)
    assign_roles(world.analyst, [Role.CSP_ANALYST])
    assert not can(world.analyst, Action.ADMINISTER)
