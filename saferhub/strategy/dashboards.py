"""What the strategy dashboards show: the strategies, a strategy's executive overview,
a priority page and a measure page, each built for one user as of one day.

Dashboards show published figures only: those of approved returns, the same for every
reader (a figure waiting for approval is seen on its return's page, by its agency and
the CSP team).

Figures are read only through values.series (so another agency's unapproved
figures never show), for all of a page's measures at once (the overview makes two
calls: a year for every measure, two for the headline ones); priorities, outcomes,
actions and alignment come in a fixed number of queries. A page costs the same
number of queries whatever the number of priorities, measures and values
(derived sources run their own queries: one set per derived measure).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from saferhub.access import scope
from saferhub.strategy import derived
from saferhub.strategy.actions import annotate_order, overdue
from saferhub.strategy.measure_report import (
    ACTION_TAG_CLASS,
    CHART_YEARS,
    LATEST_YEARS,
    PERIODS_PER_YEAR,
    MeasureReport,
    Point,
    RagCounts,
    chart_of,
    format_value,
    last_day_of,
    latest_period,
    rag_counts,
    report_on,
    window_start,
)
from saferhub.strategy.models import Action, ExternalObjective, Measure, Outcome, Priority, Strategy
from saferhub.strategy.numbers import shown
from saferhub.strategy.periods import Period
from saferhub.strategy.values import series

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
    since = window_start(last_day, LATEST_YEARS)
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
    data = series(
        user, [m for m in measures if not m.is_headline], since, last_day, approved_only=True
    )
    data.update(
        series(
            user,
            [m for m in measures if m.is_headline],
            window_start(last_day, LATEST_YEARS + 1),
            last_day,
            approved_only=True,
        )
    )
    reports: dict[int, list[MeasureReport]] = {priority.id: [] for priority in priorities}
    for measure in measures:
        reports.setdefault(measure.priority_id, []).append(
            report_on(measure, data[measure.id], since)
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
            rag_counts(mine),
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
    since = window_start(last_day, LATEST_YEARS)
    outcomes = list(scope.visible(user, Outcome.objects.filter(priority=priority)))
    measures = list(
        scope.visible(user, Measure.objects.filter(priority=priority))
        .select_related("numerator", "denominator", "reporting_agency")
        .order_by("-is_headline", "code")
    )
    # The latest figure is at most a year old, so its same period last year is charted too.
    data = series(user, measures, window_start(last_day, CHART_YEARS), last_day, approved_only=True)
    reports = [
        report_on(
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
        rag_counts(reports),
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
    first_day = window_start(strategy.starts_on, 1)
    data = series(user, [measure], first_day, strategy.ends_on, approved_only=True)[measure.id]
    first = measure.period_of(strategy.starts_on)
    shown = [p for p in data.periods if p >= first and p.end <= last_day]
    report = MeasureReport(
        measure,
        latest=None,
        points=[Point.of(measure, data, period) for period in shown],
    )
    latest = latest_period(measure, data, window_start(last_day, LATEST_YEARS), last_day)
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
