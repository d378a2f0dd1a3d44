"""The roles a user may hold. A role says what a person does in the partnership."""

from django.db import models


class Role(models.TextChoices):
    CSP_ADMIN = "csp_admin", "CSP administrator"
    CSP_ANALYST = "csp_analyst", "CSP analyst"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    MARAC_COORDINATOR = "marac_coordinator", "MARAC coordinator"
    IDVA = "idva", "IDVA"
    AGENCY_REP = "agency_rep", "Agency representative"
    # A police officer working domestic abuse cases (a DA team or safeguarding unit):
    # a role of its own, not inferred from a team's name, so who may see a victim's
    # address is explicit and assigned.
    POLICE_DA = "police_da", "Police domestic abuse officer"
    BOARD_MEMBER = "board_member", "Board member (read only)"


# The partnership's own team, who see every agency's records of the strategy.
CSP_TEAM = frozenset({Role.CSP_ADMIN, Role.CSP_ANALYST})


def in_csp_team(user) -> bool:
    return bool(CSP_TEAM & user.role_codes)
