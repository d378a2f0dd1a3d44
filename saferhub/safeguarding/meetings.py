"""Daily meetings and the monthly MARAC: setting one up, drawing up and confirming its case
list, inviting agencies, opening it, recording what was said, and closing it.

A meeting moves planned -> confirmed -> open -> closed, and only forwards. The coordinator
(Action.MANAGE_MEETINGS) does all of it; the views check that, these functions check the
state. Every change is recorded through the audit service; confirming the list records the
disclosure of its cases to the agencies invited (DPA 2018 s62).
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from saferhub.audit.services import record
from saferhub.partnership.models import Agency
from saferhub.safeguarding import case_access, safety_plans
from saferhub.safeguarding.models import ListedCase, Meeting, Referral, SafetyAction


class MeetingError(Exception):
    """The meeting is not in a state that allows this, or the input does not fit it."""


class StaleMeeting(MeetingError):
    """Someone changed the meeting or the case since this user opened it."""


@dataclass(frozen=True)
class Proposal:
    """A case proposed for a meeting's list, and why."""

    referral: Referral
    why: str  # ListedCase.Why
    overdue_actions: int = 0
    # The other cases of the same victim proposed too (references): to hear them together.
    same_victim: tuple[str, ...] = ()


def next_weekday(day: date) -> date:
    """Daily meetings sit on weekdays: a Saturday or Sunday moves to the Monday."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@transaction.atomic
def create(user, kind: str, held_on: date) -> Meeting:
    partnership = user.agency.partnership
    if kind == Meeting.Kind.DAILY and held_on.weekday() >= 5:
        raise MeetingError("Daily meetings are held on weekdays: choose a Monday to Friday.")
    if Meeting.objects.filter(partnership=partnership, kind=kind, held_on=held_on).exists():
        raise MeetingError(
            f"There is already a {Meeting.Kind(kind).label.lower()} on {held_on:%-d %B %Y}."
        )
    meeting = Meeting.objects.create(
        partnership=partnership, kind=kind, held_on=held_on, chair=user
    )
    record(user, "meeting.created", meeting, kind=kind, held_on=held_on.isoformat())
    return meeting


def proposals(meeting: Meeting) -> list[Proposal]:
    """Cases the meeting should hear, not yet on its list: eligible referrals made by the
    meeting's date and not yet heard nor listed at another meeting still to sit; and open
    cases whose actions were overdue on the meeting's date."""
    listed_here = ListedCase.objects.filter(meeting=meeting).values("referral_id")
    waiting_elsewhere = ListedCase.objects.filter(
        referral_id=OuterRef("pk"),
        meeting__status__in=[Meeting.Status.PLANNED, Meeting.Status.CONFIRMED, Meeting.Status.OPEN],
    ).exclude(meeting=meeting)
    partnership_cases = Referral.objects.filter(partnership_id=meeting.partnership_id).exclude(
        pk__in=listed_here
    )
    new = (
        partnership_cases.filter(status=Referral.Status.REFERRED, referred_on__lte=meeting.held_on)
        .exclude(Exists(waiting_elsewhere))
        .select_related("victim", "referring_agency")
        .order_by("referred_on", "id")
    )
    found = [
        Proposal(referral, ListedCase.Why.REPEAT if referral.is_repeat else ListedCase.Why.NEW)
        for referral in new
    ]
    overdue_counts = safety_plans.overdue_counts(
        partnership_cases.filter(status=Referral.Status.OPEN).exclude(Exists(waiting_elsewhere)),
        meeting.held_on,
    )
    if overdue_counts:
        for referral in (
            Referral.objects.filter(pk__in=overdue_counts)
            .select_related("victim", "referring_agency")
            .order_by("referred_on", "id")
        ):
            found.append(
                Proposal(referral, ListedCase.Why.OVERDUE_ACTIONS, overdue_counts[referral.pk])
            )
    return _with_same_victim(found)


def _with_same_victim(found: list[Proposal]) -> list[Proposal]:
    """Each proposal with the references of the other proposals for the same victim (a repeat
    referral made before the first was heard): the coordinator lists them together."""
    by_victim: dict[int, list[str]] = {}
    for proposal in found:
        by_victim.setdefault(proposal.referral.victim_id, []).append(proposal.referral.reference)
    return [
        replace(
            proposal,
            same_victim=tuple(
                ref
                for ref in by_victim[proposal.referral.victim_id]
                if ref != proposal.referral.reference
            ),
        )
        for proposal in found
    ]


def _require(meeting: Meeting, *statuses: str) -> None:
    if meeting.status not in statuses:
        raise MeetingError(f"This meeting is {meeting.get_status_display().lower()}.")


