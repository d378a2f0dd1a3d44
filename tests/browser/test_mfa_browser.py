"""A new user sets up their authenticator app in a real browser, keeps their recovery
codes, signs out, and signs in again with a code; every page is checked with axe."""

import re
from base64 import b32decode

from django.contrib.sessions.models import Session
from django_otp.oath import totp
from playwright.sync_api import expect

from saferhub.security.sessions import LAST_SEEN
from tests import mfa
from tests.browser.fixtures import assert_accessible, sign_in
from tests.world import PASSWORD


def test_a_new_user_sets_up_the_app_and_signs_in_with_a_code(page, transactional_db, world):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("owen_officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/sign-in/authenticator/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    qr_code = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr_code).to_be_visible()
    assert qr_code.bounding_box()["width"] >= 150
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the code")
    expect(page).to_have_title(re.compile(r"^Error: Set up your authenticator app"))
    assert_accessible(page)

    # What a phone would do with the key shown for typing in.
    key = page.locator("#authenticator-key").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(f"{totp(b32decode(key)):06d}")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Owen")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("10 unused")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Get new codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get new recovery codes")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    page.get_by_label("Username").fill("owen_officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in/code/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    assert_accessible(page)

    # A recovery code, as someone without their phone would.
    page.get_by_text("I do not have my phone").click()
    page.wait_for_timeout(1100)  # django-otp's wait after a wrong code
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Owen")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("owen_officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(mfa.code(mfa.authenticator(world.police_officer)))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Owen")


def test_a_session_left_idle_ends_with_a_message(page, transactional_db, world):
    sign_in(page, "owen_officer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Owen")
    for stored in Session.objects.all():
        data = stored.get_decoded()
        data[LAST_SEEN] -= 31 * 60
        stored.session_data = Session.objects.encode(data)
        stored.save()
    page.goto("/partnership/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/partnership/$"))
    told = page.get_by_text("You were signed out after 30 minutes without activity")
    expect(told).to_be_visible()
    assert_accessible(page)
