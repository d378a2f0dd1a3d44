"""What the strategy dashboards show: the strategies, a strategy's executive overview,
a priority page and a measure page, each built for one user as of one day.

Figures are read only through values.series (so another agency's unapproved
figures never show), for all of a page's measures at once (the overview makes two
calls: a year for every measure, two for the headline ones); priorities, outcomes,
actions and alignment come in a fixed number of queries. A page costs the same
number of queries whatever the number of priorities, measures and values
(derived sources run their own queries: one set per derived measure).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from saferhub.access import scope
from saferhub.strategy import charts, derived
from saferhub.strategy.actions import annotate_order, overdue
from saferhub.strategy.models import Action, ExternalObjective, Measure, Outcome, Priority, Strategy
from saferhub.strategy.numbers import shown
from saferhub.strategy.performance import Rag, Rating, Trend, rate, trend
from saferhub.strategy.periods import Period, PeriodType
from saferhub.strategy.values import MeasureData, series

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


def _latest_period(
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


def _window_start(last_day: date, years: int) -> date:
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


def _report(
    measure: Measure, data: MeasureData, latest_since: date, chart_points: int = 0
) -> MeasureReport:
    period = _latest_period(measure, data, latest_since)
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


def _rag_counts(reports: Iterable[MeasureReport]) -> RagCounts:
    counts = RagCounts()
    for report in reports:
        counts.add(report.rag)
    return counts


# -- The strategies ---------------------------------------------------------------------


@dataclass
class StrategyRow:
    strategy: Strategy
    status: str  # Current, Ended or Not started

    @property
    def is_current(self) -> bool:
        return self.status == "Current"


def _count_per_strategy(model) -> Coalesce:
    """How many of a model's rows (priorities, measures) each strategy has: a subquery."""
    counted = (
        model.objects.filter(strategy=OuterRef("pk"))
        .order_by()
        .values("strategy")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def strategies(user, today: date) -> list[StrategyRow]:
    """Every strategy the user may see, newest first, with what each holds. One query."""
    found = scope.visible(
        user,
        Strategy.objects.annotate(
            priority_count=_count_per_strategy(Priority),
            measure_count=_count_per_strategy(Measure),
        ),
    ).order_by("-starts_on", "title")
    return [
        StrategyRow(
            strategy,
            "Not started"
            if strategy.starts_on > today
            else "Ended"
            if strategy.ends_on < today
            else "Current",
        )
        for strategy in found
    ]


# -- The executive overview ---------------------------------------------------------------


@dataclass
class PriorityRow:
    priority: Priority
    counts: RagCounts
    headlines: list[MeasureReport]
    measures: int
    actions: int
    overdue_actions: int


@dataclass
class ObjectiveRow:
    objective: ExternalObjective
    priorities: list[Priority]


@dataclass
class Overview:
    strategy: Strategy
    as_of: date
    last_day: date
    rows: list[PriorityRow]
    counts: RagCounts
    measures: int
    actions: int
    overdue_actions: int
    alignment: list[ObjectiveRow]


def _aligned_objectives(user, objectives, priorities) -> list[ObjectiveRow]:
    """Objectives with the visible priorities mapped to each (two queries)."""
    found = (
        scope.visible(user, objectives)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "priorities",
                queryset=scope.visible(user, priorities)
                .select_related("strategy")
                .order_by("-strategy__starts_on", "number"),
                to_attr="mapped",
            )
        )
        .order_by("plan__title", "code")
    )
    return [ObjectiveRow(objective, objective.mapped) for objective in found]


def _attach_formula_parts(user, measures: list[Measure]) -> None:
    """Give each formula measure its numerator and denominator from the list itself (they
    are measures of the same strategy): cheaper than joining every measure to two more."""
    formulas = [m for m in measures if m.source == Measure.Source.FORMULA]
    by_id = {m.id: m for m in measures}
    missing = {i for m in formulas for i in (m.numerator_id, m.denominator_id)} - set(by_id)
    if missing:  # only if a formula reached outside its strategy
        by_id.update((m.id, m) for m in scope.visible(user, Measure.objects.filter(id__in=missing)))
    for measure in formulas:
        if measure.numerator_id in by_id and measure.denominator_id in by_id:
            measure.numerator = by_id[measure.numerator_id]
            measure.denominator = by_id[measure.denominator_id]


