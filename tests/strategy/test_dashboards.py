"""The strategy dashboards: who may read them, what they show, and what they cost."""

import re
from datetime import date, timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import resolve

from saferhub.strategy import charts, dashboards, measure_report
from saferhub.strategy.models import (
    Action,
    ExternalObjective,
    Measure,
    Outcome,
    Priority,
    Strategy,
    Target,
)
from saferhub.strategy.performance import Rag
from saferhub.strategy.periods import Period, PeriodType
from tests.strategy.figures import bulk_values, enter, police_quarter

OVERVIEW = "/strategy/2022-25/"
ABUSE = "/strategy/2022-25/priorities/1/"
ASB = "/strategy/2022-25/priorities/2/"
MEASURES = [
    "/strategy/2022-25/measures/da-incidents/",
    "/strategy/2022-25/measures/da-repeat-rate/",
    "/strategy/2022-25/measures/overdue-actions/",
    "/strategy/2022-25/measures/asb-reports/",
    "/strategy/2022-25/measures/households/",
]
PAGES = ["/strategy/", OVERVIEW, ABUSE, ASB, *MEASURES]
# Seen from just after the first quarter of 2023/24.
AS_OF = "?as_of=2023-07-15"


def _text(response) -> str:
    """The page's main content as words, tags removed, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def _get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response


# -- Who may read them ---------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_everyone_in_the_partnership_reads_every_page(client, plan, world, url):
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    for name, user in world.users_by_role().items():
        if name == "stranger":
            continue
        client.force_login(user)
        assert client.get(url + AS_OF).status_code == 200, (name, url)
        assert client.get(url).status_code == 200, (name, url)


@pytest.mark.parametrize("url", PAGES[1:])
def test_another_partnership_finds_nothing(client, plan, world, url):
    client.force_login(world.stranger)
    assert client.get(url).status_code == 404


def test_another_partnership_sees_no_strategy_in_the_list(client, plan, world):
    assert "Safer Testford" not in _text(_get(client, world.stranger, "/strategy/"))


@pytest.mark.parametrize("url", PAGES)
def test_a_visitor_is_sent_to_sign_in(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    "url",
    ["/strategy/no-such/", "/strategy/2022-25/priorities/9/", "/strategy/2022-25/measures/nope/"],
)
def test_missing_records_are_not_found(client, plan, world, url):
    client.force_login(world.board_member)
    assert client.get(url).status_code == 404


def test_the_measure_page_leaves_new_measures_to_measure_set_up():
    assert resolve("/strategy/2022-25/measures/new/").url_name == "measure-create"
    assert resolve("/strategy/2022-25/measures/da-incidents/").url_name == "measure"


def test_the_strategy_is_in_the_navigation_and_listed_even_when_it_is_the_only_one(
    client, plan, world
):
    response = _get(client, world.board_member, "/strategy/")
    html = response.content.decode()
    assert re.search(r'href="/strategy/"[^>]*aria-current="page"', html)
    assert 'href="/strategy/2022-25/"' in html
    assert "Safer Testford 2022-25" in _text(response)


def test_a_board_member_reads_but_is_offered_nothing_to_change(client, plan, world):
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    for url in PAGES:
        html = _get(client, world.board_member, url + AS_OF).content.decode()
        main = html[html.index("<main") :]
        assert "<form" not in main and "<button" not in main and "<input" not in main, url


# -- What they show ----------------------------------------------------------------


def test_rag_rule_and_trend_on_last_year(client, plan, world):
    police_quarter(plan, world, "2022/23-Q1", 500, 150)
    police_quarter(plan, world, "2023/24-Q1", 420, 126)  # target 450, lower is better

    text = _text(_get(client, world.board_member, OVERVIEW + AS_OF))
    assert "Apr–Jun 2023 420 450 On target" in text
    assert "Lower is better. Green at 450" in text
    assert "Down 16.0% on last year (better)" in text

    text = _text(_get(client, world.board_member, ABUSE + AS_OF))
    assert "Latest: Apr–Jun 2023 420 against a target of 450" in text
    assert "↓ Down 16.0% on last year (better)" in text


@pytest.mark.parametrize(
    "value, rag, word",
    [(450, Rag.GREEN, "On target"), (460, Rag.AMBER, "Near target"), (480, Rag.RED, "Off target")],
)
def test_rag_counts_of_the_latest_period(client, plan, world, value, rag, word):
    police_quarter(plan, world, "2023/24-Q1", value, 100)
    page = dashboards.overview(world.board_member, plan.strategy, date(2023, 7, 15))
    abuse = page.rows[0]
    assert abuse.priority == plan.abuse
    assert abuse.headlines[0].latest.rating.rag == rag
    # Incidents rated; the repeats and the rate have no target.
    assert getattr(abuse.counts, rag.value) == 1 and abuse.counts.none == 2
    assert page.counts.total == 6
    colour = {"amber": "yellow"}.get(rag.value, rag.value)
    html = _get(client, world.board_member, OVERVIEW + AS_OF).content.decode()
    assert f'<strong class="govuk-tag govuk-tag--{colour}">{word}</strong>' in html


def test_overdue_actions_are_counted_and_listed_first(client, plan, world):
    Action.objects.create(
        priority=plan.abuse,
        title="Open a second refuge",
        owning_agency=world.council,
        due_on=date(2024, 3, 31),
    )
    Action.objects.create(
        priority=plan.abuse,
        title="Publish the DHR lessons",
        owning_agency=world.council,
        due_on=date(2023, 1, 31),
        status=Action.Status.DONE,
        completed_on=date(2023, 1, 20),
    )
    page = dashboards.overview(world.board_member, plan.strategy, date(2023, 7, 15))
    assert (page.rows[0].overdue_actions, page.rows[0].actions) == (1, 3)
    assert "1 overdue of 3" in _text(_get(client, world.board_member, OVERVIEW + AS_OF))

    text = _text(_get(client, world.board_member, ABUSE + AS_OF))
    order = [text.index(title) for title in ("Train call", "Publish the DHR", "Open a second")]
    assert order == sorted(order)  # overdue first, then by due date
    assert "Train call handlers in DASH Testford Police Owen Officer 30 Jun 2023 Overdue" in text


@pytest.mark.parametrize(
    "name", ["housing_officer", "board_member", "outsider", "analyst", "admin", "police_lead"]
)
def test_an_unapproved_figure_shows_on_no_dashboard(client, plan, world, name):
    """Dashboards show published (approved) figures only, the same for every reader;
    the police and the CSP team see a figure awaiting approval on its return's page."""
    police_quarter(plan, world, "2023/24-Q1", 4321, 1234, approved=False)
    user = getattr(world, name)
    for url in [OVERVIEW, ABUSE, MEASURES[0], MEASURES[1]]:
        html = _get(client, user, url + AS_OF).content.decode()
        assert "4,321" not in html and "1,234" not in html, url
        # ...nor the rate worked out from them: 1234 / 4321 x 100.
        assert "28.56%" not in html, url


