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
    """An IDVA's own victims whose safety plans are open, any agency's actions in them past
    their due date (the IDVA sees the whole plan), and their cases still to be heard."""
    if not (can(user, Action.VIEW_CASES) and user.has_role(Role.IDVA)):
        return []
    theirs = scope.visible(user, Referral.objects.filter(idva=user))
    open_plans = theirs.filter(status=Referral.Status.OPEN)
    count = open_plans.count()
    waiting = theirs.filter(status=Referral.Status.REFERRED).count()
    if not (count or waiting):
        return []
    late = SafetyAction.objects.filter(
        referral__in=open_plans, status=SafetyAction.Status.OPEN, due_on__lt=date.today()
    ).count()
    if not count:
        return [
            AttentionItem(
                title=f"{_plural(waiting, 'case')} where you are the IDVA, to be heard",
                detail="Referred and waiting for a meeting; no safety plan yet.",
                url=reverse("referrals") + "?mine=1&status=referred",
                urgency=20,
            )
        ]
    details = []
    if late:
        details.append(f"{_plural(late, 'action')} in them overdue, by any agency.")
    if waiting:
        details.append(f"{_plural(waiting, 'more case')} of yours still to be heard.")
    return [
        AttentionItem(
            title=f"{_plural(count, 'open safety plan')} where you are the IDVA",
            detail=" ".join(details) or "Every action in them is on time.",
            url=reverse("referrals") + "?mine=1&status=open",
            urgency=5 if late else 20,
        )
    ]
