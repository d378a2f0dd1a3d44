"""A synthetic strategy at scale for `saferhub generate --scale city|region`: the demo's nine
priorities with their measures broken down by ward, so that a city-sized partnership has
hundreds of measures with years of approved monthly figures, targets and actions.

Each ward measure follows its demo measure (strategy.demo_data): the same unit, direction,
reporting agency, trend and season, a ward's share of the city's level, and noise of its
own. Every measure has its own seeded generator, so the same seed gives the same figures.
Figures go in as approved partner returns for every quarter before the one holding the
last day; the current quarter is left for the partners to return. Invented, never real.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import zip_longest

from django.db import transaction
from django.utils import timezone

from saferhub.access.roles import Role
from saferhub.partnership.demo import WARDS
from saferhub.partnership.models import Agency, Partnership, User
from saferhub.strategy.demo_data import (
    AMBITION,
    CURRENT_ACTIONS,
    MEASURES,
    PAST_ACTIONS,
    PRIORITIES,
    MeasureSpec,
)
from saferhub.strategy.demo_figures import rounded
from saferhub.strategy.models import (
    Action,
    Measure,
    MeasureValue,
    Outcome,
    PartnerReturn,
    Priority,
    Strategy,
    Target,
)
from saferhub.strategy.periods import Period, PeriodType

STRATEGY_YEARS = 6  # long enough to hold five years of figures and the years ahead
BATCH = 5_000

# The demo measures a ward can have: figures a partner returns each quarter or month (not
# yearly outturns, formulas, shares of another measure, or figures of one plan only).
WARD_SPECS = [
    spec
    for spec in MEASURES
    if not (spec.formula or spec.derived_key or spec.share_of or spec.only)
    and spec.period_type != PeriodType.YEARLY
]
# Units whose city figure is a sum over the wards (the others are rates, shares or days).
SUMMED = {Measure.Unit.COUNT, Measure.Unit.MONEY}


def ward_measures(count: int) -> list[tuple[MeasureSpec, int]]:
    """`count` (demo measure, ward number) pairs, shared evenly between the priorities; in
    each priority, its demo measures in ward 1 first, then ward 2, and so on."""
    by_priority: dict[int, list[tuple[MeasureSpec, int]]] = defaultdict(list)
    for ward in range(1, len(WARDS) + 1):
        for spec in WARD_SPECS:
            by_priority[spec.priority].append((spec, ward))
    pairs = [pair for turn in zip_longest(*by_priority.values()) for pair in turn if pair]
    if count > len(pairs):
        raise ValueError(f"At most {len(pairs)} ward measures can be made.")
    return pairs[:count]


@transaction.atomic
def build_ward_strategy(
    partnership: Partnership, *, end: date, months: int, measures: int, seed: int
) -> dict[str, int]:
    """A strategy of `measures` ward measures with `months` months of figures to `end`;
    returns the rows written by model label. The partnership needs a CSP analyst and a lead
    in each agency the demo's measures name (or the Community Safety team's lead stands in)."""
    first = Period.containing(end, PeriodType.MONTHLY).shifted(1 - months)
    ends_on = date(first.start.year + STRATEGY_YEARS, first.start.month, 1) - timedelta(days=1)
    years = f"{first.start.year}-{ends_on.year % 100:02d}"
    strategy = Strategy.objects.create(
        partnership=partnership,
        title=f"{partnership.area} Community Safety Strategy {years}, ward measures (synthetic)",
        slug=f"wards-{years}",
        ambition=AMBITION,
        starts_on=first.start,
        ends_on=ends_on,
    )
    cast = _Cast(partnership)
    priorities = _priorities(strategy, cast)
    rows = _measures(strategy, priorities, cast, measures)
    this_quarter = Period.containing(end, PeriodType.QUARTERLY)
    last_returned = Period.containing(this_quarter.start - timedelta(days=1), PeriodType.MONTHLY)
    returned = first.periods_between(last_returned)
    returns = _returns(strategy, cast, rows, returned)
    values = _values(rows, returned, returns, cast, seed)
    targets = _targets(rows, first, ends_on)
    actions = _actions(priorities, cast)
    return {
        Strategy._meta.label: 1,
        Priority._meta.label: len(priorities),
        Outcome._meta.label: Outcome.objects.filter(priority__strategy=strategy).count(),
        Measure._meta.label: len(rows),
        PartnerReturn._meta.label: len(returns),
        MeasureValue._meta.label: values,
        Target._meta.label: targets,
        Action._meta.label: actions,
    }


class _Cast:
    """The partnership's agencies by code and the people the strategy names."""

    def __init__(self, partnership: Partnership) -> None:
        self.agencies = {a.code: a for a in Agency.objects.filter(partnership=partnership)}
        self.leads = {
            user.agency_id: user
            for user in User.objects.filter(
                agency__partnership=partnership, role_assignments__role=Role.AGENCY_LEAD
            ).order_by("-id")
        }
        self.analyst = User.objects.filter(
            agency__partnership=partnership, role_assignments__role=Role.CSP_ANALYST
        ).first()
        self.home = self.agencies.get("lcc-cs") or next(iter(self.agencies.values()), None)
        if self.analyst is None or self.home is None or self.home.id not in self.leads:
            raise ValueError(
                f"{partnership} needs agencies, a CSP analyst and agency leads for a strategy."
            )

    def agency(self, code: str) -> Agency:
        found = self.agencies.get(code)
        return found if found and found.id in self.leads else self.home

    def lead(self, agency: Agency) -> User:
        return self.leads[agency.id]


