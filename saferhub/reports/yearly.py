"""A measure's figure for a reporting year: any twelve months, ending on a given day.

Which periods: those of the measure (months, quarters, financial years) that END within
the twelve months, so a year always holds 12 months, 4 quarters and 1 financial year.

How they are combined, by what the measure counts:
- a yearly measure: the figure of the financial year that ends in the twelve months;
- a count or a sum of money: the total of the periods' figures;
- a count taken at a point in time (its definition says "at the end of the quarter",
  "on a single night"...): the last period's figure, since adding them up means nothing;
- a percentage, rate or number of days: the average of the periods' figures, each
  period counting the same;
- a formula over two counts (numerator / denominator x factor): worked out again from
  the year's totals of both, which weights each period by its size.
The target for the year is combined from the periods' targets the same way (the
formula's, as an average); it needs a target for every period, else there is none.
A year with a period missing is "incomplete": its figure is shown, marked, and is
neither rated nor compared with last year.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from saferhub.strategy.measure_report import format_value
from saferhub.strategy.models import Measure
from saferhub.strategy.numbers import shown
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.values import MeasureData, formula_value

_POINT_IN_TIME = re.compile(
    r"\bat the end of (the|each) (month|quarter|year|period)\b|\bsingle night\b"
    r"|\bon the night of\b|\bsnapshot\b|\bcaseload\b|\bat (a|one) point in time\b",
    re.IGNORECASE,
)
_SUMMED = {Measure.Unit.COUNT, Measure.Unit.MONEY}
_PERIOD_WORDS = {
    PeriodType.MONTHLY: ("month", "monthly"),
    PeriodType.QUARTERLY: ("quarter", "quarterly"),
    PeriodType.YEARLY: ("year", "yearly"),
}


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Year:
    start: date
    end: date

    @classmethod
    def ending(cls, day: date) -> "Year":
        try:
            a_year_before = day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            a_year_before = date(day.year - 1, 2, 28)
        return cls(a_year_before + timedelta(days=1), day)

    def before(self) -> "Year":
        return Year.ending(self.start - timedelta(days=1))

    @property
    def text(self) -> str:
        return f"{_long(self.start)} to {_long(self.end)}"

    def periods(self, period_type: str) -> list[Period]:
        """The periods of a type that end within the year."""
        first = Period.containing(self.start, period_type)
        last = Period.containing(self.end, period_type)
        if last.end > self.end:
            last = last.shifted(-1)
        return first.periods_between(last)


class Method(StrEnum):
    ONLY = "only"
    TOTAL = "total"
    LATEST = "latest"
    AVERAGE = "average"
    RATIO = "ratio"


def is_point_in_time(measure: Measure) -> bool:
    return bool(_POINT_IN_TIME.search(f"{measure.name} {measure.definition}"))


def method_for(measure: Measure) -> Method:
    if measure.period_type == PeriodType.YEARLY:
        return Method.ONLY
    if measure.source == Measure.Source.FORMULA and _parts_summed(measure):
        return Method.RATIO
    if measure.unit in _SUMMED:
        return Method.LATEST if is_point_in_time(measure) else Method.TOTAL
    return Method.AVERAGE


def _parts_summed(measure: Measure) -> bool:
    parts = (measure.numerator, measure.denominator)
    return all(part is not None and part.unit in _SUMMED for part in parts) and not any(
        is_point_in_time(part) for part in parts
    )


def period_word(measure: Measure) -> str:
    """ "month", "quarter" or "year"."""
    return _PERIOD_WORDS[PeriodType(measure.period_type)][0]


def method_words(measure: Measure, method: Method) -> str:
    """How the year's figure is worked out, for the appendix."""
    single, adjective = _PERIOD_WORDS[PeriodType(measure.period_type)]
    if method == Method.ONLY:
        return "The figure for the financial year that ends within the reporting year."
    if method == Method.TOTAL:
        return f"The total of the year's {adjective} figures; the target is their targets' total."
    if method == Method.LATEST:
        return (
            f"Counted at a point in time, so the figure for the year's last {single}; "
            "the target is that period's."
        )
    if method == Method.RATIO:
        factor = shown(measure.factor) if measure.factor is not None else "?"
        return (
            f"Worked out from the year's totals: {measure.numerator.name} ÷ "
            f"{measure.denominator.name} × {factor}; the target is the average of the "
            f"{adjective} targets."
        )
    return (
        f"The average of the year's {adjective} figures, each {single} counting the same; "
        "the target is the average of their targets."
    )


def method_label(measure: Measure, method: Method) -> str:
    """How the year's figure is worked out, in a few words (the appendix's table)."""
    single, _ = _PERIOD_WORDS[PeriodType(measure.period_type)]
    return {
        Method.ONLY: "The financial year's figure",
        Method.TOTAL: f"Total of the {single}s",
        Method.LATEST: f"The last {single}'s figure (a count at a point in time)",
        Method.AVERAGE: f"Average of the {single}s",
        Method.RATIO: "Worked out from the year's totals of its two counts",
    }[method]


@dataclass(frozen=True)
class Combined:
    value: Decimal | None
    reported: int
    expected: int
    periods_text: str


def _span(periods: list[Period]) -> str:
    if not periods:
        return ""
    first, last = periods[0], periods[-1]
    if first == last:
        return first.label
    return f"{first.start:%B %Y} to {last.end:%B %Y}"


def _mean(values: list[Decimal], unit: str) -> Decimal:
    places = Decimal("0.01") if unit in (Measure.Unit.RATE_PER_1000, Measure.Unit.MONEY) else None
    return (sum(values) / len(values)).quantize(places or Decimal("0.1"))


def combine(
    measure: Measure,
    method: Method,
    periods: list[Period],
    values: dict[Period, Decimal | None],
    parts: tuple[MeasureData, MeasureData] | None = None,
) -> Combined:
    """The measure's figure for the year from its periods' figures (or targets)."""
    if method == Method.LATEST and periods:
        last = periods[-1]
        value = values.get(last)
        return Combined(value, int(value is not None), 1, last.label)
    if method == Method.RATIO and parts is not None:
        numerator, denominator = parts
        both = [
            (numerator.values.get(p), denominator.values.get(p))
            for p in periods
            if numerator.values.get(p) is not None and denominator.values.get(p) is not None
        ]
        value = None
        if both:
            value = formula_value(sum(n for n, _ in both), sum(d for _, d in both), measure.factor)
        return Combined(value, len(both), len(periods), _span(periods))
    found = [values[p] for p in periods if values.get(p) is not None]
    if not found:
        value = None
    elif method in (Method.TOTAL, Method.ONLY):
        value = sum(found, Decimal(0))
    else:
        value = _mean(found, measure.unit)
    return Combined(value, len(found), len(periods), _span(periods))


def combine_targets(
    measure: Measure, method: Method, periods: list[Period], targets: dict[Period, Decimal]
) -> Decimal | None:
    """The year's target: None unless every period has one."""
    if not periods:
        return None
    if method == Method.LATEST:
        return targets.get(periods[-1])
    if any(targets.get(p) is None for p in periods):
        return None
    found = [targets[p] for p in periods]
    if method in (Method.TOTAL, Method.ONLY):
        return sum(found, Decimal(0))
    return _mean(found, measure.unit)


def figure_text(measure: Measure, value: Decimal | None) -> str:
    return format_value(measure.unit, value) if value is not None else "No figure"
