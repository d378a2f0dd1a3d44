"""A CSP administrator, in the browser: finds a victim, downloads her subject access copy,
and erases her; each page passes axe-core's checks."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in
from tests.governance import story as s
from tests.governance.zipped import read

pytestmark = pytest.mark.browser


def test_subject_access_and_erasure(page, transactional_db, world):  # noqa: F811
    told = s.tell(world)
    sign_in(page, "ada_admin")
    page.goto("/governance/subject-access/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access and erasure")
    assert_accessible(page)

    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the family name")
    assert_accessible(page)

    page.get_by_label("Family name").fill(s.VICTIM_FAMILY)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=f"Subject access for {s.VICTIM_GIVEN} {s.VICTIM_FAMILY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{s.VICTIM_GIVEN} {s.VICTIM_FAMILY}")
    assert_accessible(page)

    page.get_by_label("Your password").fill("wrong-password")
    page.get_by_label("I have checked the requester's identity").check()
    page.get_by_role("button", name="Download the copy (ZIP)").click()
    expect(page.get_by_role("alert")).to_contain_text("Your password is not right")
    assert_accessible(page)

    page.get_by_label("Your password").fill("correct-horse-battery")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the copy (ZIP)").click()
    assert download.value.suggested_filename.endswith("-OFFICIAL-SENSITIVE.zip")
    copy = read(Path(download.value.path()).read_bytes())
    assert copy.data["person"]["family_name"] == s.VICTIM_FAMILY

    page.get_by_role("link", name="go to erasure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erase")
    assert_accessible(page)
    page.get_by_label("The person asked for their data to be erased").check()
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_label("Your password").fill("correct-horse-battery")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Person P{told.person.pk:06d} erased"
    )
    assert_accessible(page)

    # The alleged perpetrator's route.
    page.goto("/governance/subject-access/?kind=perpetrator")
    page.get_by_label("Given name").fill(s.PERPETRATOR_GIVEN)
    page.get_by_label("Family name").fill(s.PERPETRATOR_FAMILY)
    page.get_by_label("Date of birth").fill("3/3/1980")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(s.PERPETRATOR_FAMILY)
    assert_accessible(page)
