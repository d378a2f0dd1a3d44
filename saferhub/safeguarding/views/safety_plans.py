"""Safety-plan actions: an agency's actions, and the owner's update of one."""

from datetime import date

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action, require
from saferhub.audit.services import record
from saferhub.safeguarding import safety_plans
from saferhub.safeguarding.meeting_forms import ActionUpdateForm
from saferhub.safeguarding.models import SafetyAction


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
    return render(
        request,
        "safeguarding/safety_actions.html",
        {"open_actions": open_actions[:300], "done": done[:30], "today": today},
    )


def detail(request, pk: int):
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
    if may_update and action.status == SafetyAction.Status.OPEN:
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
                messages.error(request, str(problem))
                action.refresh_from_db()
                form = ActionUpdateForm(
                    initial={"version": action.version, "update": data["update"]}
                )
            else:
                messages.success(
                    request, "Action completed." if data["complete"] else "Update saved."
                )
                return redirect("safety-action", action.pk)
    elif request.method == "POST":
        require(request.user, Action.MANAGE_MEETINGS)
    record(request.user, "safety_action.viewed", action, referral=action.referral_id)
    return render(
        request,
        "safeguarding/safety_action.html",
        {"action": action, "form": form, "today": date.today()},
    )