def test_once_approved_everyone_sees_the_figure(client, plan, world):
    police_quarter(plan, world, "2023/24-Q1", 4321, 1234, approved=True)
    for user in (world.housing_officer, world.board_member, world.analyst):
        for url in [OVERVIEW, ABUSE, MEASURES[0]]:
            assert "4,321" in _get(client, user, url + AS_OF).content.decode(), url
        assert "28.56%" in _get(client, user, MEASURES[1] + AS_OF).content.decode()


def _figure(html: str, code: str) -> tuple[str, str]:
    """The SVG and the table of a measure's figure on a priority page."""
    section = html[html.index(f'id="measure-{code}"') :]
    section = section[: section.index("</section>")]
    svg = section[section.index("<svg") : section.index("</svg>") + 6]
    table = section[section.index("<table") : section.index("</table>")]
    return svg, table


def test_each_chart_is_an_image_described_in_words_with_the_same_figures_in_a_table(
    client, plan, world
):
    police_quarter(plan, world, "2022/23-Q1", 500, 150)
    police_quarter(plan, world, "2022/23-Q3", 470, 130)
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    html = _get(client, world.board_member, ABUSE + AS_OF).content.decode()

    svg, table = _figure(html, "da-incidents")
    assert re.match(r'<svg [^>]*role="img"', svg)
    assert 'viewBox="0 0 ' in svg and "style=" not in svg
    title = "Da Incidents: quarterly figures against target"
    assert f'<title id="chart-da-incidents-title">{title}</title>' in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert desc.startswith("Quarterly figures from 2020/21-Q2 to 2023/24-Q1; latest 420")
    assert "target 450" in desc and "Highest 500 in 2022/23-Q1; lowest 420 in 2023/24-Q1" in desc
    # A dot per figure, a gap (a new line segment) after each missing quarter, a dashed target.
    assert svg.count("<circle") == 3
    line = re.search(r'<path d="([^"]*)" fill="none" stroke="#1d70b8"', svg).group(1)
    assert line.count("M") == 3
    assert 'stroke-dasharray="6 4"' in svg

    cells = re.findall(r'<td class="[^"]*--numeric">([^<]*)</td>', table)
    figures = [value for value in cells[0::2] if value != "No figure"]
    assert figures == ["500", "470", "420"]
    assert cells[1::2][-1] == "450"
    assert len(re.findall(r"<tr ", table)) == 1 + 12  # the header and three years of quarters


