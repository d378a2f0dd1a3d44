"""A police officer refers a victim with a DASH checklist; the form offers a person the
partnership already knows while the officer types."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in
from tests.browser.referral_steps import fill_referral_form
from tests.safeguarding.cases import make_referral, victim


def test_refer_a_victim_with_the_checklist(page, transactional_db, world):
    known = victim(world, "Amy", "O'Neill")
    make_referral(world.police_officer, known)

    sign_in(page, "owen_officer")
    page.get_by_role("link", name="Safeguarding").first.click()
    page.get_by_role("link", name="Refer a victim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer a victim")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("alert")).to_contain_text("Answer question 24")
    assert_accessible(page)
    # Following an error's link puts the focus on the question, radios as well as text.
    page.get_by_role("link", name="Choose the victim's gender, or not known").click()
    expect(page.locator("#id_gender_0")).to_be_focused()
    page.get_by_role("link", name="Enter the given name").first.click()
    expect(page.locator("#id_given_name")).to_be_focused()

    # While typing, the person already known is offered.
    page.get_by_label("Given name", exact=True).press_sequentially("amy")
    page.get_by_label("Family name", exact=True).press_sequentially("oneill")
    expect(page.get_by_text("This is the same person: Amy O'Neill")).to_be_visible()
    page.get_by_label("None of these: a new person").check()
    fill_referral_form(page)
    page.get_by_role("button", name="Send referral").click()

    expect(page).to_have_url(re.compile(r"/safeguarding/referrals/\d+/confirmation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent to MARAC")
    expect(page.get_by_text("16 of 24")).to_be_visible()
    expect(page.get_by_text("Visible high risk")).to_be_visible()
    assert_accessible(page)
