"""A new user signs in, finds their way around, and signs out, in a real browser."""

import re

from playwright.sync_api import expect

from tests.browser.fixtures import assert_accessible, sign_in


def test_sign_in_home_and_sign_out(page, transactional_db, world):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to saferhub")
    assert_accessible(page)

    sign_in(page, "owen_officer", "wrong password")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_accessible(page)

    sign_in(page, "owen_officer")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Owen")
    expect(page.get_by_text("OFFICIAL-SENSITIVE")).to_be_visible()
    expect(page.get_by_text("Nothing needs your attention")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/partnership/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def test_every_page_of_an_administrators_journey_is_accessible(page, transactional_db, world):
    sign_in(page, "ada_admin")
    expect(page.get_by_text("Testford Homes has no agency lead")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner agencies")
    assert_accessible(page)

    page.get_by_role("link", name="Testford Police").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Testford Police")
    expect(page.get_by_role("cell", name="Domestic Abuse Team")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("CSP administrator")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your current password")
    assert_accessible(page)

    page.goto("/sign-out/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out of saferhub?")
    assert_accessible(page)

    page.goto("/partnership/agencies/no-such-agency/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)

    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Partnership set-up")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Agencies").first.click()
    expect(page.get_by_role("link", name="Testford Homes")).to_be_visible()
    assert_accessible(page)


def test_the_page_works_on_a_phone_sized_screen(page, transactional_db, world):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "bea_board")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("link", name="Partnership")).to_be_visible()
    assert_accessible(page)
