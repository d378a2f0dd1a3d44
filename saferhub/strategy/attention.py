"""What the strategy asks of each user on their home page."""

from datetime import date

from django.urls import reverse

from saferhub.access import scope
from saferhub.access.permissions import Action as Verb
from saferhub.access.permissions import can
from saferhub.home.attention import AttentionItem, provider
from saferhub.strategy import returns
from saferhub.strategy.actions import overdue
from saferhub.strategy.models import Action, PartnerReturn, Strategy


def _current_strategies(user, today: date):
    return scope.visible(user, Strategy.objects.filter(starts_on__lte=today, ends_on__gte=today))


@provider
def returns_to_submit(user) -> list[AttentionItem]:
    if not can(user, Verb.SUBMIT_RETURNS):
        return []
    today = date.today()
    items = []
    for strategy in _current_strategies(user, today):
        for agency, quarter in returns.overdue_returns(strategy, today):
            if agency.id == user.agency_id:
                items.append(
                    AttentionItem(
                        title=f"Return overdue: {quarter.label}",
                        detail=f"{agency.name}'s figures for {strategy.title} were due "
                        f"on {returns.due_date(quarter):%-d %B %Y}.",
                        url=reverse("return", args=[strategy.slug, quarter.code_slug]),
                        urgency=0,
                    )
                )
    sent_back = (
        scope.visible(user, PartnerReturn.objects.filter(status=PartnerReturn.Status.RETURNED))
        .filter(agency_id=user.agency_id)
        .select_related("strategy")
    )
    for partner_return in sent_back:
        items.append(
            AttentionItem(
                title=f"Return sent back: {partner_return.quarter.label}",
                detail=partner_return.return_reason,
                url=reverse(
                    "return", args=[partner_return.strategy.slug, partner_return.quarter.code_slug]
                ),
                urgency=10,
            )
        )
    return items


@provider
def returns_to_approve(user) -> list[AttentionItem]:
    if not can(user, Verb.APPROVE_RETURNS):
        return []
    waiting = scope.visible(
        user, PartnerReturn.objects.filter(status=PartnerReturn.Status.SUBMITTED)
    ).count()
    if not waiting:
        return []
    return [
        AttentionItem(
            title=f"{waiting} partner return{'s' if waiting != 1 else ''} to approve",
            detail="Approve each, or send it back with the reason.",
            url=reverse("approvals"),
            urgency=20,
        )
    ]


@provider
def my_overdue_actions(user) -> list[AttentionItem]:
    mine = overdue(scope.visible(user, Action.objects.filter(owner=user)), date.today())
    return [
        AttentionItem(
            title=f"Action overdue: {action.title}",
            detail=f"Due {action.due_on:%-d %B %Y}. Add a progress update or mark it done.",
            url=reverse("action", args=[action.id]),
            urgency=0,
        )
        for action in mine[:20]
    ]
