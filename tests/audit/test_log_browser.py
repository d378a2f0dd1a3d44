"""The audit log's pages in a real browser: searched as an administrator would, and
checked with axe-core (kept here, beside the log's other tests, with the browser mark)."""

import pytest
from playwright.sync_api import expect

from saferhub.audit.services import record
from tests.browser.fixtures import assert_accessible, sign_in
from tests.safeguarding.cases import make_referral, victim

pytestmark = pytest.mark.browser


def test_an_administrator_searches_the_log_and_sees_who_viewed_a_person(
    page,  # noqa: F811 (the browser tests' fixture, imported above)
    transactional_db,
    world,
):
    referral = make_referral(world.police_officer, victim(world))
    record(world.police_officer, "referral.viewed", referral, address_shown=True)
    record(world.police_officer, "person.viewed", referral.victim)

    sign_in(page, "ada_admin")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    assert_accessible(page)

    page.get_by_label("From").fill("2/1/2025")
    page.get_by_label("To").fill("1/1/2025")
    page.get_by_role("button", name="Search the log").click()
    expect(page.get_by_role("alert")).to_contain_text("The last day must be the same as or after")
    assert_accessible(page)

    page.get_by_label("From").fill("")
    page.get_by_label("To").fill("")
    page.get_by_label("Username").fill("owen_officer")
    page.get_by_label("What was done").select_option("person.viewed")
    page.get_by_role("button", name="Search the log").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("person.viewed")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and one entry
    assert_accessible(page)

    table.get_by_role("link", name="who has viewed this person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has viewed Zoë Smith-Jones")
    viewers = page.get_by_role("table")
    expect(viewers).to_contain_text("Viewed the case")
    expect(viewers).to_contain_text(referral.reference)
    assert_accessible(page)
