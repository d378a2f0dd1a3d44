"""The annual report as a Word file (python-docx), for officers to edit into a board paper.

Real headings (Word's Heading styles, so the navigation pane and a table of contents
work), real tables with their header row repeated on each page, and each chart as a
picture (drawn from the same SVG as the web page, by cairosvg) followed by its table.
"""

import io

import cairosvg
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from saferhub.reports.content import (
    ActionEntry,
    AnnualReport,
    Chart,
    MeasureRow,
    PrioritySection,
    Section,
)
from saferhub.reports.formatting import Block, BulletList, Paragraph

MEASURE_COLUMNS = ("Measure", "Baseline", "Target", "This year", "Last year", "Status", "Trend")


def render_docx(report: AnnualReport) -> bytes:
    document = Document()
    _set_up(document, report)
    _cover(document, report)
    _contents(document)
    _summary(document, report)
    for priority in report.priorities:
        _priority(document, priority)
    for section in report.sections:
        _extra_section(document, section)
    _alignment(document, report)
    _appendix(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- Page set-up -------------------------------------------------------------------------


def _set_up(document, report: AnnualReport) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    # Word fills in the contents and page numbers itself when the file is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    properties = document.core_properties
    properties.title = report.title
    properties.subject = f"{report.marking}: annual progress report"
    properties.author = report.partnership
    header = section.header.paragraphs[0]
    header.text = f"{report.marking}    {report.strategy_title}"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{report.marking} · Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A Word field (page number, contents), updated by Word when the file is opened."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


# -- Building blocks ---------------------------------------------------------------------


def _table(document, caption: str, columns, rows, numeric=()) -> None:
    document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    header = table.rows[0]
    # Repeat the header row on every page the table runs onto.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = str(text)
            if index < len(numeric) and numeric[index]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _blocks(document, blocks: list[Block]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            for run in block.runs:
                paragraph.add_run(run.text).bold = run.bold
        elif isinstance(block, BulletList):
            for item in block.items:
                paragraph = document.add_paragraph(style="List Bullet")
                for run in item:
                    paragraph.add_run(run.text).bold = run.bold


def _bullets(document, lines: list[str]) -> None:
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def _measure_rows(rows: list[MeasureRow]) -> list[tuple[str, ...]]:
    return [
        (
            row.name,
            row.baseline_text,
            row.target_text,
            row.this_year.text,
            row.last_year.text,
            row.rag_text,
            row.trend_text,
        )
        for row in rows
    ]


def _chart(document, chart: Chart) -> None:
    document.add_heading(chart.title, level=3)
    png = cairosvg.svg2png(bytestring=str(chart.svg).encode("utf-8"), output_width=1200)
    shape = document.add_picture(io.BytesIO(png), width=Cm(16))
    # Alt text where Word's Alt Text pane and accessibility checker look for it.
    shape._inline.docPr.set("descr", chart.alt_text)
    shape._inline.docPr.set("title", chart.title)
    rows = [
        (row.label, row.this_year_text, row.last_year_text, row.target_text) for row in chart.rows
    ]
    _table(document, chart.caption, chart.columns, rows, (False, True, True, True))


def _action_list(document, title: str, actions: list[ActionEntry]) -> None:
    document.add_heading(title, level=3)
    if not actions:
        document.add_paragraph("None.")
        return
    for action in actions:
        done = f", completed {action.completed_on_text}" if action.completed_on_text else ""
        document.add_paragraph(
            f"{action.title} ({action.agency}; due {action.due_on_text}{done})",
            style="List Bullet",
        )


# -- Sections ----------------------------------------------------------------------------


def _cover(document, report: AnnualReport) -> None:
    cover = report.cover
    marking = document.add_paragraph()
    marking.add_run(cover.marking).bold = True
    document.add_paragraph(cover.partnership)
    document.add_heading(cover.title, level=0)
    document.add_paragraph(cover.strategy_title).runs[0].bold = True
    document.add_paragraph(cover.year_text)
    document.add_paragraph(cover.period_text)
    if cover.ambition:
        document.add_paragraph(cover.ambition)
    document.add_paragraph(f"Generated on {cover.generated_on_text} from saferhub.")
    document.add_page_break()


def _contents(document) -> None:
    document.add_heading("Contents", level=1)
    paragraph = document.add_paragraph()
    _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
    document.add_paragraph(
        "Word fills in the contents when it opens the file (it asks to update the "
        "document's fields: answer Yes)."
    )
    document.add_page_break()


def _summary(document, report: AnnualReport) -> None:
    summary = report.summary
    document.add_heading("Executive summary", level=1)
    _bullets(document, summary.key_points)
    if summary.key_figures:
        rows = [(f.label, f.value_text, f.note) for f in summary.key_figures]
        _table(document, "The year in figures", ("Figure", "Value", "Note"), rows)
    if summary.largest_changes:
        _table(
            document,
            "The largest changes on last year",
            MEASURE_COLUMNS,
            _measure_rows(summary.largest_changes),
        )
    if summary.missed:
        _table(document, "Measures off target", MEASURE_COLUMNS, _measure_rows(summary.missed))
    if summary.overdue_actions:
        document.add_heading("Actions overdue at the year end", level=2)
        for number, action in summary.overdue_actions:
            document.add_paragraph(
                f"Priority {number}: {action.title} ({action.agency}; due {action.due_on_text})",
                style="List Bullet",
            )


def _priority(document, priority: PrioritySection) -> None:
    document.add_page_break()
    document.add_heading(f"{priority.number}. {priority.title}", level=1)
    if priority.summary:
        document.add_paragraph(priority.summary)
    lead = priority.lead_agency + (f", {priority.lead_officer}" if priority.lead_officer else "")
    document.add_paragraph(f"Lead: {lead}")
    if priority.outcomes:
        document.add_heading("Outcomes", level=2)
        _bullets(document, priority.outcomes)
    document.add_heading("Measures", level=2)
    if priority.measures:
        _table(
            document,
            f"Priority {priority.number}: measures for the year",
            MEASURE_COLUMNS,
            _measure_rows(priority.measures),
        )
    else:
        document.add_paragraph("This priority has no measures.")
    for chart in priority.charts:
        _chart(document, chart)
    document.add_heading("Highlights", level=2)
    if not priority.highlights:
        document.add_paragraph("No highlights were chosen for this year.")
    for highlight in priority.highlights:
        document.add_heading(highlight.title or highlight.agency, level=3)
        document.add_paragraph(
            f"{highlight.agency}, {highlight.author}, {highlight.written_on_text}"
        ).runs[0].italic = True
        _blocks(document, highlight.blocks)
    document.add_heading("Actions", level=2)
    _action_list(document, "Completed in the year", priority.actions.completed)
    _action_list(document, "In progress", priority.actions.in_progress)
    _action_list(document, "Overdue at the year end", priority.actions.overdue)
    if priority.objectives:
        document.add_heading("Alignment", level=2)
        _bullets(document, priority.objectives)


def _extra_section(document, section: Section) -> None:
    document.add_page_break()
    document.add_heading(section.title, level=1)
    for paragraph in section.paragraphs:
        document.add_paragraph(paragraph)
    if section.figures:
        rows = [(f.label, f.value_text, f.note) for f in section.figures]
        _table(document, f"{section.title}: key figures", ("Figure", "Value", "Note"), rows)
    for table in section.tables:
        _table(document, table.caption, table.columns, table.rows, table.numeric)


def _alignment(document, report: AnnualReport) -> None:
    document.add_page_break()
    document.add_heading("Alignment with other plans", level=1)
    rows = [
        (row.plan, f"{row.code} {row.title}", "; ".join(row.priorities) or "None")
        for row in report.alignment
    ]
    if rows:
        _table(
            document,
            "Objectives of other plans and the priorities that serve them",
            ("Plan", "Objective", "Priorities of this strategy"),
            rows,
        )
    else:
        document.add_paragraph("The strategy is not yet aligned with another plan.")


def _appendix(document, report: AnnualReport) -> None:
    document.add_page_break()
    document.add_heading("Appendix: measure definitions and data notes", level=1)
    rows = [
        (
            f"{d.priority_number}. {d.name}",
            d.definition,
            d.unit_label,
            d.period_label,
            d.source,
            d.method,
        )
        for d in report.definitions
    ]
    _table(
        document,
        "Measure definitions",
        ("Measure", "Definition", "Unit", "Period", "Source", "Year's figure"),
        rows,
    )
    notes = report.notes
    document.add_heading("Data notes", level=2)
    _bullets(document, notes.notes)
    if notes.missing_returns:
        rows = [(m.agency, m.quarter_text, m.status_text) for m in notes.missing_returns]
        _table(document, "Returns missing from the year", ("Agency", "Quarter", "Status"), rows)
    if notes.no_figures:
        document.add_heading("Measures with no figure for the year", level=3)
        _bullets(document, notes.no_figures)
    if notes.incomplete:
        document.add_heading("Measures with part of the year missing", level=3)
        _bullets(document, notes.incomplete)
