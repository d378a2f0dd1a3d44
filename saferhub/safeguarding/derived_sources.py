"""Measures the strategy derives from MARAC's records (strategy.derived).

Each counts the cases of the measure's strategy's partnership: figures, not records
(like access.scope's count rule). One query per measure, whatever the number of
periods: a conditional aggregate with a count per period.

A period not yet ended has no figure (a part-quarter against a quarter's target would
mislead), except overdue actions, which are counted as they stand today.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from saferhub.safeguarding.marac_return import per_10k
from saferhub.safeguarding.models import AreaSettings, Referral, SafetyAction
from saferhub.strategy import derived
from saferhub.strategy.periods import Period

Figures = dict[Period, Decimal | None]


def _today() -> date:
    return timezone.localdate()


def _cases(measure):
    """The cases of the partnership whose strategy the measure is in."""
    return (
        Referral.objects.filter(partnership__strategies=measure.strategy_id)
        .exclude(status=Referral.Status.NOT_ELIGIBLE)
        .order_by()
    )


def _twelve_months_to(day: date) -> tuple[date, date]:
    """The 12 calendar months ending on `day`, the last day of a month."""
    after = date.fromordinal(day.toordinal() + 1)
    return date(after.year - 1, after.month, 1), day


def _ended(periods: list[Period]) -> list[Period]:
    today = _today()
    return [period for period in periods if period.end < today]


def _heard(period_windows: dict[Period, tuple[date, date]], measure, **extra) -> dict:
    """For each period's window: cases heard (n), and whatever `extra` aggregates (each a
    function of the window's Q) give; plus the area's adult female population."""
    if not period_windows:
        return {}
    aggregates = {"population": Max("partnership__marac_settings__adult_female_population")}
    for i, window in enumerate(period_windows.values()):
        heard = Q(heard_on__range=window)
        aggregates[f"n{i}"] = Count("pk", filter=heard)
        for name, make in extra.items():
            aggregates[f"{name}{i}"] = make(heard)
    first = min(start for start, _ in period_windows.values())
    last = max(end for _, end in period_windows.values())
    return _cases(measure).filter(heard_on__range=(first, last)).aggregate(**aggregates)


def _none_for_the_rest(periods: list[Period], found: Figures) -> Figures:
    return {period: found.get(period) for period in periods}


@derived.source(
    "marac.safety_plans_12m",
    "Multi-agency safety plans (cases heard at MARAC or the daily meeting), 12 months to the "
    "period's end",
)
def safety_plans_12m(measure, periods: list[Period]) -> Figures:
    windows = {period: _twelve_months_to(period.end) for period in _ended(periods)}
    row = _heard(windows, measure)
    found = {period: Decimal(row[f"n{i}"]) for i, period in enumerate(windows)}
    return _none_for_the_rest(periods, found)


@derived.source("marac.repeat_rate", "Repeat cases, % of the cases heard in the period")
def repeat_rate(measure, periods: list[Period]) -> Figures:
    windows = {period: (period.start, period.end) for period in _ended(periods)}
    row = _heard(windows, measure, r=lambda heard: Count("pk", filter=heard & Q(is_repeat=True)))
    found: Figures = {}
    for i, period in enumerate(windows):
        cases, repeats = row[f"n{i}"], row[f"r{i}"]
        found[period] = (
            (Decimal(repeats) * 100 / cases).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if cases
            else None
        )
    return _none_for_the_rest(periods, found)


@derived.source(
    "marac.cases_per_10k_adult_females",
    "Cases heard per 10,000 adult females (16 and over), 12 months to the period's end",
)
def cases_per_10k_adult_females(measure, periods: list[Period]) -> Figures:
    windows = {period: _twelve_months_to(period.end) for period in _ended(periods)}
    row = _heard(windows, measure)
    population = row.get("population")
    if population is None and windows:
        # No case in any window, so no row to join the population to: ask for it.
        population = (
            AreaSettings.objects.filter(partnership__strategies=measure.strategy_id)
            .values_list("adult_female_population", flat=True)
            .first()
        )
    found = {period: per_10k(row[f"n{i}"], population) for i, period in enumerate(windows)}
    return _none_for_the_rest(periods, found)


@derived.source(
    "marac.children_in_households", "Children in the households of the cases heard in the period"
)
def children_in_households(measure, periods: list[Period]) -> Figures:
    windows = {period: (period.start, period.end) for period in _ended(periods)}
    row = _heard(windows, measure, c=lambda heard: Sum("children_in_household", filter=heard))
    found = {period: Decimal(row[f"c{i}"] or 0) for i, period in enumerate(windows)}
    return _none_for_the_rest(periods, found)


@derived.source(
    "marac.overdue_actions",
    "Safety-plan actions open and overdue at the end of the period (today, for the current one)",
)
def overdue_actions(measure, periods: list[Period]) -> Figures:
    """Actions agreed by the day, due before it and not completed by it: the day is the
    period's end, or today for a period not yet ended; nothing for a period to come."""
    today = _today()
    days = {period: min(period.end, today) for period in periods if period.start <= today}
    if not days:
        return _none_for_the_rest(periods, {})
    aggregates = {
        f"o{i}": Count(
            "pk",
            filter=Q(agreed_at__meeting__held_on__lte=day, due_on__lt=day)
            & (Q(completed_on__isnull=True) | Q(completed_on__gt=day)),
        )
        for i, day in enumerate(days.values())
    }
    row = (
        SafetyAction.objects.filter(
            referral__partnership__strategies=measure.strategy_id,
            due_on__lt=max(days.values()),
        )
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=min(days.values())))
        .order_by()
        .aggregate(**aggregates)
    )
    found = {period: Decimal(row[f"o{i}"]) for i, period in enumerate(days)}
    return _none_for_the_rest(periods, found)