def test_the_measure_page_shows_definition_source_baseline_targets_and_every_period(
    client, plan, world
):
    police_quarter(plan, world, "2022/23-Q1", 500, 150)
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    text = _text(_get(client, world.board_member, MEASURES[0] + AS_OF))
    assert "Definition The da-incidents." in text
    assert "Direction Lower is better" in text and "Reported Quarterly" in text
    assert "Source Submitted by Testford Police" in text
    assert "Baseline 500" in text
    assert "Apr–Jun 2023 420 450 On target" in text
    assert "Apr–Jun 2023 420 500 ↓ Down 16.0% on last year (better)" in text
    assert "Apr–Jun 2022 500 No figure No figure for the same period last year" in text
    # Every quarter of the strategy up to the day asked about: 2022/23-Q1 to 2023/24-Q1.
    page = dashboards.measure_page(
        world.board_member, plan.strategy, plan.incidents, date(2023, 7, 15)
    )
    assert [p.period.code for p in page.report.points][0::4] == ["2022/23-Q1", "2023/24-Q1"]
    assert len(page.report.points) == 5
    assert page.targets == [(plan.incidents.period("2023/24-Q1"), "450")]

    text = _text(_get(client, world.board_member, MEASURES[1] + AS_OF))
    assert "Formula: Da Repeats / Da Incidents × 100" in text
    assert "Apr–Jun 2023 30% None No target" in text
    text = _text(_get(client, world.board_member, MEASURES[2]))
    assert "Derived from saferhub's records: Partnership actions overdue" in text


def test_a_figure_more_than_a_year_old_is_not_the_latest(client, plan, world):
    police_quarter(plan, world, "2022/23-Q1", 500, 150)
    page = dashboards.overview(world.board_member, plan.strategy, date(2023, 6, 30))
    assert page.rows[0].headlines[0].latest.period.code == "2022/23-Q1"
    page = dashboards.overview(world.board_member, plan.strategy, date(2023, 7, 1))
    assert page.rows[0].headlines[0].latest is None
    text = _text(_get(client, world.board_member, OVERVIEW + "?as_of=2023-07-01"))
    assert "Da Incidents No figure reported in the last year" in text


def test_alignment_is_shown_both_ways(client, plan, world):
    objective = ExternalObjective.objects.get(code="PCP1")
    plan.asb.aligned_objectives.add(objective)
    other = ExternalObjective.objects.create(plan=objective.plan, code="PCP2", title="Cut crime")

    text = _text(_get(client, world.board_member, ABUSE))
    assert "Police and Crime Plan: PCP1 Keep people safe" in text
    assert "Also served by: Priority 2: Anti-social behaviour" in text
    text = _text(_get(client, world.board_member, ASB))
    assert "Also served by: Priority 1: Domestic violence and abuse" in text

    text = _text(_get(client, world.board_member, OVERVIEW))
    assert (
        "Police and Crime Plan PCP1 Keep people safe 1. Domestic violence and abuse "
        "2. Anti-social behaviour" in text
    )
    assert f"{other.code} {other.title} Not mapped to a priority" in text