def _priorities(strategy: Strategy, cast: _Cast) -> dict[int, Priority]:
    priorities = {}
    for spec in PRIORITIES:
        agency = cast.agency(spec.lead_agency)
        priorities[spec.number] = Priority.objects.create(
            strategy=strategy,
            number=spec.number,
            title=spec.title,
            summary=spec.summary,
            lead_agency=agency,
            lead_officer=cast.lead(agency),
        )
    Outcome.objects.bulk_create(
        Outcome(priority=priorities[spec.number], order=order, text=text)
        for spec in PRIORITIES
        for order, text in enumerate(spec.outcomes, start=1)
    )
    return priorities


def _measures(
    strategy: Strategy, priorities: dict[int, Priority], cast: _Cast, count: int
) -> list[tuple[Measure, MeasureSpec]]:
    pairs = ward_measures(count)
    made = Measure.objects.bulk_create(
        Measure(
            strategy=strategy,
            priority=priorities[spec.priority],
            code=f"{spec.code}-w{ward:02d}",
            name=f"{spec.name}: {WARDS[ward - 1]}",
            definition=f"{spec.definition} In the {WARDS[ward - 1]} ward, month by month.",
            unit=spec.unit,
            direction=spec.direction,
            period_type=PeriodType.MONTHLY,
            reporting_agency=cast.agency(spec.agency),
            tolerance_percent=spec.tolerance,
            is_headline=ward == 1,
        )
        for spec, ward in pairs
    )
    return [(measure, spec) for measure, (spec, _) in zip(made, pairs, strict=True)]


def _returns(strategy, cast, rows, months: list[Period]) -> dict[tuple[int, date], PartnerReturn]:
    """An approved return per reporting agency per quarter: submitted by the agency's lead
    three weeks after the quarter, approved by the analyst a week later."""
    quarters = sorted({Period.containing(m.start, PeriodType.QUARTERLY) for m in months})
    reporting = sorted({measure.reporting_agency for measure, _ in rows}, key=lambda a: a.id)
    made = PartnerReturn.objects.bulk_create(
        PartnerReturn(
            strategy=strategy,
            agency=agency,
            quarter_start=quarter.start,
            status=PartnerReturn.Status.APPROVED,
            submitted_by=cast.lead(agency),
            submitted_at=_moment(quarter.end + timedelta(days=21)),
            reviewed_by=cast.analyst,
            reviewed_at=_moment(quarter.end + timedelta(days=28)),
        )
        for quarter in quarters
        for agency in reporting
    )
    return {(r.agency_id, r.quarter_start): r for r in made}


