"""An agency lead uploads a spreadsheet of figures, fixes its problems, and uploads it again."""

import re

from playwright.sync_api import expect

from saferhub.strategy.models import MeasureValue
from tests.browser.fixtures import assert_accessible, sign_in
from tests.strategy.plan import build_plan

HEADER = "measure_code,period,agency,value,comment"


def _csv(*lines: str) -> dict:
    body = "\r\n".join([HEADER, *lines]) + "\r\n"
    return {"name": "figures.csv", "mimeType": "text/csv", "buffer": body.encode()}


def test_an_agency_lead_fixes_an_upload_and_saves_it(page, transactional_db, world):
    build_plan(world)
    sign_in(page, "lena_lead")
    page.goto("/strategy/2022-25/returns/upload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload figures")
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(
        _csv("da-incidents,2023/24-Q1,police,lots,", "da-repeats,2023/24-Q1,housing,126,")
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(re.compile(r"^Error: Upload figures"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("nothing has been saved")
    expect(summary).to_contain_text("Row 2, column value: 'lots' is not a number")
    expect(summary).to_contain_text(
        "Row 3, column agency: you can upload figures for Testford Police (police) only"
    )
    assert_accessible(page)
    assert not MeasureValue.objects.exists()

    page.get_by_label("Upload a file").set_input_files(
        _csv("da-incidents,2023/24-Q1,police,420,", "da-repeats,2023/24-Q1,police,126,")
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(re.compile(r"^Upload figures"))
    expect(page.get_by_role("alert")).to_contain_text("2 figures saved, 0 unchanged")
    assert_accessible(page)
    assert MeasureValue.objects.filter(is_current=True).count() == 2
