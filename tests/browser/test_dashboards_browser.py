"""A board member reads the strategy dashboards in a real browser: every page passes axe,
and a RAG status's rule opens from the keyboard."""

import re
from datetime import date

from playwright.sync_api import expect

from saferhub.strategy.models import Target
from tests.browser.fixtures import assert_accessible, sign_in
from tests.strategy.figures import police_quarter
from tests.strategy.plan import build_plan


def test_a_board_member_reads_the_dashboards(page, transactional_db, world):
    plan = build_plan(world)
    # The strategy has ended: its pages show the figures up to its last quarter.
    Target.objects.create(measure=plan.incidents, period_start=date(2025, 1, 1), value=450)
    police_quarter(plan, world, "2023/24-Q4", 500, 150)
    police_quarter(plan, world, "2024/25-Q4", 420, 126)

    sign_in(page, "bea_board")
    page.get_by_role("link", name="Strategy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy")
    assert_accessible(page)

    page.get_by_role("link", name="Safer Testford 2022-25").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer Testford 2022-25")
    priority = page.get_by_role("link", name="1. Domestic violence and abuse").first
    expect(priority).to_be_visible()
    assert_accessible(page)

    priority.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Domestic violence and abuse")
    expect(page.get_by_role("img", name=re.compile("Da Incidents"))).to_be_visible()
    # A board member reads and changes nothing: the only form is "Sign out".
    expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Da Incidents", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Da Incidents")
    expect(
        page.get_by_text("↓ Down 16.0% on last year (better) (500 in Jan–Mar 2024)")
    ).to_be_visible()
    assert_accessible(page)

    # The latest figure's status: its rule opens by keyboard.
    rule = "Lower is better. Green at 450"
    status = page.locator("details.saferhub-rag").first
    expect(status.get_by_text(rule)).to_be_hidden()
    # A mouse shows it on hover (the summary's title)...
    expect(status.locator("summary")).to_have_attribute("title", re.compile(rule))
    # ...and the keyboard, like a tap, opens it.
    status.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(status.get_by_text(rule)).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(status.get_by_text(rule)).to_be_hidden()


def test_the_dashboards_on_a_phone_sized_screen(page, transactional_db, world):
    plan = build_plan(world)
    police_quarter(plan, world, "2023/24-Q1", 420, 126)
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "bea_board")
    page.goto("/strategy/2022-25/priorities/1/?as_of=2023-07-15")
    expect(page.get_by_role("heading", level=1)).to_have_text("Domestic violence and abuse")
    # The chart scales to the screen: no wider than the page.
    width = page.get_by_role("img", name=re.compile("Da Incidents")).bounding_box()["width"]
    assert width <= 375
    assert_accessible(page)
