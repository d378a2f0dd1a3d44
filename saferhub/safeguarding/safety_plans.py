"""Multi-agency safety plans: the actions a meeting agrees, their owners' updates, overdue
actions, and when a case closes or reopens.

A case is a chain of referrals of one victim with the same perpetrator: a repeat referral
reopens the case it repeats, and the case closes when every action along the chain is
complete (and no referral in it is still waiting to be heard).
"""

from datetime import date

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from saferhub.access.permissions import Action, can
from saferhub.access.roles import Role
from saferhub.audit.services import record
from saferhub.safeguarding import case_access
from saferhub.safeguarding.models import (
    ListedCase,
    Meeting,
    Referral,
    SafetyAction,
    SafetyActionUpdate,
)


class SafetyPlanError(Exception):
    """The action cannot be saved as asked."""


class StaleSafetyAction(SafetyPlanError):
    """Someone else updated the action since this user opened it. `changes` are the updates
    saved since the version the user opened, oldest first (who, their agency, when, the
    status and the text), for the page to show what changed."""

    def __init__(self, message: str, changes: list[SafetyActionUpdate]) -> None:
        super().__init__(message)
        self.changes = changes


def overdue_counts(referrals, on: date) -> dict[int, int]:
    """For the given referrals (a queryset), how many open actions each had past due on `on`."""
    rows = (
        SafetyAction.objects.filter(
            referral__in=referrals, status=SafetyAction.Status.OPEN, due_on__lt=on
        )
        .values("referral_id")
        .annotate(count=Count("id"))
    )
    return {row["referral_id"]: row["count"] for row in rows}


def may_update(user, action: SafetyAction) -> bool:
    """The owning agency's case workers, and the coordinator, update an action."""
    if not can(user, Action.VIEW_CASES):
        return False
    return user.agency_id == action.agency_id or user.has_role(Role.MARAC_COORDINATOR)


@transaction.atomic
def agree(
    user,
    listed: ListedCase,
    *,
    agency,
    officer,
    description: str,
    due_on: date,
) -> SafetyAction:
    """The chair records an action agreed at the meeting, owned by an agency."""
    if listed.meeting.status != Meeting.Status.OPEN:
        raise SafetyPlanError("Actions are agreed while the meeting is in session.")
    if agency.partnership_id != listed.meeting.partnership_id:
        raise SafetyPlanError("The owning agency must be one of the partnership's.")
    if officer is not None and officer.agency_id != agency.pk:
        raise SafetyPlanError("The officer must work for the owning agency.")
    action = SafetyAction.objects.create(
        referral=listed.referral,
        agreed_at=listed,
        agency=agency,
        officer=officer,
        description=description,
        due_on=due_on,
    )
    case_access.refresh_case(listed.referral_id)
    # An action can be agreed before the case is marked heard: agreeing one means it was.
    if not listed.heard:
        ListedCase.objects.filter(pk=listed.pk).update(heard=True, version=F("version") + 1)
    record(
        user,
        "safety_action.agreed",
        action,
        referral=listed.referral_id,
        agency=agency.code,
        due_on=due_on.isoformat(),
    )
    return action


@transaction.atomic
def update(
    user,
    action: SafetyAction,
    *,
    text: str,
    complete: bool,
    expected_version: int,
    on: date | None = None,
) -> SafetyAction:
    """The owner's update of an open action, kept in its history; completing the last open
    action closes the case. A save based on an old version is refused (StaleSafetyAction,
    with what changed since), as is one to an action already complete."""
    today = on or date.today()
    if not may_update(user, action):
        raise SafetyPlanError("Only the owning agency or the MARAC coordinator updates an action.")
    status = SafetyAction.Status.COMPLETE if complete else SafetyAction.Status.OPEN
    now = timezone.now()
    updated = SafetyAction.objects.filter(
        pk=action.pk, version=expected_version, status=SafetyAction.Status.OPEN
    ).update(
        updated_at=now,
        update=text,
        status=status,
        completed_on=today if complete else None,
        version=F("version") + 1,
    )
    if not updated:
        current = SafetyAction.objects.filter(pk=action.pk).values_list("version", flat=True)
        if current.first() != expected_version:
            raise StaleSafetyAction(
                "Someone else updated this action while you were writing. Your update has "
                "not been saved: read what changed, then save yours again.",
                changes=list(changes_since(action, expected_version)),
            )
        raise SafetyPlanError("This action is complete: it takes no more updates.")
    action.refresh_from_db()
    SafetyActionUpdate.objects.create(
        action=action,
        version=action.version,
        by_user=user,
        by_agency_id=user.agency_id,
        at=now,
        status=status,
        text=text,
    )
    record(user, "safety_action.updated", action, status=status, version=action.version)
    if complete:
        close_if_complete(user, action.referral, today)
    return action


def history(action: SafetyAction):
    """Every update of the action, newest first, with who saved it and for which agency.
    Whoever may see the action may see its history (scopes.py)."""
    return (
        SafetyActionUpdate.objects.filter(action=action)
        .select_related("by_user", "by_agency")
        .order_by("-version", "-id")
    )


def changes_since(action: SafetyAction, version: int):
    """The updates saved after `version` of the action, oldest first."""
    return (
        SafetyActionUpdate.objects.filter(action=action, version__gt=version)
        .select_related("by_user", "by_agency")
        .order_by("version", "id")
    )


def _chain(referral: Referral) -> list[Referral]:
    """The referral and every referral it repeats, and every repeat of those."""
    seen: dict[int, Referral] = {}
    frontier = [referral]
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen[current.pk] = current
        if current.repeat_of_id and current.repeat_of_id not in seen:
            frontier.append(Referral.objects.get(pk=current.repeat_of_id))
        frontier.extend(current.repeats.exclude(pk__in=list(seen)))
    return list(seen.values())


def close_if_complete(user, referral: Referral, on: date) -> bool:
    """Close the case (the whole chain) when nothing in it is open or waiting to be heard."""
    chain = _chain(referral)
    ids = [item.pk for item in chain]
    if any(item.status == Referral.Status.REFERRED for item in chain):
        return False
    if SafetyAction.objects.filter(referral_id__in=ids, status=SafetyAction.Status.OPEN).exists():
        return False
    to_close = [item for item in chain if item.status == Referral.Status.OPEN]
    for item in to_close:
        Referral.objects.filter(pk=item.pk).update(
            status=Referral.Status.CLOSED, closed_on=on, version=F("version") + 1
        )
        item.status, item.closed_on = Referral.Status.CLOSED, on
        record(user, "referral.closed", item)
    return bool(to_close)


def reopen_for_repeat(user, repeat: Referral) -> None:
    """A repeat referral reopens the case it repeats."""
    earlier = repeat.repeat_of
    if earlier is None or earlier.status != Referral.Status.CLOSED:
        return
    Referral.objects.filter(pk=earlier.pk).update(
        status=Referral.Status.OPEN, closed_on=None, version=F("version") + 1
    )
    earlier.status, earlier.closed_on = Referral.Status.OPEN, None
    record(user, "referral.reopened", earlier, repeat=repeat.pk)


def plan_for(referral: Referral):
    """The whole safety plan of a case, oldest agreement first."""
    return (
        SafetyAction.objects.filter(referral=referral)
        .select_related("agency", "officer", "agreed_at__meeting")
        .order_by("due_on", "id")
    )
