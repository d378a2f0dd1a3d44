"""The annual progress report of a strategy, for the council's executive board.

    report = build_report(strategy, date(2024, 3, 31), user)   # content (reports.content)
    render_html(report, standalone=True)                       # reports.html
    pdf.render_pdf(report)                                     # reports.pdf

The report covers any twelve months (a year ending on a given day) within the strategy.
Figures are read only through values.series, for the user who generates (None: the
command line) and approved only: a board paper shows no figure the CSP team has not
approved, whoever makes it. Everything is read in a fixed number of queries (derived
sources run their own), and everything is ordered, so the same data gives the same
report, word for word; the only date in it that is not the data's is the day it was
generated.
"""

from datetime import date

from django.db.models import Prefetch

from saferhub.access import scope
from saferhub.reports import sections as extra_sections
from saferhub.reports.appendix import data_notes, definitions, missing_returns
from saferhub.reports.content import (
    ActionEntry,
    ActionsAtYearEnd,
    AlignmentRow,
    AnnualReport,
    ContentsEntry,
    Cover,
    HighlightEntry,
    PrioritySection,
)
from saferhub.reports.formatting import parse, to_html
from saferhub.reports.html import render_html
from saferhub.reports.measure_rows import chart, measure_row
from saferhub.reports.models import Highlight
from saferhub.reports.summary import summarise
from saferhub.reports.yearly import Year
from saferhub.strategy.models import (
    Action,
    ExternalObjective,
    Measure,
    Outcome,
    Priority,
    Strategy,
)
from saferhub.strategy.values import series

__all__ = ["AnnualReport", "ReportError", "build_report", "check_year", "render_html"]

RUNNING_TITLE = 70  # characters of a section's title in the page header


class ReportError(Exception):
    """The report cannot be made as asked; the message is for the person who asked."""


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_year(strategy: Strategy, year_ending: date, today: date | None = None) -> None:
    """Refuse a year that does not end within the strategy, or has not ended yet."""
    today = today or date.today()
    if not strategy.starts_on <= year_ending <= strategy.ends_on:
        raise ReportError(
            f"The reporting year must end within the strategy: {strategy.title} runs from "
            f"{_day(strategy.starts_on)} to {_day(strategy.ends_on)}, and "
            f"{_day(year_ending)} is outside it."
        )
    if year_ending > today:
        raise ReportError(
            f"The year ending {_day(year_ending)} has not ended yet: choose a day no "
            f"later than today, {_day(today)}."
        )


def _visible(user, queryset):
    """The rows the user may see; all of them for the command line (no user)."""
    return queryset if user is None else scope.visible(user, queryset)


def running(title: str) -> str:
    if len(title) <= RUNNING_TITLE:
        return title
    return title[: RUNNING_TITLE - 1].rsplit(" ", 1)[0] + "…"


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _actions(actions: list[Action], year: Year) -> ActionsAtYearEnd:
    completed, in_progress, overdue, before = [], [], [], 0
    for action in actions:
        done_by_end = action.status == Action.Status.DONE and (
            action.completed_on is None or action.completed_on <= year.end
        )
        entry = ActionEntry(
            action.title,
            action.owning_agency.name,
            _person(action.owner),
            _day(action.due_on),
            (_day(action.completed_on) if action.completed_on else "Not recorded")
            if done_by_end
            else "",
        )
        if done_by_end:
            if action.completed_on and action.completed_on < year.start:
                before += 1
            else:
                completed.append(entry)
        elif action.due_on < year.end:
            overdue.append(entry)
        else:
            in_progress.append(entry)
    return ActionsAtYearEnd(completed, in_progress, overdue, before)


def _highlight(highlight: Highlight) -> HighlightEntry:
    blocks = parse(highlight.text)
    return HighlightEntry(
        highlight.title,
        highlight.agency.name,
        _person(highlight.author),
        highlight.written_on,
        _day(highlight.written_on),
        blocks,
        to_html(blocks),
    )


def _objective_text(objective: ExternalObjective) -> str:
    return f"{objective.code} {objective.title} ({objective.plan.title})"


def _alignment(priorities: list[Priority], objectives) -> list[AlignmentRow]:
    """Each objective of the external plans the strategy's priorities serve."""
    served_plans = {o.plan_id for p in priorities for o in p.objectives_read}
    by_objective: dict[int, list[str]] = {}
    for priority in priorities:
        for objective in priority.objectives_read:
            by_objective.setdefault(objective.id, []).append(f"{priority.number}. {priority.title}")
    return [
        AlignmentRow(
            objective.plan.title,
            objective.code,
            objective.title,
            by_objective.get(objective.id, []),
        )
        for objective in objectives
        if objective.plan_id in served_plans
    ]


