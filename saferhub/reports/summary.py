"""The annual report's executive summary: the year in a few headline figures."""

from datetime import date

from saferhub.reports.content import (
    KeyFigure,
    MissingReturn,
    PrioritySection,
    Section,
    Summary,
    rag_counts,
)

LARGEST_CHANGES = 6


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def summarise(
    priorities: list[PrioritySection],
    sections: list[Section],
    missing: list[MissingReturn],
    year_ending: date,
) -> Summary:
    rows = [row for priority in priorities for row in priority.measures]
    counts = rag_counts(rows)
    rated = counts["green"] + counts["amber"] + counts["red"]
    changes = sorted(
        (row for row in rows if row.change is not None and row.change != 0),
        key=lambda row: (-abs(row.change), row.priority_number, row.code),
    )[:LARGEST_CHANGES]
    missed = [row for row in rows if row.rag == "red"]
    overdue = [
        (priority.number, action) for priority in priorities for action in priority.actions.overdue
    ]
    completed = sum(len(priority.actions.completed) for priority in priorities)
    in_progress = sum(len(priority.actions.in_progress) for priority in priorities)
    day = f"{year_ending.day} {year_ending:%B %Y}"

    points = []
    if rows:
        points.append(
            f"The strategy has {_plural(len(rows), 'measure')} across "
            f"{_plural(len(priorities), 'priority', 'priorities')}. "
            f"{_plural(rated, 'measure')} could be rated against a target for the full year: "
            f"{counts['green']:,} met it, {counts['amber']:,} came near it and "
            f"{counts['red']:,} missed it. {counts['none']:,} could not be rated (see the "
            "data notes)."
        )
    else:
        points.append("The strategy has no measures yet, so this report has no figures.")
    if changes:
        best = next((row for row in changes if row.better), None)
        worst = next((row for row in changes if row.better is False), None)
        if best:
            points.append(f"The largest improvement on last year: {best.name}, {_lower(best)}.")
        if worst:
            points.append(f"The largest change for the worse: {worst.name}, {_lower(worst)}.")
    points.append(
        f"{_plural(completed, 'action')} completed in the year; "
        f"{_plural(len(overdue), 'action')} overdue and {in_progress:,} in progress "
        f"on {day}."
    )
    if missing:
        points.append(
            f"{_plural(len(missing), 'partner return')} for the year's quarters "
            f"{'was' if len(missing) == 1 else 'were'} not approved when the report was "
            "made: their figures are left out and the returns are named in the data notes."
        )

    figures = [
        KeyFigure("Measures on target", f"{counts['green']:,} of {len(rows):,}"),
        KeyFigure("Measures off target", f"{counts['red']:,}"),
        KeyFigure("Actions completed in the year", f"{completed:,}"),
        KeyFigure("Actions overdue at the year end", f"{len(overdue):,}"),
    ]
    for section in sections:
        figures.extend(section.figures[:1])
    return Summary(points, counts, changes, missed, overdue, figures)


def _lower(row) -> str:
    """ "down 16.0% on last year" from "Down 16.0% on last year (better)"."""
    words = row.trend_text.split(" (")[0]
    return words[:1].lower() + words[1:]