def _values(rows, months: list[Period], returns, cast: _Cast, seed: int) -> int:
    written, batch = 0, []
    for measure, spec in rows:
        rng = random.Random(f"{seed}:ward-measure:{measure.code}")  # noqa: S311  (not secrets)
        level = _ward_level(spec, rng)
        lead = cast.lead(measure.reporting_agency)
        drift = 0.0
        series = []
        for index, month in enumerate(months):
            drift = 0.5 * drift + rng.gauss(0, spec.noise * 2)  # wards are noisier than cities
            value = level * (1 + spec.trend) ** (index / 12) * (1 + drift) * _season(spec, month)
            series.append(rounded(spec.unit, value))
            quarter = Period.containing(month.start, PeriodType.QUARTERLY).start
            batch.append(
                MeasureValue(
                    measure=measure,
                    period_start=month.start,
                    value=series[-1],
                    partner_return=returns[(measure.reporting_agency_id, quarter)],
                    entered_by=lead,
                )
            )
        first_year = series[:12]
        if first_year:
            measure.baseline = rounded(spec.unit, float(sum(first_year) / len(first_year)))
            measure.baseline_label = "first year's monthly average"
        if len(batch) >= BATCH:
            MeasureValue.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    MeasureValue.objects.bulk_create(batch)
    Measure.objects.bulk_update([m for m, _ in rows], ["baseline", "baseline_label"])
    return written + len(batch)


def _ward_level(spec: MeasureSpec, rng: random.Random) -> float:
    """One month's figure in one ward at the start: a ward's share of a city total, or the
    city's rate give or take a ward's difference."""
    if spec.unit in SUMMED:
        per_month = spec.level / (3 if spec.period_type == PeriodType.QUARTERLY else 1)
        return per_month / len(WARDS) * rng.uniform(0.4, 1.6)
    return spec.level * rng.uniform(0.8, 1.2)


def _season(spec: MeasureSpec, month: Period) -> float:
    return spec.season[(month.start.month - 4) % 12 // 3]


def _targets(rows, first: Period, ends_on: date) -> int:
    """A monthly target over the whole strategy: the baseline improved 3% a year the right
    way (as the demo's), times the season."""
    months = first.periods_between(Period.containing(ends_on, PeriodType.MONTHLY))
    written, batch = 0, []
    for measure, spec in rows:
        if measure.baseline is None:
            continue
        aim = 0.03 if measure.direction == Measure.Direction.UP else -0.03
        for index, month in enumerate(months):
            value = float(measure.baseline) * (1 + aim) ** (index / 12) * _season(spec, month)
            batch.append(
                Target(measure=measure, period_start=month.start, value=rounded(spec.unit, value))
            )
        if len(batch) >= BATCH:
            Target.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    Target.objects.bulk_create(batch)
    return written + len(batch)


def _actions(priorities: dict[int, Priority], cast: _Cast) -> int:
    """The demo's actions, past and current, owned by the leads of the agencies they name."""
    by_title: dict[str, Action] = {}
    for spec in PAST_ACTIONS + CURRENT_ACTIONS:
        agency = cast.agency(spec.agency)
        by_title.setdefault(
            spec.title,
            Action(
                priority=priorities[spec.priority],
                title=spec.title,
                owning_agency=agency,
                owner=cast.lead(agency),
                due_on=spec.due_on,
                status=spec.status,
                completed_on=spec.completed_on,
            ),
        )
    return len(Action.objects.bulk_create(by_title.values()))


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))
