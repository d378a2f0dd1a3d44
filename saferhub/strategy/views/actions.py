"""Actions agencies own, their progress updates, and the "holding partners to account" page."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action as Verb
from saferhub.access.permissions import can, require
from saferhub.audit.services import record
from saferhub.partnership.models import Agency, User
from saferhub.strategy import actions as action_service
from saferhub.strategy import returns
from saferhub.strategy.forms import ActionForm, ProgressForm
from saferhub.strategy.lookups import action_for, strategy_for
from saferhub.strategy.models import Action, ProgressUpdate


def index(request, strategy: str):
    require(request.user, Verb.VIEW_STRATEGY)
    found = strategy_for(request.user, strategy)
    today = date.today()
    listed = scope.visible(request.user, Action.objects.filter(priority__strategy=found))
    agency_code = request.GET.get("agency", "")
    if agency_code:
        listed = listed.filter(owning_agency__code=agency_code)
    listed = action_service.annotate_order(listed, today).select_related(
        "priority", "owning_agency", "owner"
    )
    agencies = scope.visible(
        request.user, Agency.objects.filter(actions__priority__strategy=found)
    ).distinct()
    return render(
        request,
        "strategy/actions/index.html",
        {
            "strategy": found,
            "actions": listed,
            "today": today,
            "agencies": agencies,
            "agency_code": agency_code,
            "may_create": _may_create(request.user),
        },
    )


def _may_create(user) -> bool:
    return can(user, Verb.MANAGE_ACTIONS) or can(user, Verb.UPDATE_OWN_ACTIONS)


def _agencies_for_new_actions(user, strategy):
    agencies = scope.visible(user, Agency.objects.filter(is_active=True))
    if can(user, Verb.MANAGE_ACTIONS):
        return agencies
    return agencies.filter(id=user.agency_id)


def create(request, strategy: str):
    found = strategy_for(request.user, strategy)
    if not _may_create(request.user):
        raise PermissionDenied
    agencies = _agencies_for_new_actions(request.user, found)
    officers = scope.visible(request.user, User.objects.filter(agency__in=agencies, is_active=True))
    form = ActionForm(
        request.POST or None, strategy=found, agencies=agencies, officers=officers.distinct()
    )
    if request.method == "POST" and form.is_valid():
        action = form.save()
        record(request.user, "action.created", action)
        messages.success(request, f"Action added: {action.title}")
        return redirect("action", action.id)
    return render(request, "strategy/actions/form.html", {"strategy": found, "form": form})


def detail(request, pk: int):
    require(request.user, Verb.VIEW_STRATEGY)
    action = action_for(request.user, pk)
    may_update = action_service.may_update(request.user, action)
    form = None
    if may_update:
        form = ProgressForm(
            request.POST or None, initial={"version": action.version, "status": action.status}
        )
        if request.method == "POST" and form.is_valid():
            try:
                action_service.add_progress(
                    action,
                    request.user,
                    form.cleaned_data["text"],
                    form.cleaned_data["status"],
                    form.cleaned_data["version"],
                )
                messages.success(request, "Your progress update has been added.")
                return redirect("action", action.id)
            except action_service.StaleAction as error:
                form.add_error(None, str(error))
                action.refresh_from_db()
    elif request.method == "POST":
        raise PermissionDenied
    updates = ProgressUpdate.objects.filter(action=action).select_related("author")
    return render(
        request,
        "strategy/actions/detail.html",
        {
            "action": action,
            "strategy": action.priority.strategy,
            "updates": updates,
            "form": form,
            "today": date.today(),
        },
    )


def accountability(request, strategy: str):
    """Per agency: its actions, overdue first, and its missing returns."""
    require(request.user, Verb.HOLD_TO_ACCOUNT)
    found = strategy_for(request.user, strategy)
    today = date.today()
    actions = action_service.annotate_order(
        scope.visible(request.user, Action.objects.filter(priority__strategy=found)), today
    ).select_related("priority", "owner")
    missing: dict[int, list] = {}
    for agency, quarter in returns.overdue_returns(found, today):
        missing.setdefault(agency.id, []).append(quarter)
    agencies = (
        scope.visible(request.user, Agency.objects.all())
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="strategy_actions"))
        .order_by("name")
    )
    rows = []
    for agency in agencies:
        overdue = [a for a in agency.strategy_actions if a.is_overdue(today)]
        if agency.strategy_actions or agency.id in missing:
            rows.append(
                {
                    "agency": agency,
                    "actions": agency.strategy_actions,
                    "overdue": len(overdue),
                    "missing": missing.get(agency.id, []),
                }
            )
    rows.sort(key=lambda row: (-(row["overdue"] + len(row["missing"])), row["agency"].name))
    return render(
        request,
        "strategy/actions/accountability.html",
        {
            "strategy": found,
            "rows": rows,
            "today": today,
        },
    )
