"""Putting figures into the test plan: through partner returns the way agencies do, or in
bulk for tests that need a lot of data."""

from datetime import date
from decimal import Decimal

from saferhub.partnership.models import Agency, User
from saferhub.strategy import returns
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn, Strategy
from saferhub.strategy.periods import Period, PeriodType
from tests.world import World


def enter(
    strategy: Strategy,
    agency: Agency,
    user: User,
    quarter: str,
    figures: dict[tuple[Measure, str], Decimal | int],
) -> PartnerReturn:
    """Enter figures, {(measure, period code): value}, in the agency's return for the
    quarter ("2023/24-Q1"), leaving it in draft."""
    partner_return = returns.return_for(
        strategy, agency, Period.parse(quarter, PeriodType.QUARTERLY)
    )
    returns.save_figures(
        partner_return,
        user,
        {
            f"{measure.id}:{measure.period(code).start.isoformat()}": (Decimal(value), "")
            for (measure, code), value in figures.items()
        },
        partner_return.version,
    )
    return partner_return


def approve(partner_return: PartnerReturn, submitter: User, world: World) -> None:
    """Submit the return as its agency's lead would, and approve it as the analyst."""
    returns.submit(partner_return, submitter, partner_return.version)
    returns.approve(partner_return, world.analyst, partner_return.version)


def police_quarter(plan, world: World, quarter: str, incidents, repeats, approved=True):
    """The police return for a quarter: incidents and repeat incidents."""
    partner_return = enter(
        plan.strategy,
        world.police,
        world.police_lead,
        quarter,
        {(plan.incidents, quarter): incidents, (plan.repeats, quarter): repeats},
    )
    if approved:
        approve(partner_return, world.police_lead, world)
    return partner_return


def bulk_values(
    strategy: Strategy,
    user: User,
    values: dict[Measure, dict[date, Decimal]],
    status: str = PartnerReturn.Status.APPROVED,
) -> None:
    """Current values straight into the database, in returns of the given status (one per
    reporting agency and quarter): for tests that need a lot of figures quickly."""
    wanted = {
        (measure.reporting_agency_id, Period.containing(start, PeriodType.QUARTERLY).start)
        for measure, by_start in values.items()
        for start in by_start
    }
    existing = {
        (r.agency_id, r.quarter_start): r for r in PartnerReturn.objects.filter(strategy=strategy)
    }
    PartnerReturn.objects.bulk_create(
        PartnerReturn(strategy=strategy, agency_id=agency_id, quarter_start=start, status=status)
        for agency_id, start in wanted - set(existing)
    )
    by_key = {
        (r.agency_id, r.quarter_start): r for r in PartnerReturn.objects.filter(strategy=strategy)
    }
    MeasureValue.objects.bulk_create(
        MeasureValue(
            measure=measure,
            period_start=start,
            value=value,
            partner_return=by_key[
                (
                    measure.reporting_agency_id,
                    Period.containing(start, PeriodType.QUARTERLY).start,
                )
            ],
            entered_by=user,
        )
        for measure, by_start in values.items()
        for start, value in by_start.items()
    )
