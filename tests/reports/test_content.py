"""What the annual report says: every priority, the year's figures against last year,
approved figures only, missing returns named, the highlights chosen, the actions at the
year end, and no safety planning section until the safeguarding app gives one."""

from datetime import date
from decimal import Decimal as D

import pytest

from saferhub.reports import annual, sections
from saferhub.reports.content import Section
from saferhub.reports.html import render_html
from saferhub.reports.models import Highlight
from saferhub.strategy.models import Action
from tests.reports.data import YEAR_ENDING, housing_months
from tests.strategy.figures import police_quarter

TODAY = date(2024, 6, 1)


def _report(plan, user, day=YEAR_ENDING, today=TODAY):
    return annual.build_report(plan.strategy, day, user, today=today)


def _row(report, code):
    return next(row for p in report.priorities for row in p.measures if row.code == code)


def test_every_priority_is_there_with_its_lead_outcomes_and_measures(plan, world, year):
    report = _report(plan, world.analyst)
    assert [p.title for p in report.priorities] == [
        "Domestic violence and abuse",
        "Anti-social behaviour",
    ]
    abuse = report.priorities[0]
    assert abuse.lead_agency == "Testford Police" and abuse.lead_officer == "Lena Lead"
    assert abuse.outcomes == ["Fewer repeat victims"]
    assert abuse.objectives == ["PCP1 Keep people safe (Police and Crime Plan)"]
    assert [m.code for m in abuse.measures] == ["da-incidents", "da-repeat-rate", "da-repeats"]
    assert [c.measure_code for c in abuse.charts] == ["da-incidents"]  # the headline one
    assert report.cover.marking == "OFFICIAL" and report.marking == "OFFICIAL"
    assert report.cover.period_text == "1 April 2023 to 31 March 2024"
    assert report.cover.generated_on_text == "1 June 2024"
    assert [(a.code, a.priorities) for a in report.alignment] == [
        ("PCP1", ["1. Domestic violence and abuse"])
    ]


def test_the_year_against_last_year_target_and_rating(plan, world, year):
    incidents = _row(_report(plan, world.analyst), "da-incidents")
    # A quarterly count: the year's total (1,600) against last year's (2,000) and the
    # total of the quarters' targets (4 x 450).
    assert (incidents.this_year.text, incidents.last_year.text) == ("1,600", "2,000")
    assert incidents.target_text == "1,800"
    assert (incidents.rag, incidents.rag_text) == ("green", "On target")
    assert incidents.trend_text == "Down 20.0% on last year (better)"
    assert incidents.baseline_text == "500"
    rate = _row(_report(plan, world.analyst), "da-repeat-rate")
    # A formula over two counts: worked out from the year's totals (480 / 1,600).
    assert rate.this_year.text == "30%" and "Worked out from the year's totals" in rate.method
    assert rate.rag_text == "Not rated"  # no target


def test_the_executive_summary_gives_the_headline_figures(plan, world, year):
    summary = _report(plan, world.analyst).summary
    assert [row.code for row in summary.largest_changes] == ["da-incidents", "da-repeats"]
    assert summary.counts == {"green": 1, "amber": 0, "red": 0, "none": 5}
    assert summary.missed == []
    # The action was due in June 2023 and is not done: overdue at the year end.
    assert [(n, a.title) for n, a in summary.overdue_actions] == [
        (1, "Train call handlers in DASH")
    ]
    assert any("1 met it" in point for point in summary.key_points)


def test_a_target_missed_is_named(plan, world, year):
    plan.incidents.targets.update(value=D(350))  # 1,400 for the year: 1,600 misses it
    report = _report(plan, world.analyst)
    assert [row.code for row in report.summary.missed] == ["da-incidents"]
    assert _row(report, "da-incidents").rag_text == "Off target"


