"""Reminder e-mails: returns falling due and overdue, overdue actions; never sent twice.

The plan's strategy runs from April 2022 to March 2025. On 10 July 2023 the police owe
their return for Apr-Jun 2023 (due 30 July), their Jan-Mar 2023 return is overdue (due
30 April) and the plan's one action (owned by owen_officer, due 30 June 2023) is overdue.
"""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from saferhub.audit.models import AuditEvent
from saferhub.strategy import reminders, returns
from saferhub.strategy.actions import add_progress
from saferhub.strategy.models import Action, ReminderSent
from saferhub.strategy.periods import Period, PeriodType

ON = date(2023, 7, 10)
Q1 = Period.parse("2023/24-Q1", PeriodType.QUARTERLY)  # due 30 July 2023
LAST_Q4 = Period.parse("2022/23-Q4", PeriodType.QUARTERLY)  # due 30 April 2023


@pytest.fixture
def reachable(world, plan, settings):
    """Give the police lead and the action's owner an e-mail address."""
    settings.SAFERHUB_BASE_URL = "https://saferhub.example.org/"
    for user in (world.police_lead, world.police_officer):
        user.email = f"{user.username}@example.org"
        user.save()
    return world


def _by_recipient() -> dict[str, list]:
    found: dict[str, list] = {}
    for message in mail.outbox:
        found.setdefault(message.to[0], []).append(message)
    return found


def _submit(plan, world, quarter):
    ret = returns.return_for(plan.strategy, world.police, quarter)
    figures = {
        f.key: (D(100), "") for f in returns.owed_figures(plan.strategy, world.police, quarter)
    }
    returns.save_figures(ret, world.police_lead, figures, ret.version)
    returns.submit(ret, world.police_lead, ret.version)
    return ret


def test_the_lead_and_the_owner_are_reminded(reachable, plan):
    summary = reminders.send_reminders(ON)
    assert str(summary) == (
        "Sent 3 reminders (1 return due, 1 return overdue, 1 action overdue); 0 already sent."
    )
    sent = _by_recipient()
    lead = sorted(message.subject for message in sent["lena_lead@example.org"])
    assert lead == [
        "saferhub: Testford Police's return for Apr–Jun 2023 is due by 30 July 2023",
        "saferhub: Testford Police's return for Jan–Mar 2023 is overdue",
    ]
    [action] = sent["owen_officer@example.org"]
    assert action.subject == "saferhub: your action is overdue: Train call handlers in DASH"
    # Housing owes figures too but has no lead; nobody else is written to.
    assert set(sent) == {"lena_lead@example.org", "owen_officer@example.org"}


def test_the_e_mails_link_to_the_page_in_text_and_html(reachable, plan):
    reminders.send_reminders(ON)
    due = next(m for m in mail.outbox if "is due" in m.subject)
    link = "https://saferhub.example.org/strategy/2022-25/returns/2023-24-q1/"
    assert link in due.body
    assert "Dear Lena," in due.body
    [(html, kind)] = due.alternatives
    assert kind == "text/html" and f'href="{link}"' in html
    action = next(m for m in mail.outbox if "action" in m.subject)
    assert f"https://saferhub.example.org/actions/{plan.action.id}/" in action.body


def test_a_second_run_sends_nothing(reachable, plan):
    reminders.send_reminders(ON)
    assert len(mail.outbox) == 3
    summary = reminders.send_reminders(ON)
    assert str(summary) == "Sent 0 reminders; 3 already sent."
    assert len(mail.outbox) == 3
    # Nor does a later day for the same returns and action.
    reminders.send_reminders(date(2023, 7, 20))
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.count() == 3


def test_each_send_is_audited_without_an_actor(reachable, plan):
    reminders.send_reminders(ON)
    events = AuditEvent.objects.filter(verb="reminder.sent")
    assert events.count() == 3
    assert {event.actor_id for event in events} == {None}
    kinds = sorted(event.data["kind"] for event in events)
    assert kinds == ["action_overdue", "return_due", "return_overdue"]


def test_a_submitted_return_gets_no_reminder(reachable, plan, world):
    _submit(plan, world, Q1)
    _submit(plan, world, LAST_Q4)
    reminders.send_reminders(ON)
    assert [m.subject for m in mail.outbox] == [
        "saferhub: your action is overdue: Train call handlers in DASH"
    ]