def build_report(
    strategy: Strategy,
    year_ending: date,
    user=None,
    *,
    today: date | None = None,
) -> AnnualReport:
    """The report's content for the year ending on `year_ending` (ReportError if the
    year is not one the strategy can report on). `user`: who generates; None for the
    command line. `today`: the day of generation (the cover's date; default today)."""
    today = today or date.today()
    check_year(strategy, year_ending, today)
    year = Year.ending(year_ending)
    partnership = strategy.partnership

    objectives = (
        _visible(
            user, ExternalObjective.objects.filter(plan__partnership_id=strategy.partnership_id)
        )
        .select_related("plan")
        .order_by("plan__title", "code", "id")
    )
    priorities = list(
        _visible(user, Priority.objects.filter(strategy=strategy))
        .select_related("lead_agency", "lead_officer")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=_visible(user, Outcome.objects.all()).order_by("order", "id"),
                to_attr="outcomes_read",
            ),
            Prefetch("aligned_objectives", queryset=objectives, to_attr="objectives_read"),
        )
        .order_by("number", "id")
    )
    measures = list(
        _visible(user, Measure.objects.filter(strategy=strategy))
        .select_related("priority", "reporting_agency", "numerator", "denominator")
        .order_by("priority__number", "code")
    )
    # Both years at once; approved figures only, whoever reads.
    data = series(user, measures, year.before().start, year.end, approved_only=True)
    rows = {measure.id: measure_row(measure, data, year) for measure in measures}

    actions = list(
        _visible(user, Action.objects.filter(priority__strategy=strategy))
        .select_related("owning_agency", "owner")
        .order_by("due_on", "title", "id")
    )
    highlights = list(
        _visible(
            user,
            Highlight.objects.filter(
                priority__strategy=strategy,
                included=True,
                written_on__gte=year.start,
                written_on__lte=year.end,
            ),
        )
        .select_related("agency", "author")
        .order_by("written_on", "agency__name", "id")
    )

    sections = []
    for priority in priorities:
        mine = [m for m in measures if m.priority_id == priority.id]
        title = f"Priority {priority.number}: {priority.title}"
        sections.append(
            PrioritySection(
                number=priority.number,
                title=priority.title,
                anchor=f"priority-{priority.number}",
                running_title=running(title),
                summary=priority.summary,
                lead_agency=priority.lead_agency.name,
                lead_officer=_person(priority.lead_officer) or "Not named",
                outcomes=[outcome.text for outcome in priority.outcomes_read],
                objectives=[_objective_text(o) for o in priority.objectives_read],
                measures=[rows[m.id] for m in mine],
                charts=[chart(m, data[m.id], year) for m in mine if m.is_headline],
                highlights=[_highlight(h) for h in highlights if h.priority_id == priority.id],
                actions=_actions([a for a in actions if a.priority_id == priority.id], year),
            )
        )

    extra = extra_sections.build(extra_sections.Context(strategy, year.start, year.end, user))
    missing = missing_returns(strategy, year, today)
    alignment = _alignment(priorities, objectives)
    contents = [ContentsEntry("summary", "Executive summary")]
    contents += [ContentsEntry(p.anchor, f"Priority {p.number}: {p.title}") for p in sections]
    contents += [ContentsEntry(s.anchor, s.title) for s in extra]
    contents += [
        ContentsEntry("alignment", "Alignment with other plans"),
        ContentsEntry(
            "appendix",
            "Appendix: measure definitions and data notes",
            (
                ContentsEntry("definitions", "Measure definitions"),
                ContentsEntry("data-notes", "Data notes"),
            ),
        ),
    ]
    title = f"{strategy.title}: annual progress report, year ending {_day(year.end)}"
    return AnnualReport(
        strategy_slug=strategy.slug,
        strategy_title=strategy.title,
        partnership=partnership.name,
        year_start=year.start,
        year_ending=year.end,
        title=title,
        cover=Cover(
            partnership=partnership.name,
            strategy_title=strategy.title,
            title="Annual progress report",
            period_text=year.text,
            year_text=f"Year ending {_day(year.end)}",
            generated_on=today,
            generated_on_text=_day(today),
            ambition=strategy.ambition,
        ),
        contents=contents,
        summary=summarise(sections, extra, missing, year.end),
        priorities=sections,
        sections=extra,
        alignment=alignment,
        definitions=definitions(measures, rows),
        notes=data_notes(year, today, list(rows.values()), missing),
    )
