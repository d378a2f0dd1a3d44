"""The demo's generated figures, baselines and targets: plausible, never real.

Each measure of demo_data follows its trend from April 2021, times its season, with
noise that lingers a little from one period to the next. Every measure has its own
seeded generator, so the figures are the same each time and adding a measure changes
no other. Both plans read the one series, so where they overlap they agree.
"""

import random
from datetime import date
from decimal import Decimal

from saferhub.strategy.demo_data import MEASURES, SEED, MeasureSpec, PlanSpec
from saferhub.strategy.models import Measure
from saferhub.strategy.periods import Period, PeriodType

SERIES_START = date(2021, 4, 1)
SPECS = {spec.code: spec for spec in MEASURES}


def seeded(*names: object) -> random.Random:
    """A generator of its own for each part of the demo: the same demo every time."""
    return random.Random(":".join(map(str, (SEED, *names))))  # noqa: S311  (not for secrets)


def generate_series(until: date) -> dict[str, dict[date, Decimal]]:
    """Every submitted measure's figures, by period start, to the period holding `until`."""
    raw: dict[str, dict[date, float]] = {}
    series = {}
    for spec in MEASURES:
        if spec.formula or spec.derived_key:
            continue
        rng = seeded(spec.code)
        first = Period.containing(SERIES_START, spec.period_type)
        drift, values = 0.0, {}
        for period in first.periods_between(Period.containing(until, spec.period_type)):
            drift = 0.5 * drift + rng.gauss(0, spec.noise)
            value = spec.level * (1 + spec.trend) ** _years(period.start) * (1 + drift)
            if spec.share_of:
                value *= raw[spec.share_of][period.start]
            else:
                value *= _season(spec, period)
            values[period.start] = value
        raw[spec.code] = values
        series[spec.code] = {start: rounded(spec.unit, v) for start, v in values.items()}
    return series


def baseline(spec: MeasureSpec, plan: PlanSpec) -> Decimal:
    return rounded(spec.unit, _baseline(spec, plan))


def baseline_label(spec: MeasureSpec, plan: PlanSpec) -> str:
    year = f"{plan.baseline_year}/{(plan.baseline_year + 1) % 100:02d}"
    kind = {
        PeriodType.MONTHLY: "monthly average",
        PeriodType.QUARTERLY: "quarterly average",
        PeriodType.YEARLY: "outturn",
    }[spec.period_type]
    return f"{year} {kind}"


def target(spec: MeasureSpec, plan: PlanSpec, period: Period) -> Decimal:
    """The baseline improved by the aim (3% a year the right way, unless set) to the period."""
    aim = spec.aim
    if aim is None:
        aim = 0.03 if spec.direction == Measure.Direction.UP else -0.03
    years = _years(period.start) - _base_years(spec, plan)
    return rounded(spec.unit, _baseline(spec, plan) * (1 + aim) ** years * _season(spec, period))


def rounded(unit: str, value: float) -> Decimal:
    """A figure as a partner would report it in the unit."""
    value = max(value, 0.0)
    if unit == Measure.Unit.PERCENTAGE:
        return Decimal(f"{min(value, 100.0):.1f}")
    if unit == Measure.Unit.DAYS:
        return Decimal(f"{value:.1f}")
    if unit == Measure.Unit.RATE_PER_1000:
        return Decimal(f"{value:.2f}")
    return Decimal(round(value))  # counts and whole pounds


def _years(day: date) -> float:
    """Years from the start of the series to a day (April 2021 is 0)."""
    return (day.year - SERIES_START.year) + (day.month - SERIES_START.month) / 12


def _season(spec: MeasureSpec, period: Period) -> float:
    if spec.share_of:
        return _season(SPECS[spec.share_of], period)
    if period.type == PeriodType.YEARLY:
        return 1.0
    return spec.season[(period.start.month - 4) % 12 // 3]


def _base_years(spec: MeasureSpec, plan: PlanSpec) -> float:
    """Where the plan's baseline year sits on the series' time line (mid-year if sub-yearly)."""
    offset = 0.0 if spec.period_type == PeriodType.YEARLY else 0.5
    return plan.baseline_year - SERIES_START.year + offset


def _baseline(spec: MeasureSpec, plan: PlanSpec) -> float:
    value = spec.level * (1 + spec.trend) ** _base_years(spec, plan)
    if spec.share_of:
        value *= _baseline(SPECS[spec.share_of], plan)
    return value