def _bump(meeting: Meeting, expected_version: int) -> None:
    updated = Meeting.objects.filter(pk=meeting.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleMeeting(
            "Someone else changed this meeting while you had it open. Nothing has been "
            "saved: the page now shows the meeting as it is."
        )
    meeting.version = expected_version + 1


@transaction.atomic
def add_to_list(user, meeting: Meeting, referral_ids: list[int], expected_version: int) -> int:
    """Put proposed cases on the list, after those already on it. Returns how many."""
    _require(meeting, Meeting.Status.PLANNED)
    _bump(meeting, expected_version)
    offered = {proposal.referral.pk: proposal for proposal in proposals(meeting)}
    unknown = [pk for pk in referral_ids if pk not in offered]
    if unknown:
        raise MeetingError("A case chosen is no longer proposed for this meeting.")
    position = meeting.listed_cases.count()
    for pk in referral_ids:
        position += 1
        ListedCase.objects.create(
            meeting=meeting, referral_id=pk, position=position, why=offered[pk].why
        )
    record(user, "meeting.cases_listed", meeting, referrals=referral_ids)
    return len(referral_ids)


@transaction.atomic
def remove_from_list(user, meeting: Meeting, listed: ListedCase, expected_version: int) -> None:
    _require(meeting, Meeting.Status.PLANNED)
    _bump(meeting, expected_version)
    listed.delete()
    case_access.refresh_case(listed.referral_id)
    _renumber(meeting)
    record(user, "meeting.case_unlisted", meeting, referral=listed.referral_id)


@transaction.atomic
def move(user, meeting: Meeting, listed: ListedCase, step: int, expected_version: int) -> None:
    """Move a case one place up (step -1) or down (+1) the list."""
    _require(meeting, Meeting.Status.PLANNED)
    _bump(meeting, expected_version)
    order = list(meeting.listed_cases.order_by("position", "id"))
    index = next(i for i, item in enumerate(order) if item.pk == listed.pk)
    other = index + step
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    _renumber(meeting, order)


def _renumber(meeting: Meeting, order: list[ListedCase] | None = None) -> None:
    order = order if order is not None else list(meeting.listed_cases.order_by("position", "id"))
    for position, item in enumerate(order, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def suggested_agencies(meeting: Meeting) -> list[int]:
    """Who to invite by default: the agencies that referred the listed cases, those that own
    their actions, the police and the IDVA service. The coordinator may add or remove."""
    referral_ids = meeting.listed_cases.values("referral_id")
    ids = set(
        Referral.objects.filter(pk__in=referral_ids).values_list("referring_agency_id", flat=True)
    )
    ids |= set(
        SafetyAction.objects.filter(referral_id__in=referral_ids).values_list(
            "agency_id", flat=True
        )
    )
    ids |= set(
        Agency.objects.filter(
            partnership_id=meeting.partnership_id,
            kind__in=[Agency.Kind.POLICE, Agency.Kind.IDVA_SERVICE],
        ).values_list("pk", flat=True)
    )
    return sorted(ids)


@transaction.atomic
def confirm(user, meeting: Meeting, agency_ids: list[int], expected_version: int) -> None:
    """Fix the case list and invite the agencies: they can now see its cases and research."""
    _require(meeting, Meeting.Status.PLANNED)
    if not meeting.listed_cases.exists():
        raise MeetingError("Add at least one case to the list before confirming it.")
    agencies = list(Agency.objects.filter(partnership_id=meeting.partnership_id, pk__in=agency_ids))
    if not agencies:
        raise MeetingError("Invite at least one agency.")
    _bump(meeting, expected_version)
    meeting.invited_agencies.set(agencies)
    case_access.refresh(Referral.objects.filter(listings__meeting=meeting))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CONFIRMED)
    meeting.status = Meeting.Status.CONFIRMED
    # Disclosure (s62): the list's cases are now shared with these agencies.
    record(
        user,
        "meeting.confirmed",
        meeting,
        invited=sorted(agency.code for agency in agencies),
        referrals=list(meeting.listed_cases.values_list("referral_id", flat=True)),
    )


def opens_today_or_earlier(meeting: Meeting) -> bool:
    return meeting.held_on <= timezone.localdate()


@transaction.atomic
def open_meeting(user, meeting: Meeting, expected_version: int) -> None:
    """The meeting is in session: every invited agency now sees the others' research.
    Not before its day: cases are heard, and safety plans start, on the meeting's date."""
    _require(meeting, Meeting.Status.CONFIRMED)
    if not opens_today_or_earlier(meeting):
        raise MeetingError(
            f"This meeting is on {meeting.held_on:%A %-d %B %Y}: it can be opened on the day."
        )
    _bump(meeting, expected_version)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.OPEN)
    meeting.status = Meeting.Status.OPEN
    record(user, "meeting.opened", meeting)


@transaction.atomic
def record_discussion(
    user, listed: ListedCase, discussion: str, heard: bool, expected_version: int
) -> None:
    _require(listed.meeting, Meeting.Status.OPEN)
    updated = ListedCase.objects.filter(pk=listed.pk, version=expected_version).update(
        discussion=discussion, heard=heard, version=F("version") + 1
    )
    if not updated:
        raise StaleMeeting(
            "Someone else saved this case's discussion while you were writing. Yours has not "
            "been saved: read theirs, then add yours."
        )
    record(user, "meeting.discussion_recorded", listed.referral, meeting=listed.meeting_id)


@transaction.atomic
def close(user, meeting: Meeting, expected_version: int) -> None:
    """Close the meeting. Cases heard become open safety plans (closed at once if no action
    was agreed); cases not heard go back to be proposed for the next meeting."""
    _require(meeting, Meeting.Status.OPEN)
    _bump(meeting, expected_version)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    meeting.status = Meeting.Status.CLOSED
    heard = list(
        meeting.listed_cases.filter(heard=True).select_related("referral").order_by("position")
    )
    for listed in heard:
        referral = listed.referral
        if referral.heard_on is None:
            referral.heard_on = meeting.held_on
        referral.status = Referral.Status.OPEN
        referral.closed_on = None
        referral.save(update_fields=["heard_on", "status", "closed_on"])
        safety_plans.close_if_complete(user, referral, meeting.held_on)
    record(
        user,
        "meeting.closed",
        meeting,
        heard=[listed.referral_id for listed in heard],
    )
