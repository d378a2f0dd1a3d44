"""Queries and operations on the partnership's agencies and people."""

from django.db.models import Count, Prefetch, Q, QuerySet

from saferhub.access import scope
from saferhub.access.roles import Role
from saferhub.partnership.models import Agency, RoleAssignment, Team, User


def directory(user) -> QuerySet[Agency]:
    """Active agencies the user may see, with their teams and active-user counts."""
    return (
        scope.visible(user, Agency.objects.filter(is_active=True))
        .annotate(active_users=Count("users", filter=Q(users__is_active=True)))
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("name")
    )


def people_of(user, agency: Agency) -> QuerySet[User]:
    """The agency's active people that `user` may see, leads first."""
    return (
        scope.visible(user, User.objects.filter(agency=agency, is_active=True))
        .select_related("team")
        .prefetch_related("role_assignments")
        .distinct()
        .order_by("last_name", "first_name")
    )


def assign_roles(user: User, roles: list[Role]) -> None:
    """Give the user exactly these roles (idempotent)."""
    RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("_role_codes", None)
