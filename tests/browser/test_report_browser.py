"""The annual report in a real browser, with axe on every page: an agency lead writes a
highlight (after a mistake), the analyst includes it and opens the year's report."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in
from tests.reports.data import fill_year
from tests.strategy.plan import build_plan


def test_a_lead_writes_a_highlight_and_the_analyst_reads_it_in_the_report(
    page, transactional_db, world
):
    plan = build_plan(world)
    fill_year(plan, world)

    # 1. The police lead writes a highlight, forgetting the words at first.
    sign_in(page, "lena_lead")
    page.goto("/strategy/2022-25/")
    page.get_by_role("link", name="Highlights for the annual report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Highlights for the annual report")
    assert_accessible(page)
    page.get_by_role("link", name="Write a highlight").click()
    page.get_by_label("Priority").select_option(label="1. Domestic violence and abuse")
    page.get_by_label("Date").fill("2/10/2023")
    page.get_by_label("Title (optional)").fill("Call handlers trained in DASH")
    page.get_by_role("button", name="Save highlight").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the highlight")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Title (optional)")).to_have_value("Call handlers trained in DASH")
    assert_accessible(page)
    page.get_by_role("link", name="Enter the highlight").click()
    expect(page.get_by_label("Highlight", exact=True)).to_be_focused()
    page.get_by_label("Highlight", exact=True).fill(
        "We trained **120** call handlers.\n\n- DASH risk checklist\n- <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Save highlight").click()
    expect(page.get_by_text("Your highlight has been saved.")).to_be_visible()
    expect(page.get_by_text("Not in the report")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()  # words, not code
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # 2. The analyst includes it and opens the report for the year to 31 March 2024.
    sign_in(page, "anil_analyst")
    page.goto("/reports/highlights/2022-25/")
    page.get_by_role("button", name=re.compile("Include in the report")).click()
    expect(page.get_by_text("Included in the annual report")).to_be_visible()
    assert_accessible(page)
    page.goto("/strategy/2022-25/")
    page.get_by_role("link", name="Annual progress reports").click()
    assert_accessible(page)
    page.get_by_role("link", name="Year ending 31 March 2024").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annual progress report")
    expect(page.get_by_role("img", name=re.compile("Da Incidents"))).to_be_visible()
    expect(page.get_by_text("We trained 120 call handlers.")).to_be_visible()
    expect(page.get_by_role("heading", name="Call handlers trained in DASH")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Priority 2: Anti-social behaviour").click()
    expect(page).to_have_url(re.compile("#priority-2$"))
