"""Actions (commitments) agencies own under a priority, and their dated progress updates."""

from datetime import date

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When

from saferhub.access.permissions import Action as Verb
from saferhub.access.permissions import can
from saferhub.audit.services import record
from saferhub.strategy.models import Action, ProgressUpdate


class StaleAction(Exception):
    """Someone else updated the action since this user opened it."""


def may_update(user, action: Action) -> bool:
    if can(user, Verb.MANAGE_ACTIONS):
        return True
    return can(user, Verb.UPDATE_OWN_ACTIONS) and user.agency_id == action.owning_agency_id


@transaction.atomic
def add_progress(
    action: Action, user, text: str, status: str, expected_version: int, on: date | None = None
) -> ProgressUpdate:
    """Record a dated progress update and move the action to its new status."""
    today = on or date.today()
    completed_on = today if status == Action.Status.DONE else None
    updated = Action.objects.filter(pk=action.pk, version=expected_version).update(
        status=status, completed_on=completed_on, version=F("version") + 1
    )
    if not updated:
        raise StaleAction(
            "Someone else updated this action while you were writing. Your update has not "
            "been saved: read theirs below, then add yours again."
        )
    update = ProgressUpdate.objects.create(
        action=action, written_on=today, text=text, status=status, author=user
    )
    action.refresh_from_db()
    record(user, "action.progress_added", action, status=status)
    return update


def overdue(actions, today: date):
    """Filter a queryset of actions down to those past due and not done."""
    return actions.exclude(status=Action.Status.DONE).filter(due_on__lt=today)


def annotate_order(actions, today: date):
    """Overdue first, then by due date: the order a board reads them in."""
    return actions.annotate(
        overdue_first=Case(
            When(Q(due_on__lt=today) & ~Q(status=Action.Status.DONE), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue_first", "due_on", "id")