def test_only_approved_figures_whoever_generates(plan, world, year):
    # A fifth quarter is in but not approved: the analyst could see it, the report does not.
    Action.objects.all().delete()
    police_quarter(plan, world, "2024/25-Q1", 999, 300, approved=False)
    report = _report(plan, world.analyst, day=date(2024, 6, 30), today=date(2024, 8, 1))
    incidents = _row(report, "da-incidents")
    # The year to June 2024: three approved quarters of 2023/24 only.
    assert incidents.this_year.text == "1,180"
    assert incidents.this_year.note == "3 of 4 quarters reported"
    assert incidents.rag_text == "Not rated"
    assert incidents.trend_text == "No comparison: a year is not complete"
    assert "999" not in render_html(report, standalone=True)
    missing = [(m.agency, m.quarter_text, m.status_text) for m in report.notes.missing_returns]
    assert ("Testford Police", "Apr–Jun 2024", "not submitted (a draft)") in missing
    assert "1. Da Incidents (3 of 4 quarters reported)" in report.notes.incomplete


def test_missing_returns_and_measures_without_figures_are_named(plan, world, year):
    housing_months(
        plan, world, "2023/24-Q1", {"2023-04": 10, "2023-05": 12, "2023-06": 9}, approved=False
    )
    report = _report(plan, world.analyst)
    missing = [(m.agency, m.quarter_text, m.status_text) for m in report.notes.missing_returns]
    assert missing == [
        ("Testford Homes", "Apr–Jun 2023", "not submitted (a draft)"),
        ("Testford Homes", "Jul–Sep 2023", "not submitted (was due 30 October 2023)"),
        ("Testford Homes", "Oct–Dec 2023", "not submitted (was due 30 January 2024)"),
        ("Testford Homes", "Jan–Mar 2024", "not submitted (was due 30 April 2024)"),
    ]
    assert report.notes.no_figures == ["2. Asb Reports", "2. Households"]
    text = render_html(report, standalone=True)
    assert "Returns not approved" in text and "Testford Homes" in text


def test_a_point_in_time_count_is_the_last_period_and_a_percentage_the_average(plan, world):
    from saferhub.reports.yearly import Method, Year, combine, method_for

    plan.reports.definition = "Open cases at the end of the month."
    assert method_for(plan.reports) == Method.LATEST
    plan.reports.definition = "Reports made in the month."
    assert method_for(plan.reports) == Method.TOTAL
    plan.reports.unit = "percentage"
    assert method_for(plan.reports) == Method.AVERAGE
    assert method_for(plan.households) == Method.ONLY
    periods = Year.ending(YEAR_ENDING).periods("monthly")
    assert len(periods) == 12 and periods[0].code == "2023-04" and periods[-1].code == "2024-03"
    values = {p: D(10 + i) for i, p in enumerate(periods)}
    assert combine(plan.reports, Method.AVERAGE, periods, values).value == D("15.5")
    assert combine(plan.reports, Method.LATEST, periods, values).value == D(21)
    assert combine(plan.reports, Method.TOTAL, periods, values).value == D(186)


def test_any_twelve_months(plan):
    from saferhub.reports.yearly import Year

    year = Year.ending(date(2024, 1, 15))
    assert (year.start, year.before().end) == (date(2023, 1, 16), date(2023, 1, 15))
    assert [p.code for p in year.periods("quarterly")] == [
        "2022/23-Q4",
        "2023/24-Q1",
        "2023/24-Q2",
        "2023/24-Q3",
    ]
    assert [p.code for p in year.periods("yearly")] == ["2022/23"]
    assert Year.ending(date(2024, 2, 29)).start == date(2023, 3, 1)


def _highlight(plan, world, included, written_on=date(2023, 9, 1), **extra):
    return Highlight.objects.create(
        priority=plan.abuse,
        agency=world.police,
        author=world.police_lead,
        written_on=written_on,
        title=extra.pop("title", "Call handlers trained"),
        text=extra.pop("text", "We trained **120** call handlers.\n\n- DASH\n- Stalking"),
        included=included,
    )


def test_only_the_highlights_the_analyst_included_for_the_year(plan, world, year):
    _highlight(plan, world, included=True)
    _highlight(plan, world, included=False, title="Left out")
    _highlight(plan, world, included=True, written_on=date(2022, 9, 1), title="Last year's")
    report = _report(plan, world.analyst)
    found = report.priorities[0].highlights
    assert [h.title for h in found] == ["Call handlers trained"]
    assert found[0].html == (
        '<p class="govuk-body">We trained <strong>120</strong> call handlers.</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>DASH</li><li>Stalking</li></ul>'
    )
    assert (found[0].agency, found[0].written_on_text) == ("Testford Police", "1 September 2023")