def test_a_date_that_is_not_one_falls_back_to_today(client, plan, world):
    text = _text(_get(client, world.board_member, OVERVIEW + "?as_of=yesterday"))
    assert f"not done by {date.today():%-d %B %Y}" in text


# -- What they cost ----------------------------------------------------------------


def _grow(plan, world, priorities=6, measures_each=12, years=6):
    """Many more priorities, measures (submitted and formula), values, targets, actions,
    outcomes and alignments."""
    objective = ExternalObjective.objects.get(code="PCP1")
    start = date(2019, 4, 1)
    new_priorities = [plan.abuse, plan.asb]
    for number in range(3, 3 + priorities):
        priority = Priority.objects.create(
            strategy=plan.strategy,
            number=number,
            title=f"Priority {number}",
            lead_agency=world.council,
            lead_officer=world.analyst,
        )
        priority.aligned_objectives.add(
            objective, ExternalObjective.objects.create(plan=objective.plan, code=f"X{number}")
        )
        new_priorities.append(priority)
    values, agencies = {}, [world.police, world.housing, world.idva_service]
    for p_index, priority in enumerate(new_priorities):
        Outcome.objects.create(priority=priority, text=f"Outcome of {priority.number}")
        for m in range(measures_each):
            period_type = [PeriodType.MONTHLY, PeriodType.QUARTERLY, PeriodType.YEARLY][m % 3]
            measure = Measure.objects.create(
                priority=priority,
                code=f"m{priority.number}-{m}",
                name=f"Measure {priority.number}.{m}",
                definition="Grown.",
                unit=Measure.Unit.COUNT,
                direction=Measure.Direction.UP,
                period_type=period_type,
                reporting_agency=agencies[(p_index + m) % 3],
                is_headline=m < 3,
            )
            periods = Period.containing(start, period_type).periods_between(
                Period.containing(date(2025, 3, 1), period_type)
            )
            values[measure] = {p.start: D(100 + i) for i, p in enumerate(periods)}
            Target.objects.bulk_create(
                Target(measure=measure, period_start=p.start, value=D(110)) for p in periods
            )
        if priority in (plan.abuse, plan.asb):
            continue
        Action.objects.bulk_create(
            Action(
                priority=priority,
                title=f"Action {i}",
                owning_agency=world.council,
                owner=world.coordinator,
                due_on=date(2023, 1, 1) + timedelta(days=40 * i),
            )
            for i in range(8)
        )
    pairs = list(values)
    for index in range(0, len(pairs) - 1, 6):  # some formulas over the grown measures
        numerator, denominator = pairs[index], pairs[index + 3]
        if numerator.period_type == denominator.period_type:
            Measure.objects.create(
                priority=numerator.priority,
                code=f"rate-{index}",
                name=f"Rate {index}",
                definition="A formula.",
                unit=Measure.Unit.PERCENTAGE,
                direction=Measure.Direction.UP,
                period_type=numerator.period_type,
                reporting_agency=world.council,
                source=Measure.Source.FORMULA,
                numerator=numerator,
                denominator=denominator,
                factor=D(100),
            )
    bulk_values(plan.strategy, world.analyst, values)
    assert Measure.objects.count() > 100


@pytest.mark.parametrize("url", [OVERVIEW, ABUSE, ASB, MEASURES[0], MEASURES[1]])
def test_the_number_of_queries_does_not_grow_with_the_data(
    client, plan, world, django_assert_num_queries, url
):
    # Per request: the session, the user, the authenticator that verified the session, their
    # roles, their agency and partnership (for the header); then the page's own, the same
    # number whatever the data.
    queries = {OVERVIEW: 18, ABUSE: 15, ASB: 15, MEASURES[0]: 10, MEASURES[1]: 10}[url]
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    client.force_login(world.board_member)
    with django_assert_num_queries(queries):
        assert client.get(url + AS_OF).status_code == 200
    _grow(plan, world)
    with django_assert_num_queries(queries):
        response = client.get(url + AS_OF)
    assert response.status_code == 200
    grown = {OVERVIEW: "Priority 8", ABUSE: "Measure 1.11", ASB: "Measure 2.11"}
    assert grown.get(url, "") in response.content.decode()


