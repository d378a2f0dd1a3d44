"""The annual report's measure tables and charts: each measure's year against the last.

Figures come from values.series (approved figures only: see annual.py) for the two
years; this module only combines them (reports.yearly) and writes them for people.
"""

from datetime import date

from saferhub.reports.content import Chart, ChartRow, MeasureRow, YearFigure
from saferhub.reports.yearly import (
    Method,
    Year,
    combine,
    combine_targets,
    figure_text,
    method_for,
    method_label,
    method_words,
    period_word,
)
from saferhub.strategy import charts
from saferhub.strategy.measure_report import Point, axis_value, format_value
from saferhub.strategy.models import Measure
from saferhub.strategy.performance import Rag, Rating, rate, trend
from saferhub.strategy.periods import PeriodType
from saferhub.strategy.values import MeasureData

NOT_RATED = "Not rated"


def _baseline_text(measure: Measure) -> str:
    if measure.baseline is None:
        return "None"
    text = format_value(measure.unit, measure.baseline)
    return f"{text} ({measure.baseline_label})" if measure.baseline_label else text


def _parts(measure: Measure, data: dict[int, MeasureData]):
    if measure.source != Measure.Source.FORMULA:
        return None
    numerator, denominator = data.get(measure.numerator_id), data.get(measure.denominator_id)
    return (numerator, denominator) if numerator and denominator else None


def _year_figure(measure, method, year: Year, measure_data, parts) -> YearFigure:
    periods = year.periods(measure.period_type)
    combined = combine(measure, method, periods, measure_data.values, parts)
    return YearFigure(
        combined.value,
        figure_text(measure, combined.value),
        combined.reported,
        combined.expected,
        combined.periods_text,
        period_word(measure),
    )


def measure_row(measure: Measure, data: dict[int, MeasureData], year: Year) -> MeasureRow:
    """One measure's line in its priority's table."""
    measure_data = data[measure.id]
    method = method_for(measure)
    parts = _parts(measure, data)
    if method == Method.RATIO and parts is None:
        method = Method.AVERAGE  # the parts are out of reach: average the periods instead
    this_year = _year_figure(measure, method, year, measure_data, parts)
    last_year = _year_figure(measure, method, year.before(), measure_data, parts)
    target = combine_targets(
        measure, method, year.periods(measure.period_type), measure_data.targets
    )

    if this_year.value is None:
        rating = Rating(Rag.NONE, "No approved figure for the year.")
    elif not this_year.complete:
        rating = Rating(Rag.NONE, f"Not rated: {this_year.note}, so the year is not complete.")
    else:
        rating = rate(measure, this_year.value, target)
    if this_year.complete and last_year.complete:
        change = trend(measure, this_year.value, last_year.value)
        trend_text = change.words
        if last_year.value == 0:  # no percentage of nothing
            trend_text = (
                "No change on last year (0)"
                if this_year.value == 0
                else (f"Up from 0 last year ({'better' if measure.direction == 'up' else 'worse'})")
            )
    else:
        change = trend(measure, None, None)
        trend_text = "No comparison: a year is not complete" if this_year.value else "No figure"
    return MeasureRow(
        code=measure.code,
        name=measure.name,
        priority_number=measure.priority.number,
        is_headline=measure.is_headline,
        unit_label=measure.get_unit_display(),
        direction_text=measure.get_direction_display(),
        baseline_text=_baseline_text(measure),
        target_text=format_value(measure.unit, target) if target is not None else "None",
        this_year=this_year,
        last_year=last_year,
        rag=rating.rag.value,
        rag_text=rating.rag.label if rating.rag != Rag.NONE else NOT_RATED,
        rag_reason=rating.rule,
        change=change.change,
        better=change.better,
        trend_text=trend_text,
        method=method_words(measure, method),
        method_label=method_label(measure, method),
    )


def chart(measure: Measure, measure_data: MeasureData, year: Year) -> Chart:
    """The measure's periods over this year and last, against target, and the table
    of the same figures: this year's periods beside the same periods a year before."""
    this_periods = year.periods(measure.period_type)
    periods = year.before().periods(measure.period_type) + this_periods
    points = [Point.of(measure, measure_data, period) for period in periods]
    period_name = PeriodType(measure.period_type).label
    plotted = [(point.period.code, point.value) for point in points]
    targets = [point.target for point in points]

    def fmt(value):
        return format_value(measure.unit, value)

    alt_text = charts.describe(plotted, targets, period_name, fmt)
    span = f"{_day(year.before().start)} to {_day(year.end)}"
    title = f"{measure.name}: {period_name.lower()} figures, {span}"
    chart_id = f"chart-{measure.code}"
    svg = charts.line_chart(
        plotted,
        targets,
        title=title + (" against target" if any(t is not None for t in targets) else ""),
        chart_id=chart_id,
        period_name=period_name,
        fmt=fmt,
        axis_fmt=lambda value: axis_value(measure.unit, value),
        description=alt_text,
        whole_numbers=measure.unit == Measure.Unit.COUNT,
    )
    rows = [
        ChartRow(
            point.label,
            point.value_cell,
            point.last_year_text or "No figure",
            point.target_cell,
        )
        for point in points[len(points) - len(this_periods) :]
    ]
    return Chart(
        id=chart_id,
        measure_code=measure.code,
        title=title,
        svg=svg,
        alt_text=alt_text,
        caption=f"{measure.name}: {period_name.lower()} figures this year and last",
        columns=("Period", "This year", "A year before", "Target"),
        rows=rows,
        points=plotted,
        targets=targets,
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
