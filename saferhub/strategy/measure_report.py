"""One measure reported over its periods, as the dashboards show it: each period's
figure, target, RAG and trend, written for people, and its chart."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.utils.safestring import SafeString

from saferhub.strategy import charts
from saferhub.strategy.models import Action, Measure, Strategy
from saferhub.strategy.numbers import shown
from saferhub.strategy.performance import Rag, Rating, Trend, rate, trend
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.values import MeasureData

# A measure's latest figure is its latest in the year (and a month) to the page's last
# day: older than that, the measure is "not rated". The pages read no further back than
# they need: the overview a year (two for headline measures, which show their trend on
# last year), the priority page the three years it charts.
LATEST_YEARS = 1
CHART_YEARS = 3
PERIODS_PER_YEAR = {PeriodType.MONTHLY: 12, PeriodType.QUARTERLY: 4, PeriodType.YEARLY: 1}

RAG_TAG_CLASS = {
    Rag.GREEN: "govuk-tag--green",
    Rag.AMBER: "govuk-tag--yellow",
    Rag.RED: "govuk-tag--red",
    Rag.NONE: "govuk-tag--grey",
}
ACTION_TAG_CLASS = {
    "Overdue": "govuk-tag--red",
    Action.Status.DONE.label: "govuk-tag--green",
    Action.Status.AT_RISK.label: "govuk-tag--orange",
    Action.Status.ON_TRACK.label: "govuk-tag--blue",
    Action.Status.NOT_STARTED.label: "govuk-tag--grey",
}


# -- Writing figures ----------------------------------------------------------------


def format_value(unit: str, value: Decimal | None) -> str:
    """A figure as people read it: 1,234; 12.5%; £1,200; 4.2 per 1,000; 12 days."""
    if value is None:
        return ""
    text = shown(value)
    if unit == Measure.Unit.PERCENTAGE:
        return f"{text}%"
    if unit == Measure.Unit.MONEY:
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    if unit == Measure.Unit.RATE_PER_1000:
        return f"{text} per 1,000"
    if unit == Measure.Unit.DAYS:
        return f"{text} day" if value == 1 else f"{text} days"
    return text


def axis_value(unit: str, value: Decimal) -> str:
    """A shorter form for chart axes: the unit's symbol only."""
    text = shown(value)
    if unit == Measure.Unit.PERCENTAGE:
        return f"{text}%"
    if unit == Measure.Unit.MONEY:
        return f"£{text}"
    return text


# -- One period of one measure ----------------------------------------------------------


@lru_cache(maxsize=4096)
def _label(period: Period) -> str:
    """Period.label, worked out once per period: a page repeats the same few dozen."""
    return period.label


@lru_cache(maxsize=4096)
def _code(period: Period) -> str:
    return period.code


class Point:
    """A measure's figure for one period, with its target, RAG and trend on last year.

    What the templates print is worked out once here: a priority page prints a few
    thousand of these."""

    __slots__ = (
        "measure",
        "period",
        "value",
        "target",
        "last_year",
        "rating",
        "_trend",
        "label",
        "value_text",
        "target_text",
        "value_cell",
        "target_cell",
        "rag_word",
        "rag_class",
    )

    def __init__(self, measure: Measure, period: Period, value, target, last_year) -> None:
        self.measure = measure
        self.period = period
        self.value = value
        self.target = target
        self.last_year = last_year
        self.rating: Rating = rate(measure, value, target)
        self._trend: Trend | None = None
        self.label = _label(period)
        self.value_text = format_value(measure.unit, value)
        self.target_text = format_value(measure.unit, target)
        # In tables: never an empty cell.
        self.value_cell = self.value_text or "No figure"
        self.target_cell = self.target_text or "None"
        rag = self.rating.rag
        self.rag_class = RAG_TAG_CLASS[rag]
        # The status in words (never colour alone).
        if rag != Rag.NONE:
            self.rag_word = rag.label
        else:
            self.rag_word = "No target" if target is None else "No figure"

    @classmethod
    def of(cls, measure: Measure, data: MeasureData, period: Period) -> "Point":
        values = data.values
        return cls(
            measure,
            period,
            values.get(period),
            data.targets.get(period),
            values.get(period.year_before()),
        )

    @property
    def trend(self) -> Trend:
        """On the same period last year (worked out when asked: tables rarely need it)."""
        if self._trend is None:
            self._trend = trend(self.measure, self.value, self.last_year)
        return self._trend

    @property
    def last_year_text(self) -> str:
        return format_value(self.measure.unit, self.last_year)

    @property
    def trend_arrow(self) -> str:
        change = self.trend.change
        if change is None:
            return ""
        return "↑" if change > 0 else "↓" if change < 0 else "→"

    @property
    def trend_words(self) -> str:
        return self.trend.words


def latest_period(
    measure: Measure, data: MeasureData, since: date, until: date | None = None
) -> Period | None:
    """The latest period with a figure, no older than the one holding `since` and
    ending by `until` (if given)."""
    first = measure.period_of(since)
    for period in reversed(data.periods):
        if period < first:
            return None
        if until and period.end > until:
            continue
        if data.values.get(period) is not None:
            return period
    return None


def window_start(last_day: date, years: int) -> date:
    return date(last_day.year - years, last_day.month, 1)


def last_day_of(strategy: Strategy, as_of: date) -> date:
    """The last day whose figures a page shows: as_of, or the strategy's end if sooner."""
    return min(as_of, strategy.ends_on)


@dataclass
class RagCounts:
    green: int = 0
    amber: int = 0
    red: int = 0
    none: int = 0

    def add(self, rag: Rag) -> None:
        setattr(self, rag.value, getattr(self, rag.value) + 1)

    def __iadd__(self, other: "RagCounts") -> "RagCounts":
        for name in ("green", "amber", "red", "none"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red + self.none


@dataclass
class MeasureReport:
    """One measure as a page shows it: its latest figure, and the periods it charts."""

    measure: Measure
    latest: Point | None
    points: list[Point] = field(default_factory=list)
    chart: SafeString | str = ""

    @property
    def rag(self) -> Rag:
        return self.latest.rating.rag if self.latest else Rag.NONE

    @property
    def period_name(self) -> str:
        return PeriodType(self.measure.period_type).label


def report_on(
    measure: Measure, data: MeasureData, latest_since: date, chart_points: int = 0
) -> MeasureReport:
    period = latest_period(measure, data, latest_since)
    latest = Point.of(measure, data, period) if period else None
    report = MeasureReport(measure, latest)
    if chart_points:
        report.points = [Point.of(measure, data, p) for p in data.periods[-chart_points:]]
        report.chart = chart_of(measure, report.points)
    return report


def chart_of(measure: Measure, points: list[Point]) -> SafeString:
    return charts.line_chart(
        [(_code(point.period), point.value) for point in points],
        [point.target for point in points],
        title=f"{measure.name}: {PeriodType(measure.period_type).label.lower()} figures"
        + (" against target" if any(point.target is not None for point in points) else ""),
        chart_id=f"chart-{measure.code}",
        period_name=PeriodType(measure.period_type).label,
        fmt=lambda value: format_value(measure.unit, value),
        axis_fmt=lambda value: axis_value(measure.unit, value),
        whole_numbers=measure.unit == Measure.Unit.COUNT,
    )


def rag_counts(reports: Iterable[MeasureReport]) -> RagCounts:
    counts = RagCounts()
    for report in reports:
        counts.add(report.rag)
    return counts
