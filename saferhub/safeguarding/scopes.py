"""Scope rules for safeguarding (see access.scope).

A user sees a case only if their agency referred it, they coordinate MARAC for the
partnership, or they are the IDVA assigned to it. Meetings and actions come later: an
agency invited to the case's meeting, or owning one of its actions, will be further
clauses of `_referral_rule` (the hook below), so every list, search and page follows.
A person is visible when one of their referrals is.
"""

from django.db.models import Q

from saferhub.access import scope
from saferhub.access.roles import Role
from saferhub.safeguarding.models import Person, Referral


@scope.rule(Referral)
def _referral_rule(user) -> Q:
    mine = Q(partnership_id=user.agency.partnership_id)
    if user.has_role(Role.MARAC_COORDINATOR):
        return mine
    return mine & (
        Q(referring_agency_id=user.agency_id) | Q(idva_id=user.pk)
        # Hook for later slices: | Q(meetings__invited_agencies=user.agency_id)
        #                        | Q(safety_actions__owning_agency=user.agency_id)
    )


@scope.rule(Person)
def _person_rule(user) -> Q:
    return Q(pk__in=Referral.objects.filter(_referral_rule(user)).values("victim_id"))
