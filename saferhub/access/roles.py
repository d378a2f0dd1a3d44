"""The roles a user may hold. A role says what a person does in the partnership."""

from django.db import models


class Role(models.TextChoices):
    CSP_ADMIN = "csp_admin", "CSP administrator"
    CSP_ANALYST = "csp_analyst", "CSP analyst"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    MARAC_COORDINATOR = "marac_coordinator", "MARAC coordinator"
    IDVA = "idva", "IDVA"
    AGENCY_REP = "agency_rep", "Agency representative"
    BOARD_MEMBER = "board_member", "Board member (read only)"