# -- The chart on its own -----------------------------------------------------------


def test_the_chart_escapes_every_text_and_says_when_there_is_nothing():
    svg = charts.line_chart(
        [("<b>Q1</b>", None), ("Q2 & Q3", None)],
        title='Knife crime <script>alert("x")</script>',
        chart_id='x" onload="alert(1)',
        period_name="Quarterly",
    )
    assert "<script>" not in svg and "<b>" not in svg and 'onload="' not in svg
    assert "&lt;script&gt;" in svg
    assert "Quarterly figures from &lt;b&gt;Q1&lt;/b&gt; to Q2 &amp; Q3: none reported yet." in svg
    assert "No figures reported yet" in svg


def test_the_chart_describes_itself():
    points = [("2024-01", D(10)), ("2024-02", None), ("2024-03", D(14)), ("2024-04", D(12))]
    desc = charts.describe(points, [None, None, None, D(13)], "Monthly", str)
    assert desc == (
        "Monthly figures from 2024-01 to 2024-04; latest 12 (2024-04), target 13. "
        "Highest 14 in 2024-03; lowest 10 in 2024-01. 1 period has no figure."
    )


@pytest.mark.parametrize(
    "low, high, whole, expected",
    [
        (0, 9, False, [0, 2.5, 5, 7.5, 10]),
        (0, 1, True, [0, 1]),
        (120, 180, False, [120, 140, 160, 180]),
        (5, 5, False, [4.5, 4.75, 5, 5.25, 5.5]),
        (-3, 7, False, [-5, -2.5, 0, 2.5, 5, 7.5]),
    ],
)
def test_nice_ticks(low, high, whole, expected):
    assert charts.nice_ticks(low, high, whole=whole) == expected


def test_figures_are_written_with_their_units():
    assert measure_report.format_value(Measure.Unit.COUNT, D("1234.00")) == "1,234"
    assert measure_report.format_value(Measure.Unit.PERCENTAGE, D("12.50")) == "12.50%"
    assert measure_report.format_value(Measure.Unit.MONEY, D("-1200")) == "-£1,200"
    assert measure_report.format_value(Measure.Unit.RATE_PER_1000, D("4.2")) == "4.20 per 1,000"
    assert measure_report.format_value(Measure.Unit.DAYS, D(1)) == "1 day"
    assert measure_report.format_value(Measure.Unit.DAYS, None) == ""


def test_a_draft_figure_shows_on_no_dashboard_until_approved(client, plan, world):
    # The housing provider's own draft figure is on its return's page, not on dashboards.
    enter(
        plan.strategy,
        world.housing,
        world.housing_officer,
        "2023/24-Q1",
        {(plan.reports, "2023-06"): 77},
    )
    for user in (world.housing_officer, world.police_officer, world.analyst):
        assert "Latest: June 2023 77" not in _text(_get(client, user, ASB + AS_OF))


def test_a_new_strategy_with_nothing_in_it_yet(client, world):
    strategy = Strategy.objects.create(
        partnership=world.partnership,
        title="Safer Testford 2030-33",
        slug="2030-33",
        starts_on=date(2030, 4, 1),
        ends_on=date(2033, 3, 31),
    )
    Priority.objects.create(strategy=strategy, number=1, title="Fresh", lead_agency=world.council)
    client.force_login(world.board_member)
    assert "Not started" in _text(client.get("/strategy/"))
    assert "0 of 0" in _text(client.get("/strategy/2030-33/"))
    text = _text(client.get("/strategy/2030-33/priorities/1/"))
    assert "This priority has no measures yet." in text
    assert "not yet mapped to objectives" in text
