"""Reminder e-mails: a partner return falling due, a return overdue, an action overdue.

`send_reminders(on)` is safe to run as often as you like (daily from cron, say): each
reminder is kept as a ReminderSent row, unique by (kind, key, recipient), and is sent
at most once. Only strategies current on the day are looked at.

- return due: to each active lead of each agency that owes a return for the quarter that
  ended most recently, from the quarter's end to its due date, while it is not submitted;
- return overdue: the same leads, once a return is past its due date and not submitted,
  for returns that fell due in the last OVERDUE_WINDOW_DAYS (an old backlog is for the
  home page and the board, not for a burst of e-mails);
- action overdue: to the action's owner, for actions past due and not done.

Sending and recording are one transaction: the ReminderSent row is inserted first, the
e-mail sent last, and the row commits only if the e-mail went. A second runner at the
same moment waits on the row's unique index and then skips (IntegrityError), so two runs
never send the same reminder. If sending fails, nothing is recorded and the next run
tries again. The one gap is a database failure between the mail server accepting the
e-mail and the commit, which would send it again on the next run: we prefer that rare
repeat to a reminder silently never sent (what recording first, then sending would risk).

E-mails name the agency, the quarter, the strategy and the action's title: never a case
or a person other than the recipient.
"""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from saferhub.access.roles import Role
from saferhub.audit.services import record
from saferhub.partnership.models import User
from saferhub.strategy import returns
from saferhub.strategy.actions import overdue
from saferhub.strategy.models import Action, PartnerReturn, ReminderSent, Strategy
from saferhub.strategy.periods import Period, PeriodType

logger = logging.getLogger(__name__)

RETURN_DUE = "return_due"
RETURN_OVERDUE = "return_overdue"
ACTION_OVERDUE = "action_overdue"
KINDS = {
    RETURN_DUE: "return due",
    RETURN_OVERDUE: "return overdue",
    ACTION_OVERDUE: "action overdue",
}
OVERDUE_WINDOW_DAYS = 90
DONE = [PartnerReturn.Status.SUBMITTED, PartnerReturn.Status.APPROVED]


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str  # what it is about; with kind and recipient, what makes it unique
    recipient: User
    subject: str
    text: str
    html: str
    target: models.Model  # what the audit log records it against

    @property
    def identity(self) -> tuple[str, str, int]:
        return (self.kind, self.key, self.recipient.id)


@dataclass
class Summary:
    sent: Counter = field(default_factory=Counter)
    already: int = 0
    failed: int = 0

    def __str__(self) -> str:
        total = sum(self.sent.values())
        kinds = ", ".join(
            f"{self.sent[kind]} {label}" for kind, label in KINDS.items() if self.sent[kind]
        )
        text = f"Sent {total} reminder{'' if total == 1 else 's'}"
        text += f" ({kinds})" if kinds else ""
        text += f"; {self.already} already sent."
        if self.failed:
            text += f" {self.failed} could not be sent: they will be tried again next time."
        return text


def send_reminders(on: date | None = None) -> Summary:
    """Send every reminder due on the day that has not been sent before."""
    pending = reminders_for(on or date.today())
    sent_before = _already_sent(pending)
    to_send = [reminder for reminder in pending if reminder.identity not in sent_before]
    summary = Summary(already=len(pending) - len(to_send))
    if not to_send:
        return summary  # not even a connection (the file backend would write an empty file)
    with get_connection() as connection:
        for reminder in to_send:
            try:
                _send_once(reminder, connection)
            except IntegrityError:  # another run has just sent it
                summary.already += 1
            except Exception:  # the mail server: log it, record nothing, try next time
                logger.exception("Could not send the %s reminder %s", reminder.kind, reminder.key)
                summary.failed += 1
            else:
                summary.sent[reminder.kind] += 1
    return summary


def _already_sent(reminders: list[Reminder]) -> set[tuple[str, str, int]]:
    keys = {reminder.key for reminder in reminders}
    return set(
        ReminderSent.objects.filter(kind__in=KINDS, key__in=keys).values_list(
            "kind", "key", "recipient_id"
        )
    )


