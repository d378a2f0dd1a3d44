"""Bad input: the report refuses a year it cannot cover with a clear message, and
otherwise always renders: no measures, no figures, script in a highlight, a title of
300 characters. Never a stack trace, never markup from input in the output."""

from datetime import date

import pytest

from saferhub.reports import annual, pdf
from saferhub.reports.formatting import parse, plain_text, render
from saferhub.reports.html import render_html
from saferhub.reports.models import Highlight
from saferhub.strategy.models import Measure, Priority, Strategy
from tests.reports.data import YEAR_ENDING

SCRIPT = '<script>alert("x")</script><img src=x onerror="alert(1)"> **<b>bold</b>**'


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2022, 3, 31), "must end within the strategy"),
        (date(2025, 4, 1), "must end within the strategy"),
    ],
)
def test_a_year_outside_the_strategy_is_refused_clearly(plan, day, message):
    with pytest.raises(annual.ReportError, match=message) as refused:
        annual.build_report(plan.strategy, day, None)
    assert "1 April 2022 to 31 March 2025" in str(refused.value)


def test_a_year_not_yet_over_is_refused(plan):
    with pytest.raises(annual.ReportError, match="has not ended yet"):
        annual.build_report(plan.strategy, date(2024, 3, 31), None, today=date(2024, 3, 30))


def test_a_strategy_with_no_measures_still_renders(world):
    empty = Strategy.objects.create(
        partnership=world.partnership,
        title="Empty plan",
        slug="empty",
        starts_on=date(2023, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    Priority.objects.create(
        strategy=empty, number=1, title="Nothing yet", lead_agency=world.council
    )
    report = annual.build_report(empty, YEAR_ENDING, world.analyst)
    html = render_html(report, standalone=True)
    assert "This priority has no measures." in html
    assert "The strategy has no measures yet" in html
    assert pdf.render_pdf(report).startswith(b"%PDF")


def test_a_strategy_with_no_priorities_still_renders(world):
    bare = Strategy.objects.create(
        partnership=world.partnership,
        title="Bare plan",
        slug="bare",
        starts_on=date(2023, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    report = annual.build_report(bare, YEAR_ENDING, world.analyst)
    assert report.priorities == [] and "Executive summary" in render_html(report, True)


def test_a_measure_with_no_values_is_no_figure_and_named(plan, world):
    report = annual.build_report(plan.strategy, YEAR_ENDING, world.analyst)
    incidents = report.priorities[0].measures[0]
    assert incidents.this_year.text == "No figure" and incidents.rag_text == "Not rated"
    assert "1. Da Incidents" in report.notes.no_figures
    chart = report.priorities[0].charts[0]
    assert "none reported yet" in chart.alt_text
    assert [row.this_year_text for row in chart.rows] == ["No figure"] * 4


def test_script_in_a_highlight_is_escaped_everywhere(plan, world):
    Highlight.objects.create(
        priority=plan.abuse,
        agency=world.police,
        author=world.police_lead,
        written_on=date(2023, 6, 1),
        title='<script>alert("t")</script>',
        text=SCRIPT,
        included=True,
    )
    report = annual.build_report(plan.strategy, YEAR_ENDING, world.analyst)
    for html in (render_html(report, True), render_html(report, False)):
        assert "<script" not in html and "<img" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>" in html
    text = _pdf_text(pdf.render_pdf(report))
    assert '<script>alert("x")</script>' in text  # shown as the words typed, not run


def _pdf_text(content: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def test_a_priority_title_of_300_characters_renders(plan, world):
    long_title = ("A very long priority title that goes on " * 10)[:300]
    assert len(long_title) == 300
    plan.abuse.title = long_title
    plan.abuse.save()
    report = annual.build_report(plan.strategy, YEAR_ENDING, world.analyst)
    section = report.priorities[0]
    assert section.title == long_title and len(section.running_title) <= 70
    assert section.running_title.endswith("…")
    html = render_html(report, standalone=True)
    assert long_title in html
    assert pdf.render_pdf(report).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\nStill one.\n\nTwo.", "One. Still one.\nTwo."),
        ("- a\n- b\n  carried on\nAfter", "• a\n• b carried on\nAfter"),
        ("**not closed", "**not closed"),
        ("a\x00b\x1bc", "a b c"),
        ("", ""),
    ],
)
def test_the_formatter(text, expected):
    assert plain_text(parse(text)) == expected


def test_the_formatter_escapes_before_formatting():
    assert str(render("**<i>x</i>** & y")) == (
        '<p class="govuk-body"><strong>&lt;i&gt;x&lt;/i&gt;</strong> &amp; y</p>'
    )
    assert str(render('- <a href="javascript:x">link</a>')) == (
        '<ul class="govuk-list govuk-list--bullet"><li>&lt;a href=&quot;javascript:x&quot;'
        "&gt;link&lt;/a&gt;</li></ul>"
    )


def test_a_measure_name_with_markup_is_escaped_in_its_chart(plan, world):
    Measure.objects.filter(pk=plan.incidents.pk).update(name='<svg onload="x">')
    report = annual.build_report(plan.strategy, YEAR_ENDING, world.analyst)
    html = render_html(report, True)
    assert '<svg onload="x">' not in html and "&lt;svg onload=&quot;x&quot;&gt;" in html
