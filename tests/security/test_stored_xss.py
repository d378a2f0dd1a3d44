"""Stored cross-site scripting: every free-text field of a case, its meeting, its safety plan
and the strategy holds a script payload; the pages that show them, the case list export and
the e-mails carry them as inert text, and in a real browser nothing runs."""

from datetime import date, timedelta

import pytest

from saferhub.safeguarding import breakglass, meetings, research, safety_plans
from saferhub.strategy.models import Action, Measure
from tests.safeguarding.cases import hold_meeting, make_referral, victim
from tests.world import PASSWORD

# Each payload would run (or break out of its element or attribute) if output unescaped.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    "</textarea><script>window.__xss=1</script>",
    "javascript:window.__xss=1",
    "{{ 7*7 }}{% debug %}",
]
DANGEROUS = ["<script>window", "<img src=x", "<svg onload", "</textarea><script>"]


def _fill(world, payload: str):
    """A case whose every free-text field is the payload, heard, with an action and research."""
    person = victim(world, payload[:90], "Xss" + payload[:40], date(1990, 1, 1), "LS1 1AA")
    case = make_referral(
        world.police_officer,
        person,
        address=payload,
        perpetrator=(payload[:90], payload[:90]),
        judgement=True,
        on=date.today() - timedelta(days=3),
    )
    meeting = hold_meeting(world.coordinator, [case], [world.police, world.housing])
    listed = meeting.listed_cases.get()
    research.save(world.housing_officer, listed, holds_information=True, summary=payload, version=0)
    meetings.record_discussion(world.coordinator, listed, payload, True, listed.version)
    action = safety_plans.agree(
        world.coordinator,
        listed,
        agency=world.housing,
        officer=world.housing_officer,
        description=payload,
        due_on=date.today() - timedelta(days=1),
    )
    safety_plans.update(world.coordinator, action, text=payload, complete=False, expected_version=1)
    meetings.close(world.coordinator, meeting, meeting.version)  # the discussion now as text
    breakglass.open_case(world.outsider, case.reference, payload + " reason long enough")
    return case, meeting, listed, action


def _assert_inert(html: str, where: str) -> None:
    found = [marker for marker in DANGEROUS if marker in html]
    assert not found, f"{where}: unescaped {found}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_page_shows_payloads_as_text(client, world, payload):
    case, meeting, listed, action = _fill(world, payload)
    pages = {
        world.coordinator: [
            "/safeguarding/referrals/",
            f"/safeguarding/referrals/{case.pk}/",
            f"/safeguarding/referrals/{case.pk}/confirmation/",
            "/safeguarding/meetings/",
            f"/safeguarding/meetings/{meeting.pk}/",
            f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/",
            f"/safeguarding/actions/{action.pk}/",
            "/",
        ],
        world.housing_officer: ["/safeguarding/actions/", f"/safeguarding/actions/{action.pk}/"],
        world.admin: ["/safeguarding/break-glass/report/", "/audit/"],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_inert(response.content.decode(), url)
    # The template syntax in a payload is data, never evaluated.
    client.force_login(world.coordinator)
    page = client.get(f"/safeguarding/referrals/{case.pk}/").content.decode()
    if "{{" in payload:
        assert "{{ 7*7 }}" in page and "49" not in page.split("{{ 7*7 }}")[0][-5:]


def test_the_export_and_emails_carry_payloads_as_text(client, world, mailoutbox):
    payload = PAYLOADS[0]
    world.housing_officer.email = "hal@example.org"
    world.housing_officer.save()
    case, *_ = _fill(world, payload)
    from saferhub.strategy.reminders import send_reminders

    send_reminders(date.today())
    assert mailoutbox
    for message in mailoutbox:
        for _, kind in getattr(message, "alternatives", []):
            assert kind == "text/html"
        html = "".join(body for body, _ in getattr(message, "alternatives", []))
        _assert_inert(html, message.subject)
        assert payload not in message.body  # the action's words never leave in an e-mail
    client.force_login(world.coordinator)
    exported = client.post(
        "/safeguarding/referrals/export/", {"fmt": "csv", "password": PASSWORD}
    ).content.decode("utf-8-sig")
    assert payload[:20] in exported  # text, as typed: a spreadsheet does not run scripts


def test_strategy_text_is_inert_on_its_pages(client, world, plan):
    payload = PAYLOADS[1]
    Action.objects.filter(pk=plan.action.pk).update(title=payload)
    Measure.objects.filter(pk=plan.incidents.pk).update(name=payload)
    client.force_login(world.board_member)
    for url in (
        f"/strategy/{plan.strategy.slug}/",
        f"/strategy/{plan.strategy.slug}/priorities/1/",
        f"/actions/{plan.action.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.content.decode(), url)


@pytest.mark.browser
def test_nothing_runs_in_a_real_browser(page, transactional_db, world):
    from tests.browser.fixtures import sign_in

    case, meeting, listed, action = _fill(world, PAYLOADS[1])
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "cora_coordinator")
    for url in (
        f"/safeguarding/referrals/{case.pk}/",
        f"/safeguarding/meetings/{meeting.pk}/",
        f"/safeguarding/meetings/{meeting.pk}/cases/{listed.pk}/",
        f"/safeguarding/actions/{action.pk}/",
    ):
        page.goto(url)
        assert page.evaluate("window.__xss") is None, url
    assert not dialogs