def _send_once(reminder: Reminder, connection) -> None:
    with transaction.atomic():
        ReminderSent.objects.create(
            kind=reminder.kind, key=reminder.key, recipient=reminder.recipient
        )
        record(
            None,
            "reminder.sent",
            reminder.target,
            kind=reminder.kind,
            key=reminder.key,
            recipient_id=reminder.recipient.id,
        )
        message = EmailMultiAlternatives(
            reminder.subject,
            reminder.text,
            settings.DEFAULT_FROM_EMAIL,
            [reminder.recipient.email],
            connection=connection,
        )
        message.attach_alternative(reminder.html, "text/html")
        message.send()  # last: the row commits only if this succeeds


ReminderSource = Callable[[date], list[Reminder]]
_sources: list[ReminderSource] = []


def source(kind: str, label: str) -> Callable[[ReminderSource], ReminderSource]:
    """Let another app add reminders of its own kind (e.g. overdue safety-plan actions),
    sent, recorded and never repeated by the same machinery."""

    def register(function: ReminderSource) -> ReminderSource:
        if kind in KINDS:
            raise RuntimeError(f"reminder kind {kind!r} is registered twice")
        KINDS[kind] = label
        _sources.append(function)
        return function

    return register


def reminders_for(on: date) -> list[Reminder]:
    """Every reminder due on the day, sent before or not."""
    reminders: list[Reminder] = []
    for strategy in Strategy.objects.filter(starts_on__lte=on, ends_on__gte=on).order_by("id"):
        reminders += _returns_due(strategy, on)
        reminders += _returns_overdue(strategy, on)
        reminders += _actions_overdue(strategy, on)
    for other in _sources:
        reminders += other(on)
    return reminders


# -- what is owed --------------------------------------------------------------------------


def _returns_due(strategy: Strategy, on: date) -> list[Reminder]:
    """Returns for the quarter that ended most recently, not yet in, before their due date."""
    quarter = Period.containing(on, PeriodType.QUARTERLY).shifted(-1)
    if quarter not in returns.quarters_of(strategy) or quarter.start < strategy.starts_on:
        return []  # the same quarters returns.overdue_returns counts
    if on > returns.due_date(quarter):
        return []
    done = set(
        PartnerReturn.objects.filter(
            strategy=strategy, quarter_start=quarter.start, status__in=DONE
        ).values_list("agency_id", flat=True)
    )
    owing = [
        agency
        for agency, period_types in returns.agencies_owing(strategy).items()
        if returns.owes_in(period_types, quarter) and agency.id not in done
    ]
    return _to_leads(RETURN_DUE, strategy, [(agency, quarter) for agency in owing])


def _returns_overdue(strategy: Strategy, on: date) -> list[Reminder]:
    late = [
        (agency, quarter)
        for agency, quarter in returns.overdue_returns(strategy, on)
        if (on - returns.due_date(quarter)).days <= OVERDUE_WINDOW_DAYS
    ]
    sent_back = set(
        PartnerReturn.objects.filter(
            strategy=strategy,
            status=PartnerReturn.Status.RETURNED,
            quarter_start__in=[quarter.start for _, quarter in late],
        ).values_list("agency_id", "quarter_start")
    )
    return _to_leads(RETURN_OVERDUE, strategy, late, sent_back)


def _to_leads(kind: str, strategy: Strategy, owed, sent_back=frozenset()) -> list[Reminder]:
    owed = [(agency, quarter) for agency, quarter in owed if agency.is_active]
    leads: dict[int, list[User]] = {}
    for user in reachable(
        User.objects.filter(
            agency_id__in={agency.id for agency, _ in owed},
            role_assignments__role=Role.AGENCY_LEAD,
        )
    ).order_by("id"):
        leads.setdefault(user.agency_id, []).append(user)
    return [
        _return_reminder(
            kind, strategy, agency, quarter, lead, (agency.id, quarter.start) in sent_back
        )
        for agency, quarter in owed
        for lead in leads.get(agency.id, [])
    ]


