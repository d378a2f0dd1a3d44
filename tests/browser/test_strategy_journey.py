"""The strategy journey of a new partnership, in a real browser with axe on every page:
an analyst sets up a measure with targets, an agency lead submits one quarter through the
form and another through a spreadsheet, the analyst approves both, and the dashboard and
the export show the figures."""

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in
from tests.strategy.plan import build_plan


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_measure_to_dashboard(page, transactional_db, world):
    build_plan(world)

    # 1. The analyst sets up a measure with targets.
    sign_in(page, "anil_analyst")
    page.get_by_role("link", name="Strategy").first.click()
    page.get_by_role("link", name="Safer Testford 2022-25").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a measure")
    page.get_by_role("button", name="Save and set targets").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.get_by_label("Priority").select_option(label="1. Domestic violence and abuse")
    page.get_by_label("Code").fill("da-arrests")
    page.get_by_label("Name", exact=True).fill("Domestic abuse arrests")
    page.get_by_label("Definition").fill("Arrests for domestic abuse offences in the quarter.")
    page.get_by_label("Unit").select_option(label="Count")
    page.get_by_label("Direction").select_option(label="Higher is better")
    page.get_by_label("Period type").select_option(label="Quarterly")
    page.get_by_label("Reporting agency").select_option(label="Testford Police")
    page.get_by_label("How is it obtained?").select_option(label="Submitted by a partner")
    page.get_by_role("button", name="Save and set targets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Targets for Domestic abuse arrests")
    page.get_by_label("Apr–Jun 2023").fill("300")
    page.get_by_label("Jul–Sep 2023").fill("310")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text("Targets saved for Domestic abuse arrests")).to_be_visible()
    assert_accessible(page)
    _sign_out(page)

    # 2. The police lead submits April to June through the form...
    sign_in(page, "lena_lead")
    page.goto("/strategy/2022-25/returns/")
    assert_accessible(page)
    page.goto("/strategy/2022-25/returns/2023-24-q1/")
    page.get_by_label("Da Incidents, Apr–Jun 2023", exact=True).fill("420")
    page.get_by_label("Da Repeats, Apr–Jun 2023", exact=True).fill("126")
    page.get_by_label("Domestic abuse arrests, Apr–Jun 2023", exact=True).fill("315")
    assert_accessible(page)
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_text("Your return for Apr–Jun 2023 has been submitted.")).to_be_visible()

    # ...and July to September through a spreadsheet, then submits it.
    page.goto("/strategy/2022-25/returns/upload/")
    csv = (
        "measure_code,period,agency,value,comment\r\n"
        "da-incidents,2023/24-Q2,police,401,\r\n"
        "da-repeats,2023/24-Q2,police,118,\r\n"
        "da-arrests,2023/24-Q2,police,298,Two custody suites closed in August\r\n"
    )
    page.get_by_label("Upload a file").set_input_files(
        {"name": "q2.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("alert")).to_contain_text("3 figures saved")
    page.goto("/strategy/2022-25/returns/2023-24-q2/")
    expect(page.get_by_label("Domestic abuse arrests, Jul–Sep 2023", exact=True)).to_have_value(
        "298"
    )
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_text("Your return for Jul–Sep 2023 has been submitted.")).to_be_visible()
    _sign_out(page)

    # 3. The analyst approves both.
    sign_in(page, "anil_analyst")
    expect(page.get_by_text("2 partner returns to approve")).to_be_visible()
    page.get_by_role("link", name="2 partner returns to approve").click()
    assert_accessible(page)
    for _ in range(2):
        page.get_by_role("link", name="Testford Police").first.click()
        assert_accessible(page)
        page.get_by_role("button", name="Approve return").click()
        expect(page.get_by_role("alert")).to_contain_text("is approved")
        page.goto("/approvals/")
    expect(page.get_by_text("No returns are waiting for approval.")).to_be_visible()
    _sign_out(page)

    # 4. A board member sees the figures on the dashboard and in the export.
    sign_in(page, "bea_board")
    page.goto("/strategy/2022-25/measures/da-arrests/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Domestic abuse arrests")
    table = page.get_by_role("table").filter(has_text="Jul–Sep 2023").first
    expect(table).to_contain_text("298")
    expect(table).to_contain_text("315")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("OFFICIAL-SENSITIVE")
    assert "298" in text and "315" in text
