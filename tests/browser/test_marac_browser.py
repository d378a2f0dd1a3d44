"""The MARAC journey in the browser: the coordinator lists a police referral, agencies add
research, the chair agrees a safety plan, its owner completes an action; an agency with no
part in the case finds nothing. axe scans every page on the way."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from saferhub.safeguarding.meetings import next_weekday
from saferhub.safeguarding.models import Meeting, Referral, SafetyAction
from tests.browser.fixtures import assert_accessible, sign_in
from tests.safeguarding.cases import make_referral, victim

ADDRESS = "Flat 3, 7 Quiet Row"


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_case_from_referral_to_a_completed_safety_plan(page, transactional_db, world):
    case = make_referral(world.police_officer, victim(world), address=ADDRESS)
    day = next_weekday(date.today() + timedelta(days=1))

    # The coordinator sets up tomorrow's daily meeting and lists the case.
    sign_in(page, "cora_coordinator")
    page.goto("/safeguarding/referrals/")
    page.get_by_role("navigation", name="Safeguarding").get_by_role("link", name="Meetings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up a meeting").click()
    page.get_by_label("Daily meeting").check()
    page.get_by_label("Date of the meeting").fill("31/2/2026")
    page.get_by_role("button", name="Set up the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter the date of the meeting as a real date"
    )
    assert_accessible(page)
    page.get_by_label("Date of the meeting").fill(day.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Set up the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Daily meeting")
    expect(page.get_by_label(re.compile(case.reference))).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_text("1 case added to the list.")).to_be_visible()
    expect(page.get_by_text("shared in confidence")).to_be_visible()
    page.get_by_label("Testford Homes").check()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the list").click()
    expect(page.get_by_text("Case list confirmed and agencies invited.")).to_be_visible()
    assert ADDRESS not in page.content()
    # Not before its day: the meeting cannot be opened yet.
    expect(page.get_by_text("The meeting can be opened on its day")).to_be_visible()
    expect(page.get_by_role("button", name="Open the meeting")).to_have_count(0)
    _sign_out(page)

    # Housing, invited, adds what it holds.
    sign_in(page, "hal_housing")
    page.goto("/safeguarding/meetings/")
    page.get_by_role("link", name=re.compile("Daily meeting")).click()
    page.get_by_role("link", name=case.reference).click()
    assert_accessible(page)
    page.locator("#id_holds_information").get_by_label("Yes").check()
    page.get_by_label("What your agency holds").fill("Tenancy in her name; rent arrears.")
    page.get_by_role("button", name="Save research").click()
    expect(page.get_by_text("Your agency's research is saved.")).to_be_visible()
    _sign_out(page)

    # The day of the meeting comes (the clock cannot move here: the meeting's date does).
    Meeting.objects.filter(held_on=day).update(held_on=date.today())
    day = date.today()

    # The chair opens the meeting, agrees an action for housing, and closes it.
    sign_in(page, "cora_coordinator")
    page.goto("/safeguarding/meetings/")
    page.get_by_role("link", name=re.compile("Daily meeting")).click()
    page.get_by_role("button", name="Open the meeting").click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text("Tenancy in her name; rent arrears.")).to_be_visible()
    page.get_by_label("Action", exact=True).fill("Fit extra locks under the sanctuary scheme")
    page.get_by_label("Owning agency").select_option(label="Testford Homes")
    page.get_by_label("Due date").fill((date.today() + timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added to the safety plan.")).to_be_visible()
    page.get_by_label("Discussion").fill("Risk escalating after separation.")
    page.get_by_role("button", name="Save discussion").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Daily meeting")).click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_text("Meeting closed.")).to_be_visible()
    assert_accessible(page)

    # The SafeLives return for the meeting's month counts the case, without naming it.
    page.get_by_role("link", name="Safeguarding", exact=True).first.click()
    page.get_by_role("navigation", name="Safeguarding").get_by_role(
        "link", name="SafeLives return"
    ).click()
    page.get_by_label("From").fill(day.replace(day=1).strftime("%d/%m/%Y"))
    page.get_by_label("To").fill(day.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Show the return").click()
    discussed = page.get_by_role("row", name=re.compile("^Cases discussed"))
    expect(discussed.get_by_role("cell")).to_have_text("1")
    assert "Smith-Jones" not in page.content()
    assert_accessible(page)
    _sign_out(page)

    # The owner completes the action; the case closes.
    sign_in(page, "hal_housing")
    expect(page.get_by_text("safety-plan action")).to_have_count(0)
    page.goto("/safeguarding/actions/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Fit extra locks")).click()
    page.get_by_label("Update").fill("Locks fitted on Tuesday.")
    page.get_by_label("The action is complete").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Action completed.")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Referral.Status.CLOSED
    assert SafetyAction.objects.get().status == SafetyAction.Status.COMPLETE
    page.goto(f"/safeguarding/referrals/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoë Smith-Jones")
    expect(page.get_by_text("Restricted")).to_be_visible()  # housing may not see the address
    assert_accessible(page)
    page.goto("/safeguarding/referrals/")
    page.get_by_role("link", name="Export the case list").click()
    expect(page.get_by_text("current addresses")).to_have_count(0)  # not housing's to see
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your password")
    assert_accessible(page)
    _sign_out(page)

    # An agency with no part in the case finds nothing.
    sign_in(page, "otto_outsider")
    for url in (
        f"/safeguarding/referrals/{case.pk}/",
        f"/safeguarding/actions/{SafetyAction.objects.get().pk}/",
    ):
        response = page.goto(url)
        assert response.status == 404
    page.goto("/safeguarding/referrals/")
    assert "Smith-Jones" not in page.content()
    page.goto("/safeguarding/meetings/")
    expect(page.get_by_role("link", name=re.compile("Daily meeting"))).to_have_count(0)
    expect(page.get_by_text("No meetings coming up.")).to_be_visible()
