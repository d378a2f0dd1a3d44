"""The MARAC coordinator produces the SafeLives return for a quarter and downloads it."""

from datetime import date

from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in
from tests.safeguarding.heard import case


def test_produce_the_return_for_a_quarter(page, transactional_db, world):
    case(world, date(2023, 2, 1), repeat=True, children=2)
    case(world, date(2023, 3, 31), agency=world.housing)

    sign_in(page, "cora_coordinator")
    page.goto("/safeguarding/return/")
    expect(page.get_by_role("heading", level=1)).to_have_text("SafeLives MARAC return")
    assert_accessible(page)

    page.get_by_label("From").fill("1/4/2023")
    page.get_by_label("To").fill("31/3/2023")
    page.get_by_role("button", name="Show the return").click()
    expect(page.get_by_role("alert")).to_contain_text("The last day must be the same as or after")
    assert_accessible(page)

    page.get_by_label("From").fill("1/1/2023")
    page.get_by_role("button", name="Show the return").click()
    cases = page.get_by_role("table", name="Cases", exact=True)
    expect(cases.get_by_role("row", name="Cases discussed")).to_contain_text("2")
    expect(cases.get_by_role("row", name="Repeat rate (%)")).to_contain_text("50.0")
    agencies = page.get_by_role("table", name="Cases by referring agency")
    expect(agencies.get_by_role("row", name="Housing")).to_contain_text("1")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename == (
        "marac-return-2023-01-01-to-2023-03-31-OFFICIAL-SENSITIVE.csv"
    )
