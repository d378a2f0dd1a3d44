"""Meetings: the list, setting one up, the case list (drawn up, confirmed, in session,
closed) and one case at a meeting (research, discussion, actions agreed)."""

from datetime import date

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saferhub.access import scope
from saferhub.access.permissions import Action, can, require
from saferhub.audit.services import record
from saferhub.safeguarding import meetings, research, safety_plans
from saferhub.safeguarding.meeting_forms import (
    AgreeActionForm,
    DiscussionForm,
    InviteForm,
    MeetingForm,
    ResearchForm,
    VersionForm,
)
from saferhub.safeguarding.models import ListedCase, Meeting
from saferhub.safeguarding.referrals import settings_for


def index(request):
    require(request.user, Action.VIEW_CASES)
    visible = scope.visible(request.user, Meeting.objects.all())
    today = date.today()
    # Counted per meeting shown (a correlated count), not over every meeting's listings.
    cases = (
        ListedCase.objects.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    with_cases = visible.annotate(cases=Coalesce(Subquery(cases), 0))
    return render(
        request,
        "safeguarding/meetings.html",
        {
            "upcoming": with_cases.filter(held_on__gte=today).order_by("held_on", "kind"),
            "past": with_cases.filter(held_on__lt=today).order_by("-held_on", "kind")[:60],
            "may_manage": can(request.user, Action.MANAGE_MEETINGS),
        },
    )


def create(request):
    require(request.user, Action.MANAGE_MEETINGS)
    form = MeetingForm(request.POST or None, initial={"kind": Meeting.Kind.DAILY})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.create(
                request.user, form.cleaned_data["kind"], form.cleaned_data["held_on"]
            )
        except meetings.MeetingError as problem:
            form.add_error("held_on", str(problem))
        else:
            return redirect("meeting", meeting.pk)
    return render(request, "safeguarding/meeting_form.html", {"form": form})


def _meeting_for(user, pk: int) -> Meeting:
    return scope.get_visible_or_404(
        user, Meeting.objects.select_related("chair", "partnership"), pk=pk
    )


def detail(request, pk: int):
    require(request.user, Action.VIEW_CASES)
    meeting = _meeting_for(request.user, pk)
    manages = can(request.user, Action.MANAGE_MEETINGS)
    listed = list(
        meeting.listed_cases.select_related("referral__victim", "referral__referring_agency")
        .annotate(actions=Count("actions_agreed"))
        .order_by("position", "id")
    )
    # Consultation (s62): a case list names victims.
    record(request.user, "meeting.viewed", meeting)
    context = {
        "meeting": meeting,
        "listed": listed,
        "statement": settings_for(meeting.partnership).confidentiality_statement,
        "invited": meeting.invited_agencies.order_by("name"),
        "manages": manages,
        "version_form": VersionForm(initial={"version": meeting.version}),
        "opens_later": not meetings.opens_today_or_earlier(meeting),
        "not_heard": sum(1 for item in listed if not item.heard),
    }
    if manages and meeting.status == Meeting.Status.PLANNED:
        context["proposals"] = meetings.proposals(meeting)
        context["invite_form"] = InviteForm(
            initial={"version": meeting.version, "agencies": meetings.suggested_agencies(meeting)},
            partnership=meeting.partnership,
        )
    return render(request, "safeguarding/meeting.html", context)


@require_POST
def change(request, pk: int):
    """Every change the coordinator makes to a meeting, named by the button pressed."""
    require(request.user, Action.MANAGE_MEETINGS)
    meeting = _meeting_for(request.user, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date: try again.")
        return redirect("meeting", meeting.pk)
    version = form.cleaned_data["version"]
    op = request.POST.get("op", "")
    try:
        if op == "add":
            chosen = [int(pk) for pk in request.POST.getlist("referral") if pk.isdigit()]
            if not chosen:
                raise meetings.MeetingError("Choose at least one case to add to the list.")
            added = meetings.add_to_list(request.user, meeting, chosen, version)
            messages.success(request, f"{added} case{'s' if added != 1 else ''} added to the list.")
        elif op in ("remove", "up", "down"):
            listed = meeting.listed_cases.get(pk=int(request.POST.get("listed", 0)))
            if op == "remove":
                meetings.remove_from_list(request.user, meeting, listed, version)
            else:
                meetings.move(request.user, meeting, listed, -1 if op == "up" else 1, version)
        elif op == "confirm":
            invite = InviteForm(request.POST, partnership=meeting.partnership)
            if not invite.is_valid():
                raise meetings.MeetingError(invite.errors["agencies"][0])
            agency_ids = [agency.pk for agency in invite.cleaned_data["agencies"]]
            meetings.confirm(request.user, meeting, agency_ids, version)
            messages.success(request, "Case list confirmed and agencies invited.")
        elif op == "open":
            meetings.open_meeting(request.user, meeting, version)
            messages.success(request, "The meeting is in session: research is now shared.")
        elif op == "close":
            meetings.close(request.user, meeting, version)
            messages.success(request, "Meeting closed. The safety plans are with their owners.")
        else:
            raise meetings.MeetingError("Choose what to do.")
    except ListedCase.DoesNotExist:
        messages.error(request, "That case is no longer on the list.")
    except meetings.MeetingError as problem:
        messages.error(request, str(problem))
    return redirect("meeting", meeting.pk)


def _listed_for(user, meeting_pk: int, pk: int) -> ListedCase:
    return scope.get_visible_or_404(
        user,
        ListedCase.objects.select_related(
            "meeting__partnership",
            "referral__victim",
            "referral__referring_agency",
            "referral__idva",
        ),
        meeting_id=meeting_pk,
        pk=pk,
    )


def listed_case(request, meeting_pk: int, pk: int):
    """One case at a meeting: research before, discussion and actions during."""
    require(request.user, Action.VIEW_CASES)
    listed = _listed_for(request.user, meeting_pk, pk)
    meeting = listed.meeting
    user = request.user
    chairs = can(user, Action.MANAGE_MEETINGS) and meeting.status == Meeting.Status.OPEN
    invited = meeting.invited_agencies.filter(pk=user.agency_id).exists()
    own = research.own(listed, user.agency)
    research_form = discussion_form = action_form = None
    if invited and meeting.status != Meeting.Status.CLOSED:
        research_form = ResearchForm(
            initial={
                "version": own.version if own else 0,
                "holds_information": ("yes" if own.holds_information else "no") if own else None,
                "summary": own.summary if own else "",
            }
        )
    if chairs:
        discussion_form = DiscussionForm(
            initial={
                "version": listed.version,
                "discussion": listed.discussion,
                "heard": listed.heard or not listed.discussion,
            }
        )
        action_form = AgreeActionForm(partnership=meeting.partnership)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "research" and research_form is not None:
            research_form = ResearchForm(request.POST)
            if research_form.is_valid():
                try:
                    research.save(user, listed, **research_form.cleaned_data)
                except research.StaleResearch as problem:
                    messages.error(request, str(problem))
                else:
                    messages.success(request, "Your agency's research is saved.")
                    return redirect("listed-case", meeting.pk, listed.pk)
        elif op == "discussion" and chairs:
            discussion_form = DiscussionForm(request.POST)
            if discussion_form.is_valid():
                data = discussion_form.cleaned_data
                try:
                    meetings.record_discussion(
                        user, listed, data["discussion"], data["heard"], data["version"]
                    )
                except meetings.MeetingError as problem:
                    messages.error(request, str(problem))
                else:
                    messages.success(request, "Discussion saved.")
                    return redirect("listed-case", meeting.pk, listed.pk)
        elif op == "action" and chairs:
            action_form = AgreeActionForm(request.POST, partnership=meeting.partnership)
            if action_form.is_valid():
                try:
                    safety_plans.agree(user, listed, **action_form.cleaned_data)
                except safety_plans.SafetyPlanError as problem:
                    action_form.add_error(None, str(problem))
                else:
                    messages.success(request, "Action added to the safety plan.")
                    return redirect("listed-case", meeting.pk, listed.pk)
        else:
            require(user, Action.MANAGE_MEETINGS)  # a form this user was not offered
    record(user, "referral.viewed", listed.referral, meeting=meeting.pk)
    return render(
        request,
        "safeguarding/listed_case.html",
        {
            "listed": listed,
            "meeting": meeting,
            "referral": listed.referral,
            "research": research.visible_for(user, listed),
            "research_hidden": not meeting.research_shared
            and not can(user, Action.MANAGE_MEETINGS),
            "own_research": own,
            "research_form": research_form,
            "discussion_form": discussion_form,
            "action_form": action_form,
            "actions": safety_plans.plan_for(listed.referral),
            "today": date.today(),
        },
    )
