"""Measures the strategy derives from its own records."""

from datetime import date
from decimal import Decimal

from saferhub.strategy import derived
from saferhub.strategy.models import Action
from saferhub.strategy.periods import Period


@derived.source("strategy.actions_overdue", "Partnership actions overdue at the end of the period")
def actions_overdue(measure, periods: list[Period]) -> dict[Period, Decimal | None]:
    """Actions of the measure's strategy past due and not done on the period's last day."""
    today = date.today()
    actions = list(
        Action.objects.filter(priority__strategy_id=measure.strategy_id).values_list(
            "due_on", "completed_on"
        )
    )
    result: dict[Period, Decimal | None] = {}
    for period in periods:
        day = period.end
        if day > today:
            result[period] = None  # the period has not ended: nothing to count yet
            continue
        result[period] = Decimal(
            sum(
                1
                for due_on, completed_on in actions
                # actions.services sets completed_on whenever an action is marked done
                if due_on < day and not (completed_on and completed_on <= day)
            )
        )
    return result
