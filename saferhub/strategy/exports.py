"""Measure tables as CSV and Excel files, marked OFFICIAL-SENSITIVE.

Figures are read only through `values.series`, so an export shows exactly what the
user may see on screen: another agency's figures only once approved.

Every text cell is made safe from spreadsheet formula injection: text that a
spreadsheet would run as a formula (starting with = + - @, a tab or a line break)
gets a leading apostrophe. Numbers stay numbers.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from saferhub.access import scope
from saferhub.audit.services import record
from saferhub.strategy import performance
from saferhub.strategy.models import Measure, Priority
from saferhub.strategy.periods import Period
from saferhub.strategy.spreadsheet import FORMULA_TRIGGERS
from saferhub.strategy.values import series

MARKING = "OFFICIAL-SENSITIVE"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Cell = str | Decimal | None


@dataclass
class Table:
    title: str
    filename_stem: str  # codes and dates only: no personal data
    headers: list[str]
    rows: list[list[Cell]]


def neutralise(text: str) -> str:
    """Text a spreadsheet would read as a formula, made inert with a leading apostrophe."""
    if text and text.lstrip(" ")[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def _status(measure: Measure, value: Decimal | None, target: Decimal | None) -> str:
    if value is None:
        return "No figure"
    return performance.rate(measure, value, target).rag.label


def measure_table(user, measure: Measure, today: date) -> Table:
    """Every period of the strategy: the figure, its target and how it is doing."""
    strategy = measure.strategy
    data = series(user, [measure], strategy.starts_on, strategy.ends_on, approved_only=True)[
        measure.id
    ]
    rows: list[list[Cell]] = []
    for period in data.periods:
        value = data.values.get(period)
        target = data.targets.get(period)
        rows.append([period.code, period.label, value, target, _status(measure, value, target)])
    unit = Measure.Unit(measure.unit).label
    return Table(
        title=f"{measure.name} ({measure.code}), {unit}: {strategy.title}",
        filename_stem=f"measure-{measure.code}-{today.isoformat()}",
        headers=["Period", "Period label", "Value", "Target", "Status"],
        rows=rows,
    )


def priority_table(user, priority: Priority, today: date) -> Table:
    """Each measure of the priority with its latest figure, target, status and trend."""
    strategy = priority.strategy
    measures = list(
        scope.visible(
            user,
            Measure.objects.filter(priority=priority).select_related("numerator", "denominator"),
        ).order_by("code")
    )
    # From a year before the strategy, for the trend of its first year.
    year_earlier = strategy.starts_on - timedelta(days=366)
    data = series(user, measures, year_earlier, strategy.ends_on, approved_only=True)
    rows: list[list[Cell]] = []
    for measure in measures:
        found = data[measure.id]
        first = measure.period_of(strategy.starts_on)
        latest: Period | None = None
        for period in reversed(found.periods):
            if period >= first and found.values.get(period) is not None:
                latest = period
                break
        value = found.values.get(latest) if latest else None
        target = found.targets.get(latest) if latest else None
        last_year = found.values.get(latest.year_before()) if latest else None
        rows.append(
            [
                measure.code,
                measure.name,
                Measure.Unit(measure.unit).label,
                latest.code if latest else "",
                value,
                target,
                _status(measure, value, target),
                performance.trend(measure, value, last_year).words if latest else "",
            ]
        )
    return Table(
        title=f"Priority {priority.number}: {priority.title}, {strategy.title}",
        filename_stem=f"priority-{priority.number}-{strategy.slug}-{today.isoformat()}",
        headers=[
            "Code",
            "Measure",
            "Unit",
            "Latest period",
            "Value",
            "Target",
            "Status",
            "Trend on last year",
        ],
        rows=rows,
    )


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return str(cell)  # a number, never neutralised: "-5.00" stays numeric
    return neutralise(cell)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM (so that Excel reads it as UTF-8), the marking on the first line."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([MARKING])
    writer.writerow([neutralise(table.title)])
    writer.writerow([neutralise(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """One sheet: the marking in row 1, the title in row 2, a bold frozen header in row 3.
    The marking is also the printed page's header and footer."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"

    def put(row: int, column: int, cell: Cell, bold: bool = False):
        target = sheet.cell(row=row, column=column)
        if isinstance(cell, Decimal):
            target.value = cell
            target.number_format = "#,##0.00"
        elif cell is not None:
            # Control characters are not allowed in a workbook: drop them.
            target.value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", cell))
            # openpyxl would take text starting with "=" as a formula: say it is text.
            target.data_type = TYPE_STRING
        if bold:
            target.font = Font(bold=True)
        return target

    put(1, 1, MARKING).font = Font(bold=True, color="D4351C")
    put(2, 1, table.title).font = Font(bold=True, size=14)
    for column, header in enumerate(table.headers, start=1):
        put(3, column, header, bold=True)
    for row_number, row in enumerate(table.rows, start=4):
        for column, cell in enumerate(row, start=1):
            put(row_number, column, cell)
    sheet.freeze_panes = "A4"
    for column, header in enumerate(table.headers, start=1):
        width = max([len(header)] + [len(_text(row[column - 1])) for row in table.rows])
        sheet.column_dimensions[sheet.cell(row=3, column=column).column_letter].width = min(
            max(width + 2, 10), 60
        )
    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = MARKING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(table: Table, fmt: str) -> bytes:
    return to_csv(table) if fmt == "csv" else to_xlsx(table)


def export_measure(user, measure: Measure, fmt: str, today: date) -> tuple[bytes, str]:
    """The measure's table in the format, and its file name; the export is audited."""
    table = measure_table(user, measure, today)
    content = render(table, fmt)
    record(user, "measure.exported", measure, format=fmt)
    return content, f"{table.filename_stem}.{fmt}"


def export_priority(user, priority: Priority, fmt: str, today: date) -> tuple[bytes, str]:
    table = priority_table(user, priority, today)
    content = render(table, fmt)
    record(user, "priority.exported", priority, format=fmt, measures=len(table.rows))
    return content, f"{table.filename_stem}.{fmt}"