def test_a_return_sent_back_is_still_owed(reachable, plan, world):
    ret = _submit(plan, world, LAST_Q4)
    returns.send_back(ret, world.analyst, "Please check the repeats", ret.version)
    reminders.send_reminders(ON)
    overdue = next(m for m in mail.outbox if "overdue" in m.subject and "return" in m.subject)
    assert "sent back for changes" in overdue.body
    assert "Please check the repeats" not in overdue.body  # the reason stays in saferhub


def test_an_inactive_lead_gets_none(reachable, plan, world):
    world.police_lead.is_active = False
    world.police_lead.save()
    reminders.send_reminders(ON)
    assert set(_by_recipient()) == {"owen_officer@example.org"}


def test_a_lead_without_an_address_gets_none(reachable, plan, world):
    world.police_lead.email = ""
    world.police_lead.save()
    summary = reminders.send_reminders(ON)
    assert set(_by_recipient()) == {"owen_officer@example.org"}
    assert sum(summary.sent.values()) == 1


def test_a_done_action_gets_none(reachable, plan, world):
    add_progress(plan.action, world.police_officer, "Trained.", Action.Status.DONE, 1, on=ON)
    reminders.send_reminders(ON)
    assert "owen_officer@example.org" not in _by_recipient()


def test_an_action_given_a_new_date_is_reminded_again_when_that_passes(reachable, plan):
    reminders.send_reminders(ON)
    Action.objects.filter(pk=plan.action.pk).update(due_on=date(2023, 8, 31))
    reminders.send_reminders(date(2023, 8, 15))
    assert len([m for m in mail.outbox if "action" in m.subject]) == 1
    reminders.send_reminders(date(2023, 9, 1))
    assert len([m for m in mail.outbox if "action" in m.subject]) == 2


def test_no_reminder_for_a_strategy_not_current_on_the_day(reachable, plan):
    for day in (date(2022, 3, 31), date(2025, 4, 1), date(2025, 6, 1)):
        summary = reminders.send_reminders(day)
        assert str(summary) == "Sent 0 reminders; 0 already sent."
    assert mail.outbox == []


def test_a_return_is_due_only_until_its_due_date(reachable, plan):
    reminders.send_reminders(date(2023, 7, 31))  # the day after Apr-Jun 2023 fell due
    subjects = [m.subject for m in mail.outbox]
    assert not any("is due" in subject for subject in subjects)
    assert "saferhub: Testford Police's return for Apr–Jun 2023 is overdue" in subjects


def test_an_old_backlog_is_not_e_mailed(reachable, plan):
    # Every quarter from April 2022 is missing on 1 March 2024; only the one due in the
    # last 90 days (Oct-Dec 2023, due 30 January) is e-mailed.
    reminders.send_reminders(date(2024, 3, 1))
    overdue = [m.subject for m in mail.outbox if "return" in m.subject]
    assert overdue == ["saferhub: Testford Police's return for Oct–Dec 2023 is overdue"]
    assert len(returns.overdue_returns(plan.strategy, date(2024, 3, 1))) > 1


def test_a_reminder_recorded_by_another_run_is_skipped(reachable, plan, world, monkeypatch):
    # Two runs at once: both find it unsent, the unique constraint lets one through.
    reminders.send_reminders(ON)
    mail.outbox.clear()
    monkeypatch.setattr(reminders, "_already_sent", lambda pending: set())
    summary = reminders.send_reminders(ON)
    assert mail.outbox == []
    assert summary.already == 3 and not summary.sent


def test_a_failed_send_is_not_recorded_and_is_tried_again(reachable, plan, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
        summary = reminders.send_reminders(ON)
    assert summary.failed == 3 and ReminderSent.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="reminder.sent").exists()
    assert sum(reminders.send_reminders(ON).sent.values()) == 3


def test_the_command_prints_what_it_did(reachable, plan):
    out = StringIO()
    call_command("send-reminders", "--date", "2023-07-10", stdout=out)
    assert out.getvalue().strip() == (
        "Sent 3 reminders (1 return due, 1 return overdue, 1 action overdue); 0 already sent."
    )
    out = StringIO()
    call_command("send-reminders", "--date", "2023-07-10", stdout=out)
    assert out.getvalue().strip() == "Sent 0 reminders; 3 already sent."


def test_the_command_rejects_a_bad_date(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("send-reminders", "--date", "10/07/2023")
