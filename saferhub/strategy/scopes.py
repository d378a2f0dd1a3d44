"""Scope rules for the strategy (see access.scope).

The strategy, its measures, targets and actions are open to the whole
partnership. Figures are not: a value shows to other agencies only once its
return is approved; the CSP team, who approve them, see all.
"""

from django.db.models import Q

from saferhub.access import scope
from saferhub.access.roles import Role, in_csp_team
from saferhub.strategy.models import (
    Action,
    ExternalObjective,
    ExternalPlan,
    Measure,
    MeasureValue,
    Outcome,
    PartnerReturn,
    Priority,
    ProgressUpdate,
    Strategy,
    Target,
)


def _partnership(user) -> int:
    return user.agency.partnership_id


scope.rule(Strategy)(lambda user: Q(partnership_id=_partnership(user)))
scope.rule(Priority)(lambda user: Q(strategy__partnership_id=_partnership(user)))
scope.rule(Outcome)(lambda user: Q(priority__strategy__partnership_id=_partnership(user)))
scope.rule(Measure)(lambda user: Q(strategy__partnership_id=_partnership(user)))
scope.rule(Target)(lambda user: Q(measure__strategy__partnership_id=_partnership(user)))
scope.rule(ExternalPlan)(lambda user: Q(partnership_id=_partnership(user)))
scope.rule(ExternalObjective)(lambda user: Q(plan__partnership_id=_partnership(user)))
scope.rule(Action)(lambda user: Q(priority__strategy__partnership_id=_partnership(user)))
scope.rule(ProgressUpdate)(
    lambda user: Q(action__priority__strategy__partnership_id=_partnership(user))
)


@scope.rule(PartnerReturn)
def _returns(user) -> Q:
    """The CSP team and the board follow every agency's returns; others their own."""
    mine = Q(strategy__partnership_id=_partnership(user))
    if in_csp_team(user) or user.has_role(Role.BOARD_MEMBER):
        return mine
    return mine & Q(agency_id=user.agency_id)


@scope.rule(MeasureValue)
def _values(user) -> Q:
    mine = Q(measure__strategy__partnership_id=_partnership(user))
    if in_csp_team(user):
        return mine
    return mine & (
        Q(partner_return__status=PartnerReturn.Status.APPROVED)
        | Q(partner_return__agency_id=user.agency_id)
    )
