"""What a role may do: one table, one question (`can`).

Which records a user may see is a different question, answered by access.scope.
A view usually asks both: `can(user, Action.X)` for the verb, then
`scope.visible(user, queryset)` for the nouns.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from saferhub.access.roles import Role


class Action(StrEnum):
    VIEW_PARTNERSHIP = "partnership.view"
    ADMINISTER = "partnership.administer"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    Action.VIEW_PARTNERSHIP: "See the partner agencies, their teams and their leads",
    Action.ADMINISTER: "Set up the partnership: agencies, teams, users and their roles",
}


_EVERYONE = frozenset({Action.VIEW_PARTNERSHIP})

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.CSP_ADMIN: _EVERYONE | {Action.ADMINISTER},
    Role.CSP_ANALYST: _EVERYONE,
    Role.AGENCY_LEAD: _EVERYONE,
    Role.MARAC_COORDINATOR: _EVERYONE,
    Role.IDVA: _EVERYONE,
    Role.AGENCY_REP: _EVERYONE,
    Role.BOARD_MEMBER: _EVERYONE,
}


def actions_for(user) -> frozenset[Action]:
    """Every action the user's roles allow; nothing for an inactive or anonymous user."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    allowed: set[Action] = set()
    for code in user.role_codes:
        allowed |= ROLE_ACTIONS[Role(code)]
    return frozenset(allowed)


def can(user, action: Action) -> bool:
    return action in actions_for(user)


def require(user, action: Action) -> None:
    """Raise PermissionDenied (403) unless the user may do the action."""
    if not can(user, action):
        raise PermissionDenied
