"""The annual report's domestic abuse safety planning section (safeguarding/report_sections.py)."""

from datetime import date

import pytest

from saferhub.reports import annual, sections
from saferhub.reports.html import render_html
from saferhub.safeguarding import case_access
from saferhub.safeguarding.models import ListedCase, Meeting
from saferhub.safeguarding.report_sections import safety_planning
from tests.safeguarding.cases import make_referral, victim
from tests.safeguarding.heard import case, hear

YEAR_START, YEAR_ENDING = date(2023, 4, 1), date(2024, 3, 31)


@pytest.fixture
def heard(world):
    """Four cases heard in 2023/24: two at a daily meeting (one heard again at the monthly
    MARAC), one at the MARAC (a repeat), one imported without its meeting; one heard
    the year before."""
    person = victim(world)
    first = make_referral(world.police_officer, person, on=date(2023, 4, 20))
    second = make_referral(
        world.housing_officer, victim(world, given="Ann", family="Other"), on=date(2023, 4, 21)
    )
    daily = hear(world.coordinator, [first, second], date(2023, 5, 2), Meeting.Kind.DAILY)
    repeat = make_referral(world.police_officer, person, on=date(2023, 6, 1))
    assert repeat.is_repeat
    monthly = hear(world.coordinator, [repeat], date(2023, 6, 14), Meeting.Kind.MONTHLY)
    ListedCase.objects.create(  # back at the MARAC later: still heard first at the daily
        meeting=monthly, referral=first, position=2, why=ListedCase.Why.OVERDUE_ACTIONS, heard=True
    )
    case_access.refresh_case(first.pk)
    case(world, date(2024, 3, 31), children=3)
    case(world, date(2023, 3, 31), children=9)
    return daily, monthly


def _context(plan, user, year_start=YEAR_START, year_ending=YEAR_ENDING):
    return sections.Context(plan.strategy, year_start, year_ending, user)


def _figures(section):
    return [(figure.label, figure.value_text) for figure in section.figures]


def test_the_years_cases_repeats_children_and_routes(plan, world, heard):
    section = safety_planning(_context(plan, world.analyst))
    assert section.key == "safeguarding.safety_planning"
    assert _figures(section) == [
        ("Cases heard", "4"),
        ("Repeat cases", "25.0%"),
        ("Children in the households", "6"),
    ]
    (routes,) = section.tables
    assert routes.rows == [
        ("Daily meeting", "2"),
        ("Monthly MARAC", "1"),
        ("Meeting not recorded", "1"),
    ]
    assert "below the national figure of 32%" in section.paragraphs[1]


def test_from_the_command_line_the_strategys_partnership_is_counted(plan, world, heard):
    assert _figures(safety_planning(_context(plan, None))) == _figures(
        safety_planning(_context(plan, world.analyst))
    )


def test_no_section_without_cases(plan, world, heard):
    year_before = safety_planning(
        _context(plan, world.analyst, date(2022, 4, 1), date(2023, 3, 31))
    )
    assert _figures(year_before)[0] == ("Cases heard", "1")
    assert safety_planning(_context(plan, world.stranger)) is None  # counts another partnership's
    assert safety_planning(_context(plan, None, date(2024, 4, 1), date(2025, 3, 31))) is None


def test_the_report_has_the_section_when_there_were_cases(plan, world, heard):
    report = annual.build_report(plan.strategy, YEAR_ENDING, world.analyst, today=date(2024, 6, 1))
    assert [section.key for section in report.sections] == ["safeguarding.safety_planning"]
    html = render_html(report, standalone=True)
    assert "Domestic abuse safety planning" in html and "Cases heard, by route" in html
    later = annual.build_report(
        plan.strategy, date(2025, 3, 31), world.analyst, today=date(2025, 6, 1)
    )
    assert later.sections == []
