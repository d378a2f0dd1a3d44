"""The MARAC coordinator imports referral history: a file in the wrong encoding refused at
once, one with a bad row refused by the worker with its line and column, then a good one
imported, the status page following the background task by itself."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from saferhub.safeguarding.models import Referral
from tests.browser.fixtures import assert_accessible, sign_in
from tests.safeguarding.test_import_referrals import csv_bytes, refs, row


def _file(data: bytes) -> dict:
    return {"name": "history.csv", "mimeType": "text/csv", "buffer": data}


def _run_worker() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_the_coordinator_imports_referral_history(page, transactional_db, world):
    sign_in(page, "cora_coordinator")
    page.goto("/safeguarding/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import referral history")
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(
        _file(csv_bytes(refs(1)).decode().encode("latin-1"))
    )
    page.get_by_role("button", name="Upload and import").click()
    expect(page).to_have_title(re.compile(r"^Error: Import referral history"))
    expect(page.get_by_role("alert")).to_contain_text("Line 2, column victim_given_name")
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(
        _file(csv_bytes([row(), row(referral_ref="LDS-2", marac_date="2024-01-01")]))
    )
    page.get_by_role("button", name="Upload and import").click()
    expect(page).to_have_url(re.compile(r"/safeguarding/imports/\d+/$"))
    expect(page.get_by_text("Waiting for the import worker")).to_be_visible()
    assert_accessible(page)
    _run_worker()
    expect(page.get_by_role("alert")).to_contain_text("nothing has been saved", timeout=10_000)
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("marac_date")
    expect(problems).to_contain_text("the meeting date 2024-01-01 is before the referral date")
    assert_accessible(page)
    assert not Referral.objects.exists()

    page.get_by_role("link", name="import it again").click()
    page.get_by_label("Upload a file").set_input_files(_file(csv_bytes(refs(1, 2, 3), bom=True)))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_text("Waiting for the import worker")).to_be_visible()
    _run_worker()
    expect(page.get_by_role("heading", name="Referral history imported")).to_be_visible(
        timeout=10_000
    )
    assert_accessible(page)
    assert Referral.objects.count() == 3

    page.get_by_role("link", name="Import referral history").first.click()
    expect(page.get_by_role("table")).to_contain_text("Imported")
    assert_accessible(page)