def test_actions_as_they_stood_at_the_year_end(plan, world, year):
    def action(title, due, status="not_started", completed=None):
        Action.objects.create(
            priority=plan.asb,
            title=title,
            owning_agency=world.housing,
            due_on=due,
            status=status,
            completed_on=completed,
        )

    action("Done in the year", date(2023, 12, 1), "done", date(2023, 11, 20))
    action("Done after the year, late", date(2024, 2, 1), "done", date(2024, 5, 1))
    action("Done long ago", date(2022, 6, 1), "done", date(2022, 6, 1))
    action("Not due yet", date(2024, 9, 1), "on_track")
    actions = _report(plan, world.analyst).priorities[1].actions
    assert [a.title for a in actions.completed] == ["Done in the year"]
    assert [a.title for a in actions.overdue] == ["Done after the year, late"]
    assert [a.title for a in actions.in_progress] == ["Not due yet"]
    assert actions.completed_before == 1


def test_no_safety_planning_section_until_the_safeguarding_app_gives_one(plan, world, year):
    report = _report(plan, world.analyst)
    assert report.sections == []
    assert "safety planning" not in render_html(report, standalone=True).lower()


@pytest.fixture
def safety_planning():
    @sections.register("test.safety_planning", "Domestic abuse safety planning")
    def section(context) -> Section | None:
        if context.year_ending < date(2024, 1, 1):
            return None  # nothing recorded for that year
        return sections.safety_planning_section(
            context,
            cases=5111,
            repeats=1840,
            children=1206,
            key="test.safety_planning",
            by_route=[("Daily meeting", 3347), ("MARAC", 1764)],
        )

    yield section
    sections.unregister("test.safety_planning")


def test_a_registered_section_appears_with_the_national_comparison(
    plan, world, year, safety_planning
):
    report = _report(plan, world.analyst)
    (section,) = report.sections
    assert [(f.label, f.value_text) for f in section.figures] == [
        ("Cases heard", "5,111"),
        ("Repeat cases", "36.0%"),
        ("Children in the households", "1,206"),
    ]
    assert "above the national figure of 32%" in section.paragraphs[1]
    assert report.contents[-3].title == "Domestic abuse safety planning"
    assert "Cases heard, by route" in render_html(report, standalone=True)
    earlier = _report(plan, world.analyst, day=date(2023, 12, 31))
    assert earlier.sections == []


def test_the_same_data_gives_the_same_report_word_for_word(plan, world, year):
    _highlight(plan, world, included=True)
    first = render_html(_report(plan, world.analyst), standalone=True)
    second = render_html(_report(plan, world.analyst), standalone=True)
    assert first == second
    assert render_html(_report(plan, None), standalone=True) == first  # the command line
    assert 'id="chart-da-incidents-title"' in first


def test_a_fixed_number_of_queries_whatever_the_size_of_the_strategy(plan, world, year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saferhub.strategy.models import Measure, Outcome, Priority

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _report(plan, world.analyst)
        return len(captured)

    count()  # the user's roles are read once, then kept
    before = count()
    for number in (3, 4, 5):
        priority = Priority.objects.create(
            strategy=plan.strategy,
            number=number,
            title=f"Priority {number}",
            lead_agency=world.council,
        )
        Outcome.objects.create(priority=priority, text="An outcome")
        for code in ("a", "b"):
            Measure.objects.create(
                priority=priority,
                code=f"m{number}{code}",
                name=f"Measure {number}{code}",
                definition="A count.",
                unit="count",
                direction="up",
                period_type="monthly",
                reporting_agency=world.council,
                is_headline=code == "a",
            )
        Highlight.objects.create(
            priority=priority,
            agency=world.council,
            author=world.analyst,
            written_on=date(2023, 9, 1),
            text="Words",
            included=True,
        )
        Action.objects.create(
            priority=priority,
            title="An action",
            owning_agency=world.council,
            due_on=date(2024, 1, 1),
        )
    assert count() == before
