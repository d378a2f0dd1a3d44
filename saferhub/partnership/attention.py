"""Partnership set-up gaps that a CSP administrator should close."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from saferhub.access import scope
from saferhub.access.permissions import Action, can
from saferhub.access.roles import Role
from saferhub.home.attention import AttentionItem, provider
from saferhub.partnership.models import Agency, RoleAssignment


@provider
def agencies_without_a_lead(user) -> list[AttentionItem]:
    """An agency with no active lead cannot submit returns or own actions."""
    if not can(user, Action.ADMINISTER):
        return []
    has_lead = RoleAssignment.objects.filter(
        user__agency=OuterRef("pk"), user__is_active=True, role=Role.AGENCY_LEAD
    )
    leaderless = scope.visible(user, Agency.objects.filter(is_active=True)).filter(
        ~Exists(has_lead)
    )
    return [
        AttentionItem(
            title=f"{agency.name} has no agency lead",
            detail="Nobody can submit its quarterly returns until a lead is named: give one "
            "of its users the agency lead role.",
            url=reverse("admin:partnership_user_changelist") + f"?agency__id__exact={agency.id}",
            urgency=40,
        )
        for agency in leaderless
    ]