def overview(user, strategy: Strategy, as_of: date) -> Overview:
    last_day = last_day_of(strategy, as_of)
    since = _window_start(last_day, LATEST_YEARS)
    priorities = list(
        scope.visible(user, Priority.objects.filter(strategy=strategy)).select_related(
            "lead_agency", "lead_officer"
        )
    )
    measures = list(
        scope.visible(user, Measure.objects.filter(strategy=strategy)).order_by(
            "priority__number", "code"
        )
    )
    _attach_formula_parts(user, measures)
    # Every measure's latest figure counts towards the RAG; headline measures also show
    # their trend, so for them a year more, for the same period last year. (The other
    # measures' latest points have no last year's figure: the overview shows no trend
    # for them.)
    data = series(user, [m for m in measures if not m.is_headline], since, last_day)
    data.update(
        series(
            user,
            [m for m in measures if m.is_headline],
            _window_start(last_day, LATEST_YEARS + 1),
            last_day,
        )
    )
    reports: dict[int, list[MeasureReport]] = {priority.id: [] for priority in priorities}
    for measure in measures:
        reports.setdefault(measure.priority_id, []).append(
            _report(measure, data[measure.id], since)
        )

    actions = scope.visible(user, Action.objects.filter(priority__strategy=strategy))
    totals = dict(
        actions.order_by()
        .values("priority_id")
        .annotate(n=Count("id"))
        .values_list("priority_id", "n")
    )
    late = dict(
        overdue(actions, as_of)
        .order_by()
        .values("priority_id")
        .annotate(n=Count("id"))
        .values_list("priority_id", "n")
    )

    rows = []
    counts = RagCounts()
    for priority in priorities:
        mine = reports[priority.id]
        row = PriorityRow(
            priority,
            _rag_counts(mine),
            [report for report in mine if report.measure.is_headline],
            len(mine),
            totals.get(priority.id, 0),
            late.get(priority.id, 0),
        )
        counts += row.counts
        rows.append(row)

    alignment = _aligned_objectives(
        user,
        ExternalObjective.objects.filter(plan__partnership_id=strategy.partnership_id),
        Priority.objects.filter(strategy=strategy),
    )
    return Overview(
        strategy,
        as_of,
        last_day,
        rows,
        counts,
        len(measures),
        sum(totals.values()),
        sum(late.values()),
        alignment,
    )


# -- A priority ------------------------------------------------------------------------


@dataclass
class ActionRow:
    action: Action
    status: str

    @property
    def tag_class(self) -> str:
        return ACTION_TAG_CLASS.get(self.status, "govuk-tag--grey")


@dataclass
class PriorityPage:
    strategy: Strategy
    priority: Priority
    as_of: date
    last_day: date
    outcomes: list[Outcome]
    measures: list[MeasureReport]
    counts: RagCounts
    actions: list[ActionRow]
    overdue_actions: int
    alignment: list[ObjectiveRow]


def priority_page(user, strategy: Strategy, priority: Priority, as_of: date) -> PriorityPage:
    last_day = last_day_of(strategy, as_of)
    since = _window_start(last_day, LATEST_YEARS)
    outcomes = list(scope.visible(user, Outcome.objects.filter(priority=priority)))
    measures = list(
        scope.visible(user, Measure.objects.filter(priority=priority))
        .select_related("numerator", "denominator", "reporting_agency")
        .order_by("-is_headline", "code")
    )
    # The latest figure is at most a year old, so its same period last year is charted too.
    data = series(user, measures, _window_start(last_day, CHART_YEARS), last_day)
    reports = [
        _report(
            measure,
            data[measure.id],
            since,
            chart_points=CHART_YEARS * PERIODS_PER_YEAR[measure.period_type],
        )
        for measure in measures
    ]
    actions = [
        ActionRow(action, action.display_status(as_of))
        for action in annotate_order(
            scope.visible(user, Action.objects.filter(priority=priority)).select_related(
                "owning_agency", "owner"
            ),
            as_of,
        )
    ]
    alignment = _aligned_objectives(
        user,
        priority.aligned_objectives.all(),
        Priority.objects.exclude(pk=priority.pk),
    )
    return PriorityPage(
        strategy,
        priority,
        as_of,
        last_day,
        outcomes,
        reports,
        _rag_counts(reports),
        actions,
        sum(1 for row in actions if row.status == "Overdue"),
        alignment,
    )


# -- A measure -------------------------------------------------------------------------


@dataclass
class MeasurePage:
    strategy: Strategy
    measure: Measure
    as_of: date
    last_day: date
    report: MeasureReport
    targets: list[tuple[Period, str]]
    source: str

    @property
    def baseline_text(self) -> str:
        return format_value(self.measure.unit, self.measure.baseline)

    @property
    def factor_text(self) -> str:
        return shown(self.measure.factor) if self.measure.factor is not None else ""

    @property
    def tolerance_text(self) -> str:
        return f"{shown(self.measure.tolerance_percent)}%"


def source_text(measure: Measure) -> str:
    """Where the figures come from, in words."""
    if measure.source == Measure.Source.FORMULA:
        factor = shown(measure.factor) if measure.factor is not None else "?"
        return f"{measure.numerator.name} / {measure.denominator.name} × {factor}"
    if measure.source == Measure.Source.DERIVED:
        found = derived.get(measure.derived_key)
        return found.label if found else f"Unknown source ({measure.derived_key})"
    return f"Submitted by {measure.reporting_agency.name}"


def measure_page(user, strategy: Strategy, measure: Measure, as_of: date) -> MeasurePage:
    """Every period of the strategy up to as_of, with RAG and last year's figure."""
    last_day = last_day_of(strategy, as_of)
    # From a year before the strategy, for the first year's comparison, to its end, for
    # the targets ahead.
    first_day = _window_start(strategy.starts_on, 1)
    data = series(user, [measure], first_day, strategy.ends_on)[measure.id]
    first = measure.period_of(strategy.starts_on)
    shown = [p for p in data.periods if p >= first and p.end <= last_day]
    report = MeasureReport(
        measure,
        latest=None,
        points=[Point.of(measure, data, period) for period in shown],
    )
    latest = _latest_period(measure, data, _window_start(last_day, LATEST_YEARS), last_day)
    if latest:
        report.latest = Point.of(measure, data, latest)
    report.chart = chart_of(measure, report.points)
    targets = [
        (period, format_value(measure.unit, value))
        for period, value in sorted(data.targets.items())
        if period >= first
    ]
    return MeasurePage(
        strategy,
        measure,
        as_of,
        last_day,
        report,
        targets,
        source_text(measure),
    )
