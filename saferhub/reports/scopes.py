"""Scope rules for the reports app (see access.scope).

Highlights: the CSP team, who choose what goes into the report, see every highlight of
the partnership; everyone else sees their own agency's, and any other agency's once it
has been included in the report (the report itself shows them to everyone).
"""

from django.db.models import Q

from saferhub.access import scope
from saferhub.access.roles import in_csp_team
from saferhub.reports.models import GeneratedReport, Highlight


@scope.rule(Highlight)
def _highlights(user) -> Q:
    mine = Q(priority__strategy__partnership_id=user.agency.partnership_id)
    if in_csp_team(user):
        return mine
    return mine & (Q(agency_id=user.agency_id) | Q(included=True))


# A generated report holds approved figures only, as the report page does: everyone in
# the partnership who may read reports may read the files.
scope.rule(GeneratedReport)(lambda user: Q(strategy__partnership_id=user.agency.partnership_id))
