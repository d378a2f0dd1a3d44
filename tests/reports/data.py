"""Figures for the report tests: two years of approved returns on the test plan."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from saferhub.strategy.models import Target
from tests.strategy.figures import approve, enter, police_quarter

YEAR_ENDING = date(2024, 3, 31)
THIS_YEAR = ["2023/24-Q1", "2023/24-Q2", "2023/24-Q3", "2023/24-Q4"]
LAST_YEAR = ["2022/23-Q1", "2022/23-Q2", "2022/23-Q3", "2022/23-Q4"]
# incidents, repeats per quarter
THIS = [(420, 126), (400, 120), (380, 114), (400, 120)]  # 1,600 incidents, 480 repeats
LAST = [(500, 150), (500, 150), (500, 150), (500, 150)]  # 2,000 incidents, 600 repeats


@dataclass
class Year:
    ending: date


def fill_year(plan, world) -> Year:
    for quarter, (incidents, repeats) in zip(LAST_YEAR + THIS_YEAR, LAST + THIS, strict=True):
        police_quarter(plan, world, quarter, incidents, repeats)
    for quarter in THIS_YEAR:
        Target.objects.update_or_create(
            measure=plan.incidents,
            period_start=plan.incidents.period(quarter).start,
            defaults={"value": Decimal(450)},
        )
    return Year(YEAR_ENDING)


def housing_months(plan, world, quarter: str, months: dict[str, int], approved=True):
    """Housing's return for a quarter: ASB reports for its months."""
    partner_return = enter(
        plan.strategy,
        world.housing,
        world.analyst,  # the test world has no housing lead: the analyst keys them in
        quarter,
        {(plan.reports, month): value for month, value in months.items()},
    )
    if approved:
        approve(partner_return, world.analyst, world)
    return partner_return
