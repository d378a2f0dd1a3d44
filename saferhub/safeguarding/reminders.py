"""Overdue safety-plan actions e-mailed to their owners, through strategy.reminders' machinery
(sent once per action and due date, recorded, never repeated).

The e-mail names the case reference and the due date, never the victim nor the action's
words: an e-mail leaves the system and may be read on a shared screen.
"""

from datetime import date

from saferhub.access.roles import Role
from saferhub.partnership.models import User
from saferhub.safeguarding.models import SafetyAction
from saferhub.strategy import reminders

SAFETY_ACTION_OVERDUE = "safety_action_overdue"


@reminders.source(SAFETY_ACTION_OVERDUE, "safety-plan action overdue")
def overdue_safety_actions(on: date) -> list[reminders.Reminder]:
    late = (
        SafetyAction.objects.filter(status=SafetyAction.Status.OPEN, due_on__lt=on)
        .select_related("referral", "agency", "officer")
        .order_by("due_on", "id")
    )
    late = list(late)
    # Without a named officer, the owning agency's leads are told.
    leads: dict[int, list[User]] = {}
    unnamed = {action.agency_id for action in late if action.officer_id is None}
    for lead in reminders.reachable(
        User.objects.filter(agency_id__in=unnamed, role_assignments__role=Role.AGENCY_LEAD)
    ).order_by("id"):
        leads.setdefault(lead.agency_id, []).append(lead)
    found = []
    for action in late:
        if action.officer_id:
            officer = action.officer
            recipients = [officer] if officer.is_active and officer.email else []
        else:
            recipients = leads.get(action.agency_id, [])
        found += [_reminder(action, recipient) for recipient in recipients]
    return found


def _reminder(action: SafetyAction, recipient: User) -> reminders.Reminder:
    due = f"{action.due_on:%-d %B %Y}"
    case = action.referral.reference
    url = reminders.link("safety-action", [action.id], f"/safeguarding/actions/{action.id}/")
    news = (
        f"A safety-plan action {action.agency.name} owns on MARAC case {case} was due on "
        f"{due} and is not complete. It goes back on the next meeting's list."
    )
    how = "Update it, or mark it complete, on the action's page:"
    why = (
        "You receive this as the action's officer."
        if action.officer_id
        else f"You receive this as a lead for {action.agency.name}: no officer is named."
    )
    return reminders.Reminder(
        kind=SAFETY_ACTION_OVERDUE,
        key=f"safety_action:{action.id}:{action.due_on.isoformat()}",
        recipient=recipient,
        subject=f"saferhub: a safety-plan action on case {case} is overdue",
        text=reminders.text_body(recipient, news, how, url, why),
        html=reminders.html_body(recipient, news, how, url, why),
        target=action,
    )
