"""Fetch one strategy record for a user, through access.scope: 404 when missing or not theirs."""

from saferhub.access import scope
from saferhub.strategy.models import Action, Measure, Priority, Strategy


def strategy_for(user, slug: str) -> Strategy:
    return scope.get_visible_or_404(user, Strategy.objects.select_related("partnership"), slug=slug)


def priority_for(user, strategy: Strategy, number: int) -> Priority:
    return scope.get_visible_or_404(
        user,
        Priority.objects.select_related("lead_agency", "lead_officer"),
        strategy=strategy,
        number=number,
    )


def measure_for(user, strategy: Strategy, code: str) -> Measure:
    return scope.get_visible_or_404(
        user,
        Measure.objects.select_related("priority", "reporting_agency", "numerator", "denominator"),
        strategy=strategy,
        code=code,
    )


def action_for(user, pk: int) -> Action:
    return scope.get_visible_or_404(
        user,
        Action.objects.select_related("priority__strategy", "owning_agency", "owner"),
        pk=pk,
    )
