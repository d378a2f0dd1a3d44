"""An analyst generates the annual report from the web page: a background task, its
progress shown until the file is ready, then downloaded."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in
from tests.strategy.plan import build_plan


def test_generate_watch_progress_and_download(page, transactional_db, world):
    build_plan(world)
    sign_in(page, "anil_analyst")
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual progress reports")
    assert_accessible(page)

    page.get_by_label("The reporting year ends on").fill("31/03/2030")
    page.get_by_role("button", name="Generate report").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.get_by_label("The reporting year ends on").fill("31/03/2024")
    page.get_by_label("Word (to edit into a board paper)").check()
    page.get_by_role("button", name="Generate report").click()
    expect(page).to_have_url(re.compile(r"/reports/generated/\d+/$"))
    expect(page.get_by_text("Waiting for the report worker")).to_be_visible()
    assert_accessible(page)

    # The real database worker picks the task up; the page notices by itself.
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    expect(page.get_by_role("heading", name="Your report is ready")).to_be_visible(timeout=10_000)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download annual-report-2022-25")).click()
    assert download.value.suggested_filename == "annual-report-2022-25-2024-03-31.docx"
