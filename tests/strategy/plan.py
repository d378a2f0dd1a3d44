"""A small strategy on top of the test world, shared by the strategy tests."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from saferhub.strategy.models import (
    Action,
    ExternalObjective,
    ExternalPlan,
    Measure,
    Outcome,
    Priority,
    Strategy,
    Target,
)
from saferhub.strategy.periods import PeriodType
from tests.world import World


@dataclass
class Plan:
    strategy: Strategy
    abuse: Priority
    asb: Priority
    incidents: Measure  # quarterly count, police, lower is better
    reports: Measure  # monthly count, housing, higher is better
    households: Measure  # yearly count, housing
    repeats: Measure  # quarterly count, police
    rate: Measure  # formula: repeats / incidents x 100
    overdue_actions: Measure  # derived
    action: Action


def build_plan(world: World) -> Plan:
    strategy = Strategy.objects.create(
        partnership=world.partnership,
        title="Safer Testford 2022-25",
        slug="2022-25",
        ambition="Everyone in Testford is safe and feels safe.",
        starts_on=date(2022, 4, 1),
        ends_on=date(2025, 3, 31),
    )
    abuse = Priority.objects.create(
        strategy=strategy,
        number=1,
        title="Domestic violence and abuse",
        lead_agency=world.police,
        lead_officer=world.police_lead,
    )
    asb = Priority.objects.create(
        strategy=strategy,
        number=2,
        title="Anti-social behaviour",
        lead_agency=world.housing,
    )
    Outcome.objects.create(priority=abuse, text="Fewer repeat victims", order=1)
    plan_doc = ExternalPlan.objects.create(
        partnership=world.partnership, title="Police and Crime Plan"
    )
    objective = ExternalObjective.objects.create(
        plan=plan_doc, code="PCP1", title="Keep people safe"
    )
    abuse.aligned_objectives.add(objective)

    def measure(code, priority, agency, period_type, direction, **extra) -> Measure:
        return Measure.objects.create(
            priority=priority,
            code=code,
            name=code.replace("-", " ").title(),
            definition=f"The {code}.",
            unit=extra.pop("unit", Measure.Unit.COUNT),
            direction=direction,
            period_type=period_type,
            reporting_agency=agency,
            **extra,
        )

    incidents = measure(
        "da-incidents",
        abuse,
        world.police,
        PeriodType.QUARTERLY,
        Measure.Direction.DOWN,
        is_headline=True,
        baseline=Decimal(500),
    )
    reports = measure("asb-reports", asb, world.housing, PeriodType.MONTHLY, Measure.Direction.UP)
    households = measure("households", asb, world.housing, PeriodType.YEARLY, Measure.Direction.UP)
    repeats = measure(
        "da-repeats", abuse, world.police, PeriodType.QUARTERLY, Measure.Direction.DOWN
    )
    rate = measure(
        "da-repeat-rate",
        abuse,
        world.council,
        PeriodType.QUARTERLY,
        Measure.Direction.DOWN,
        source=Measure.Source.FORMULA,
        numerator=repeats,
        denominator=incidents,
        factor=Decimal(100),
        unit=Measure.Unit.PERCENTAGE,
    )
    overdue_actions = measure(
        "overdue-actions",
        asb,
        world.council,
        PeriodType.QUARTERLY,
        Measure.Direction.DOWN,
        source=Measure.Source.DERIVED,
        derived_key="strategy.actions_overdue",
    )
    Target.objects.create(measure=incidents, period_start=date(2023, 4, 1), value=Decimal(450))
    action = Action.objects.create(
        priority=abuse,
        title="Train call handlers in DASH",
        owning_agency=world.police,
        owner=world.police_officer,
        due_on=date(2023, 6, 30),
    )
    return Plan(
        strategy, abuse, asb, incidents, reports, households, repeats, rate, overdue_actions, action
    )
