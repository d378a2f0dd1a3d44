"""What MARAC work asks of each user on their home page: counts and links, no names."""

from datetime import date

from django.urls import reverse

from saferhub.access import scope
from saferhub.access.permissions import Action, can
from saferhub.access.roles import Role
from saferhub.home.attention import AttentionItem, provider
from saferhub.safeguarding.models import Meeting, Referral, SafetyAction


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@provider
def overdue_safety_actions(user) -> list[AttentionItem]:
    if not can(user, Action.VIEW_CASES):
        return []
    late = (
        scope.visible(user, SafetyAction.objects.filter(agency_id=user.agency_id))
        .filter(status=SafetyAction.Status.OPEN, due_on__lt=date.today())
        .count()
    )
    if not late:
        return []
    return [
        AttentionItem(
            title=f"{_plural(late, 'safety-plan action')} overdue",
            detail=f"{user.agency.name}'s actions agreed at MARAC meetings, past their due date. "
            "They go back on the next meeting's list.",
            url=reverse("safety-actions"),
            urgency=0,
        )
    ]


@provider
def cases_to_list(user) -> list[AttentionItem]:
    if not can(user, Action.MANAGE_MEETINGS):
        return []
    waiting = scope.visible(user, Referral.objects.filter(status=Referral.Status.REFERRED)).exclude(
        listings__meeting__status__in=[
            Meeting.Status.PLANNED,
            Meeting.Status.CONFIRMED,
            Meeting.Status.OPEN,
        ]
    )
    count = waiting.count()
    if not count:
        return []
    return [
        AttentionItem(
            title=f"{_plural(count, 'referral')} waiting for a meeting",
            detail="Eligible referrals not yet on a case list.",
            url=reverse("meetings"),
            urgency=10,
        )
    ]


@provider
def idva_cases(user) -> list[AttentionItem]:
    """An IDVA's own victims: their cases still to be heard or with a safety plan open, and
    any agency's actions in them past their due date (the IDVA sees the whole plan)."""
    if not (can(user, Action.VIEW_CASES) and user.has_role(Role.IDVA)):
        return []
    current = scope.visible(
        user,
        Referral.objects.filter(
            idva=user, status__in=[Referral.Status.REFERRED, Referral.Status.OPEN]
        ),
    )
    count = current.count()
    if not count:
        return []
    late = SafetyAction.objects.filter(
        referral__in=current, status=SafetyAction.Status.OPEN, due_on__lt=date.today()
    ).count()
    detail = "Cases still to be heard or with a safety plan open."
    if late:
        detail += f" {_plural(late, 'action')} in their safety plans overdue, by any agency."
    return [
        AttentionItem(
            title=f"{_plural(count, 'case')} where you are the IDVA",
            detail=detail,
            url=reverse("referrals") + "?mine=1",
            urgency=5 if late else 20,
        )
    ]
