"""Safety-plan actions: an agency's actions, and the owner's update of one."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action, require
from saferhub.audit.services import record
from saferhub.safeguarding import safety_plans
from saferhub.safeguarding.meeting_forms import ActionUpdateForm
from saferhub.safeguarding.models import SafetyAction

PER_PAGE = 50


def index(request):
    """The user's agency's open actions, overdue first (and the last completed)."""
    require(request.user, Action.VIEW_CASES)
    today = date.today()
    mine = scope.visible(request.user, SafetyAction.objects.filter(agency=request.user.agency))
    open_actions = (
        mine.filter(status=SafetyAction.Status.OPEN)
        .annotate(
            overdue_first=Case(
                When(Q(due_on__lt=today), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("referral__victim", "officer")
        .order_by("overdue_first", "due_on", "id")
    )
    done = (
        mine.filter(status=SafetyAction.Status.COMPLETE)
        .select_related("referral__victim", "officer")
        .order_by("-completed_on", "-id")
    )
    page = Paginator(open_actions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "safeguarding/safety_actions.html",
        {
            "page": page,
            "open_actions": page.object_list,
            # The last completed, under the first page of open ones.
            "done": done[:30] if page.number == 1 else [],
            "today": today,
        },
    )


def detail(request, pk: int):
    """An action, its history, and the owner's update. A save based on an old version is
    refused: the page then shows what changed since, and keeps what the user typed."""
    require(request.user, Action.VIEW_CASES)
    action = scope.get_visible_or_404(
        request.user,
        SafetyAction.objects.select_related(
            "referral__victim", "agency", "officer", "agreed_at__meeting"
        ),
        pk=pk,
    )
    may_update = safety_plans.may_update(request.user, action)
    form = None
    stale = None  # the refusal of a save based on an old version, with what changed since
    refused = ""  # the refusal of any other save the user typed
    # A POST is taken even once the action is complete: completed since the user opened it,
    # their save is refused with what changed, never dropped without a word.
    if may_update and (action.status == SafetyAction.Status.OPEN or request.method == "POST"):
        form = ActionUpdateForm(
            request.POST or None, initial={"version": action.version, "update": action.update}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                safety_plans.update(
                    request.user,
                    action,
                    text=data["update"],
                    complete=data["complete"],
                    expected_version=data["version"],
                )
            except safety_plans.StaleSafetyAction as problem:
                stale = problem
                action.refresh_from_db()
                # The user's own text and tick stay; the version becomes the one they have
                # now seen, so saving again applies theirs on top of what changed.
                form = ActionUpdateForm(
                    {
                        "update": data["update"],
                        "complete": "on" if data["complete"] else "",
                        "version": action.version,
                    }
                )
                form.is_valid()
            except safety_plans.SafetyPlanError as problem:
                refused = str(problem)
            else:
                messages.success(
                    request, "Action completed." if data["complete"] else "Update saved."
                )
                return redirect("safety-action", action.pk)
    elif request.method == "POST":
        require(request.user, Action.MANAGE_MEETINGS)
    record(request.user, "safety_action.viewed", action, referral=action.referral_id)
    history = scope.visible(request.user, safety_plans.history(action))
    still_open = action.status == SafetyAction.Status.OPEN
    return render(
        request,
        "safeguarding/safety_action.html",
        {
            "action": action,
            "form": form if still_open else None,
            # Completed meanwhile: no form, but what the user wrote is shown back to them.
            "unsaved": form if (stale or refused) and not still_open else None,
            "stale": stale,
            "problem": str(stale) if stale else refused,
            "history": history,
            "today": date.today(),
        },
    )
