"""Reading measure values: submitted figures, formulas and derived sources, all on read.

Everything a user sees of a figure comes through `series`, which reads submitted
values through access.scope (so unapproved figures of another agency never show)
and computes formula and derived measures from what the user may see.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from saferhub.access import scope
from saferhub.strategy import derived
from saferhub.strategy.models import Measure, MeasureValue, PartnerReturn, Target
from saferhub.strategy.periods import Period

Series = dict[Period, Decimal | None]


@dataclass
class MeasureData:
    periods: list[Period]
    values: Series
    targets: dict[Period, Decimal]


def periods_in(measure: Measure, first_day: date, last_day: date) -> list[Period]:
    """The measure's whole periods ending by last_day, from the one holding first_day."""
    first = measure.period_of(first_day)
    last = measure.period_of(last_day)
    if last.end > last_day:
        last = last.shifted(-1)
    return first.periods_between(last) if first <= last else []


def series(
    user,
    measures: list[Measure],
    first_day: date,
    last_day: date,
    *,
    approved_only: bool = False,
) -> dict[int, MeasureData]:
    """Values and targets of each measure for its periods between two days.

    A fixed number of queries whatever the number of measures: one for submitted
    values, one for targets, plus whatever each derived source runs.

    `approved_only` keeps only figures whose return is approved, whoever reads them
    (the annual report, a board paper, shows nothing else), on top of the user's scope.
    With it, and only with it, `user` may be None: a report made outside a request
    (the command line) reads the approved figures of the measures it is given.
    """
    if user is None and not approved_only:
        raise ValueError("Figures are read for a user, or approved only.")
    # Every measure of a period type has the same periods: work them out once per type.
    by_type: dict[str, list[Period]] = {}
    for m in measures:
        if m.period_type not in by_type:
            by_type[m.period_type] = periods_in(m, first_day, last_day)
    periods = {m.id: by_type[m.period_type] for m in measures}
    inputs = {m.id: m for m in measures}
    for m in measures:
        if m.source == Measure.Source.FORMULA:
            for part in (m.numerator, m.denominator):
                inputs.setdefault(part.id, part)
                periods.setdefault(part.id, periods_in(part, first_day, last_day))

    submitted_ids = [i for i, m in inputs.items() if m.source == Measure.Source.SUBMITTED]
    earliest = min((p[0].start for p in periods.values() if p), default=first_day)
    raw: dict[int, Series] = defaultdict(dict)
    current = MeasureValue.objects.filter(
        measure_id__in=submitted_ids,
        is_current=True,
        period_start__gte=earliest,
        period_start__lte=last_day,
    )
    if approved_only:
        current = current.filter(partner_return__status=PartnerReturn.Status.APPROVED)
    if user is not None:
        current = scope.visible(user, current)
    # order_by(): no Meta ordering joins.
    rows = current.order_by().values_list("measure_id", "period_start", "value")
    for measure_id, start, value in rows:
        raw[measure_id][Period(start, inputs[measure_id].period_type)] = value

    for measure in inputs.values():
        if measure.source == Measure.Source.DERIVED:
            source = derived.get(measure.derived_key)
            raw[measure.id] = source.function(measure, periods[measure.id]) if source else {}

    targets: dict[int, dict[Period, Decimal]] = defaultdict(dict)
    for measure_id, start, value in (
        Target.objects.filter(
            measure_id__in=[m.id for m in measures],
            period_start__gte=earliest,
            period_start__lte=last_day,
        )
        .order_by()
        .values_list("measure_id", "period_start", "value")
    ):
        targets[measure_id][Period(start, inputs[measure_id].period_type)] = value

    result = {}
    for measure in measures:
        if measure.source == Measure.Source.FORMULA:
            values = {
                period: formula_value(
                    raw[measure.numerator_id].get(period),
                    raw[measure.denominator_id].get(period),
                    measure.factor,
                )
                for period in periods[measure.id]
            }
        else:
            values = {period: raw[measure.id].get(period) for period in periods[measure.id]}
        result[measure.id] = MeasureData(periods[measure.id], values, targets[measure.id])
    return result


def formula_value(
    numerator: Decimal | None, denominator: Decimal | None, factor: Decimal
) -> Decimal | None:
    """numerator / denominator x factor, or None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    try:
        return (numerator / denominator * factor).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