def _actions_overdue(strategy: Strategy, on: date) -> list[Reminder]:
    late = overdue(Action.objects.filter(priority__strategy=strategy), on).select_related(
        "owner", "owning_agency", "priority__strategy"
    )
    return [
        _action_reminder(action)
        for action in late.order_by("due_on", "id")
        if action.owner and action.owner.is_active and action.owner.email
    ]


def reachable(users):
    """Users who can be sent an e-mail: active, with an address."""
    return users.filter(is_active=True).exclude(email="").distinct()


# -- the e-mails ---------------------------------------------------------------------------


def link(name: str, args: list, agreed_path: str) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:  # the page is not routed (yet): its agreed path
        path = agreed_path
    return settings.SAFERHUB_BASE_URL.rstrip("/") + path


def _return_reminder(
    kind, strategy, agency, quarter: Period, lead: User, sent_back: bool = False
) -> Reminder:
    due = f"{returns.due_date(quarter):%-d %B %Y}"
    url = link(
        "return",
        [strategy.slug, quarter.code_slug],
        f"/strategy/{strategy.slug}/returns/{quarter.code_slug}/",
    )
    whose = f"{agency.name}'s return for {quarter.label}"
    if kind == RETURN_DUE:
        subject = f"saferhub: {whose} is due by {due}"
        news = f"{agency.name}'s figures for {quarter.label} ({strategy.title}) are due by {due}."
    else:
        subject = f"saferhub: {whose} is overdue"
        news = (
            f"{agency.name}'s figures for {quarter.label} ({strategy.title}) were due on {due} "
            + (
                "and were sent back for changes: they have not been submitted again."
                if sent_back
                else "and have not been submitted."
            )
        )
    action = "Enter and submit them on the return's page:"
    why = f"You receive this as a lead for {agency.name}."
    return Reminder(
        kind=kind,
        key=f"return:{strategy.id}:{agency.id}:{quarter.start.isoformat()}",
        recipient=lead,
        subject=subject,
        text=text_body(lead, news, action, url, why),
        html=html_body(lead, news, action, url, why),
        target=strategy,
    )


def _action_reminder(action: Action) -> Reminder:
    owner, due = action.owner, f"{action.due_on:%-d %B %Y}"
    priority = action.priority
    url = link("action", [action.id], f"/actions/{action.id}/")
    news = (
        f"The action \u201c{action.title}\u201d ({action.owning_agency.name}, priority "
        f"{priority.number} of {priority.strategy.title}) was due on {due} and is not done."
    )
    how = "Add a progress update, or mark it done, on the action's page:"
    why = "You receive this as the action's owner."
    return Reminder(
        kind=ACTION_OVERDUE,
        # The due date is part of the key: an action given a new date that then passes
        # is reminded of again.
        key=f"action:{action.id}:{action.due_on.isoformat()}",
        recipient=owner,
        subject=f"saferhub: your action is overdue: {action.title}",
        text=text_body(owner, news, how, url, why),
        html=html_body(owner, news, how, url, why),
        target=action,
    )


def text_body(recipient: User, news: str, action: str, url: str, why: str) -> str:
    hello = f"Dear {recipient.first_name}," if recipient.first_name else "Hello,"
    return (
        f"{hello}\n\n{news}\n\n{action}\n{url}\n\n"
        f"{why} This is an automatic reminder from saferhub: it is sent once.\n"
    )


def html_body(recipient: User, news: str, action: str, url: str, why: str) -> str:
    hello = f"Dear {recipient.first_name}," if recipient.first_name else "Hello,"
    return format_html(
        '<p>{}</p><p>{}</p><p>{} <a href="{}">{}</a></p>'
        "<p>{} This is an automatic reminder from saferhub: it is sent once.</p>",
        hello,
        news,
        action,
        url,
        url,
        why,
    )
