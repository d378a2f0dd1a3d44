"""The annual report's appendix: measure definitions, and the data notes that say how
the figures were chosen and which are missing (named, never silently skipped)."""

from datetime import date

from saferhub.reports.content import DataNotes, Definition, MeasureRow, MissingReturn
from saferhub.reports.yearly import Year
from saferhub.strategy import returns
from saferhub.strategy.dashboards import source_text
from saferhub.strategy.models import Measure, PartnerReturn, Strategy
from saferhub.strategy.periods import PeriodType

Status = PartnerReturn.Status
_STATUS_TEXT = {
    Status.DRAFT: "not submitted (a draft)",
    Status.SUBMITTED: "submitted, awaiting approval",
    Status.RETURNED: "sent back to the agency for changes",
}


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def definitions(measures: list[Measure], rows: dict[int, MeasureRow]) -> list[Definition]:
    return [
        Definition(
            code=measure.code,
            name=measure.name,
            priority_number=measure.priority.number,
            definition=measure.definition,
            unit_label=measure.get_unit_display(),
            period_label=PeriodType(measure.period_type).label,
            direction_text=measure.get_direction_display(),
            source=source_text(measure),
            baseline_text=rows[measure.id].baseline_text,
            method=rows[measure.id].method,
            method_label=rows[measure.id].method_label,
        )
        for measure in measures
    ]


def missing_returns(strategy: Strategy, year: Year, today: date) -> list[MissingReturn]:
    """Every return owed for a quarter of the year that was not approved by `today`.

    What is owed is what strategy.returns says an agency owes (the quarters of the
    strategy, by the period types it reports). The status is the return's own, read
    whoever generates: naming a missing return says nothing about its figures.
    """
    quarters = [
        quarter
        for quarter in returns.quarters_of(strategy)
        if year.start <= quarter.end <= year.end and quarter.start >= strategy.starts_on
    ]
    if not quarters:
        return []
    statuses = {
        (agency_id, start): status
        for agency_id, start, status in PartnerReturn.objects.filter(
            strategy=strategy, quarter_start__in=[q.start for q in quarters]
        ).values_list("agency_id", "quarter_start", "status")
    }
    missing = []
    for agency, period_types in returns.agencies_owing(strategy).items():
        for quarter in quarters:
            if not returns.owes_in(period_types, quarter):
                continue
            status = statuses.get((agency.id, quarter.start))
            if status == Status.APPROVED:
                continue
            due = returns.due_date(quarter)
            if status in _STATUS_TEXT:
                text = _STATUS_TEXT[status]
            elif due >= today:
                text = f"not yet due (due {_day(due)})"
            else:
                text = f"not submitted (was due {_day(due)})"
            missing.append(MissingReturn(agency.name, quarter.label, text))
    return missing


def data_notes(
    year: Year,
    generated_on: date,
    rows: list[MeasureRow],
    missing: list[MissingReturn],
) -> DataNotes:
    before = year.before()
    notes = [
        "Approved figures only. Every figure in this report comes from a partner return "
        f"that the CSP team had approved by {_day(generated_on)}, when the report was made. "
        "Figures in draft, awaiting approval or sent back for changes are left out, "
        "whoever generates the report; the returns they belong to are named below.",
        f"The reporting year is {year.text}; last year is {before.text}. A measure's "
        "periods are those that end within the twelve months: 12 months, 4 quarters or "
        "the one financial year (April to March) that ends in them.",
        "This year's figure. For a count or a sum of money: the total of the year's "
        "figures. For a count taken at a point in time (its definition says, for example, "
        '"at the end of the quarter" or "on a single night"): the last period\'s figure. '
        "For a percentage, a rate or a number of days: the average of the year's figures, "
        "each period counting the same. For a rate worked out from two counts: worked out "
        "again from the year's totals of both. A yearly measure: its financial year's "
        "figure. Each measure's rule is in the table of measure definitions.",
        "The target for the year is combined from its periods' targets the same way; a "
        "measure without a target for every period of the year has no target for it.",
        "Status: on target if the year's figure meets its target (or does better); near "
        "target if it misses by no more than the measure's tolerance (usually 5%); off "
        "target beyond that. A measure is not rated if it has no target for the year, or "
        "if any period of the year has no approved figure (then its figure is the year so "
        "far, marked as incomplete).",
        "On last year: the change on the previous twelve months' figure, worked out the "
        "same way; given only when both years are complete (for a count at a point in "
        "time, when both years' last periods have a figure).",
        "Formula measures are worked out from the approved figures of the measures they "
        "divide; derived measures from saferhub's own records, when the report is made.",
        "Actions are shown as they stood on the last day of the year: completed in the "
        "year; overdue (due before the year ended and not completed by then); in progress "
        "(not completed, and not yet due).",
        "Highlights are written by the partner agencies; the CSP team chose which to "
        "include. Only highlights dated within the year appear.",
    ]
    no_figures = [
        f"{row.priority_number}. {row.name}" for row in rows if row.this_year.value is None
    ]
    incomplete = [
        f"{row.priority_number}. {row.name} ({row.this_year.note})"
        for row in rows
        if row.this_year.value is not None and not row.this_year.complete
    ]
    return DataNotes(notes, missing, no_figures, incomplete)
