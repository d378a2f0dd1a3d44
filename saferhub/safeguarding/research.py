"""Research: what each invited agency holds on a listed case, recorded before the meeting.

An agency sees its own research at once and the others' only once the meeting opens (the
scope rule for Research says so); the coordinator preparing the meeting sees all of it.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from saferhub.access import scope
from saferhub.audit.services import record
from saferhub.safeguarding.models import ListedCase, Meeting, Research


class StaleResearch(Exception):
    """A colleague saved the agency's research since this user opened it."""


STALE = (
    "A colleague saved your agency's research on this case while you were writing. Yours "
    "has not been saved: read theirs, then add to it."
)


def own(listed: ListedCase, agency) -> Research | None:
    return Research.objects.filter(listed_case=listed, agency=agency).first()


def visible_for(user, listed: ListedCase):
    return (
        scope.visible(user, Research.objects.filter(listed_case=listed))
        .select_related("agency", "author")
        .order_by("agency__name")
    )


@transaction.atomic
def save(user, listed: ListedCase, *, holds_information: bool, summary: str, version: int):
    """Create or update the user's agency's research; `version` 0 means "there was none"."""
    if listed.meeting.status == Meeting.Status.CLOSED:
        raise StaleResearch("The meeting has closed: research can no longer change.")
    if not listed.meeting.invited_agencies.filter(pk=user.agency_id).exists():
        raise StaleResearch("Your agency is not invited to this meeting.")
    summary = summary.strip() if holds_information else ""
    if version == 0:
        try:
            with transaction.atomic():
                found = Research.objects.create(
                    listed_case=listed,
                    agency=user.agency,
                    holds_information=holds_information,
                    summary=summary,
                    author=user,
                )
        except IntegrityError:
            raise StaleResearch(STALE) from None
    else:
        updated = Research.objects.filter(
            listed_case=listed, agency=user.agency, version=version
        ).update(
            holds_information=holds_information,
            summary=summary,
            author=user,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        if not updated:
            raise StaleResearch(STALE)
        found = own(listed, user.agency)
    record(
        user,
        "research.saved",
        found,
        referral=listed.referral_id,
        meeting=listed.meeting_id,
        holds_information=holds_information,
    )
    return found
