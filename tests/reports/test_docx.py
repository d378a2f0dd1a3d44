"""The Word file: real headings, tables with repeated header rows, charts as pictures."""

import io
from datetime import date

import docx
from docx.oxml.ns import qn

from saferhub.reports import annual
from saferhub.reports.docx import render_docx
from saferhub.reports.models import Highlight
from tests.strategy import figures


def _document(plan, world, **highlight):
    if highlight:
        Highlight.objects.create(
            priority=plan.abuse,
            agency=world.police,
            author=world.police_lead,
            written_on=date(2023, 9, 1),
            included=True,
            **highlight,
        )
    report = annual.build_report(plan.strategy, date(2024, 3, 31), world.analyst)
    return docx.Document(io.BytesIO(render_docx(report)))


def test_it_has_real_headings_for_every_priority(world, plan):
    document = _document(plan, world)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Executive summary" in headings
    assert "1. Domestic violence and abuse" in headings and "2. Anti-social behaviour" in headings
    assert "Appendix: measure definitions and data notes" in headings


def test_tables_repeat_their_header_row(world, plan):
    document = _document(plan, world)
    assert document.tables
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_a_headline_measure_chart_is_a_picture_with_its_table(world, plan):
    figures.police_quarter(plan, world, "2023/24-Q1", 420, 126)
    figures.police_quarter(plan, world, "2023/24-Q2", 401, 118)
    document = _document(plan, world)
    pictures = document.inline_shapes
    assert len(pictures) >= 1  # the headline measure (da-incidents)
    described = document.element.body.xpath(".//wp:docPr/@descr")
    assert len(described) == len(pictures) and all(described)
    assert document.settings.element.find(qn("w:updateFields")) is not None


def test_a_highlight_with_markup_stays_text(world, plan):
    document = _document(
        plan, world, title="Progress", text="<script>alert(1)</script>\n\n- **Done**"
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert(1)</script>" in text  # shown as typed, never as markup
    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert "Done" in bold
