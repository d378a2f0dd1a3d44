"""The report as a page of saferhub: who reads it, and a clear answer to a bad year."""

from saferhub.access.permissions import ROLE_ACTIONS, Action
from saferhub.access.roles import Role
from tests.world import World

REPORT = "/reports/annual/2022-25/2024-03-31/"
CHOOSE = "/reports/annual/2022-25/"


def test_everyone_who_reads_the_strategy_reads_reports_and_the_csp_team_makes_them():
    for role, actions in ROLE_ACTIONS.items():
        assert (Action.VIEW_REPORTS in actions) == (Action.VIEW_STRATEGY in actions)
        csp = role in (Role.CSP_ADMIN, Role.CSP_ANALYST)
        assert (Action.GENERATE_REPORTS in actions) == csp
        assert (Action.CURATE_REPORT in actions) == csp
        assert (Action.WRITE_HIGHLIGHTS in actions) == (csp or role == Role.AGENCY_LEAD)
    assert Action.WRITE_HIGHLIGHTS.description


def test_everyone_in_the_partnership_reads_the_report_page(client, world: World, plan, year):
    for name, user in world.users_by_role().items():
        client.force_login(user)
        for url in (REPORT, CHOOSE):
            expected = 404 if name == "stranger" else 200
            assert client.get(url).status_code == expected, (name, url)


def test_the_page_shows_the_report_with_its_marking(client, world: World, plan, year):
    client.force_login(world.board_member)
    page = client.get(REPORT).content.decode()
    assert "Annual progress report" in page and "OFFICIAL" in page
    assert "Domestic violence and abuse" in page and 'id="chart-da-incidents-title"' in page
    assert "reports/report-print.css" in page


def test_a_year_outside_the_strategy_is_refused_with_its_reason(client, world: World, plan):
    client.force_login(world.analyst)
    response = client.get("/reports/annual/2022-25/2026-03-31/")
    assert response.status_code == 400
    assert "must end within the strategy" in response.content.decode()
    response = client.get("/reports/annual/2022-25/not-a-day/")
    assert response.status_code == 400
    response = client.get(CHOOSE, {"year_ending": "31/3/2021"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'value="31/3/2021"' in page


def test_the_chooser_sends_a_good_year_to_its_report(client, world: World, plan):
    client.force_login(world.analyst)
    response = client.get(CHOOSE, {"year_ending": "31/3/2024"})
    assert response.status_code == 302 and response["Location"] == REPORT
    page = client.get(CHOOSE).content.decode()
    assert 'href="/reports/annual/2022-25/2025-03-31/"' in page  # the strategy's end
