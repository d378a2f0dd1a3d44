"""Scope rules for the partnership's own records (see access.scope)."""

from django.db.models import Q

from saferhub.access import scope
from saferhub.access.roles import Role, in_csp_team
from saferhub.partnership.models import Agency, Team, User

# The directory of partner agencies and their teams is public within the partnership.
scope.rule(Agency)(lambda user: Q(partnership_id=user.agency.partnership_id))
scope.rule(Team)(lambda user: Q(agency__partnership_id=user.agency.partnership_id))


@scope.rule(User)
def _users(user) -> Q:
    """Colleagues in your own agency, plus every agency's leads (the partnership's
    published contacts); the CSP team sees everyone in the partnership."""
    in_partnership = Q(agency__partnership_id=user.agency.partnership_id)
    if in_csp_team(user):
        return in_partnership
    return in_partnership & (
        Q(agency_id=user.agency_id) | Q(role_assignments__role=Role.AGENCY_LEAD)
    )
