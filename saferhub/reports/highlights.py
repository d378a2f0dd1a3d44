"""Highlights: short, dated accounts of progress that agencies write for the annual report.

An agency lead writes and edits their own agency's; the CSP team writes for any agency,
edits any, and chooses which go into the report. Every change is audited; an edit
based on an old version is refused (optimistic locking), like returns and actions.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F

from saferhub.access import scope
from saferhub.access.permissions import Action, can
from saferhub.audit.services import record
from saferhub.partnership.models import Agency
from saferhub.reports.models import Highlight
from saferhub.strategy.models import Priority, Strategy


class StaleHighlight(Exception):
    """Someone else changed the highlight since this user opened it."""


def may_write(user) -> bool:
    return can(user, Action.WRITE_HIGHLIGHTS)


def may_curate(user) -> bool:
    return can(user, Action.CURATE_REPORT)


def may_edit(user, highlight: Highlight) -> bool:
    """The CSP team edits any highlight; an agency lead their own agency's."""
    if not may_write(user):
        return False
    return may_curate(user) or highlight.agency_id == user.agency_id


def agencies_for(user):
    """The agencies the user may write for: any active one (CSP team) or their own."""
    agencies = scope.visible(user, Agency.objects.filter(is_active=True)).order_by("name")
    return agencies if may_curate(user) else agencies.filter(id=user.agency_id)


@dataclass(frozen=True)
class Draft:
    priority: Priority
    agency: Agency
    written_on: date
    title: str
    text: str


def write(user, draft: Draft) -> Highlight:
    highlight = Highlight.objects.create(
        priority=draft.priority,
        agency=draft.agency,
        author=user,
        written_on=draft.written_on,
        title=draft.title.strip(),
        text=draft.text.strip(),
    )
    record(user, "highlight.written", highlight, priority=draft.priority.id)
    return highlight


@transaction.atomic
def edit(user, highlight: Highlight, draft: Draft, expected_version: int) -> Highlight:
    updated = Highlight.objects.filter(pk=highlight.pk, version=expected_version).update(
        priority=draft.priority,
        agency=draft.agency,
        written_on=draft.written_on,
        title=draft.title.strip(),
        text=draft.text.strip(),
        version=F("version") + 1,
    )
    if not updated:
        raise StaleHighlight(
            "Someone else changed this highlight while you were editing it, so your "
            "changes have not been saved. Read theirs, then make yours again."
        )
    highlight.refresh_from_db()
    record(user, "highlight.edited", highlight)
    return highlight


@transaction.atomic
def set_included(user, highlight: Highlight, included: bool) -> None:
    Highlight.objects.filter(pk=highlight.pk).update(included=included, version=F("version") + 1)
    highlight.refresh_from_db()
    record(user, "highlight.included" if included else "highlight.left_out", highlight)


def listing(user, strategy: Strategy, priority_number: int | None = None):
    """The highlights of a strategy the user may see, by priority then newest first."""
    found = scope.visible(user, Highlight.objects.filter(priority__strategy=strategy))
    if priority_number is not None:
        found = found.filter(priority__number=priority_number)
    return found.select_related("priority", "agency", "author").order_by(
        "priority__number", "-written_on", "-id"
    )
