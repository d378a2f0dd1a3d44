"""Highlights for the annual report: the list, writing and editing one, and choosing
which go into the report. Everyone who reads reports sees the list (through scope:
their own agency's and those included); agency leads write their agency's; the CSP
team writes any and chooses."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from saferhub.access import scope
from saferhub.access.permissions import Action, require
from saferhub.reports import formatting
from saferhub.reports import highlights as service
from saferhub.reports.forms import HighlightForm
from saferhub.reports.models import Highlight
from saferhub.strategy.lookups import strategy_for
from saferhub.strategy.models import Priority


def _priorities(user, strategy):
    return scope.visible(user, Priority.objects.filter(strategy=strategy)).order_by("number")


def _list_url(highlight: Highlight) -> str:
    return (
        reverse("highlights", args=[highlight.priority.strategy.slug])
        + f"#highlight-{highlight.id}"
    )


def index(request, strategy: str):
    require(request.user, Action.VIEW_REPORTS)
    found = strategy_for(request.user, strategy)
    priorities = list(_priorities(request.user, found))
    chosen = request.GET.get("priority", "")
    number = int(chosen) if chosen.isdigit() else None
    groups = {priority.id: (priority, []) for priority in priorities}
    for highlight in service.listing(request.user, found, number):
        highlight.html = formatting.render(highlight.text)
        highlight.may_edit = service.may_edit(request.user, highlight)
        groups.setdefault(highlight.priority_id, (highlight.priority, []))[1].append(highlight)
    shown = [
        (priority, found_highlights)
        for priority, found_highlights in groups.values()
        if number is None or priority.number == number
    ]
    return render(
        request,
        "reports/highlights/index.html",
        {
            "strategy": found,
            "groups": shown,
            "priorities": priorities,
            "chosen": number,
            "may_write": service.may_write(request.user),
            "may_curate": service.may_curate(request.user),
        },
    )


def _form(request, strategy, **kwargs) -> HighlightForm:
    return HighlightForm(
        request.POST or None,
        priorities=_priorities(request.user, strategy),
        agencies=service.agencies_for(request.user),
        **kwargs,
    )


def create(request, strategy: str):
    require(request.user, Action.WRITE_HIGHLIGHTS)
    found = strategy_for(request.user, strategy)
    initial = {"agency": request.user.agency_id}
    chosen = request.GET.get("priority", "")
    if chosen.isdigit():
        initial["priority"] = _priorities(request.user, found).filter(number=int(chosen)).first()
    initial["written_on"] = date.today()
    form = _form(request, found, initial=initial)
    if request.method == "POST" and form.is_valid():
        highlight = service.write(request.user, form.draft())
        messages.success(request, "Your highlight has been saved.")
        return redirect(_list_url(highlight))
    return render(
        request,
        "reports/highlights/form.html",
        {"strategy": found, "form": form, "highlight": None},
    )


def _highlight_for(request, pk: int) -> Highlight:
    return scope.get_visible_or_404(
        request.user,
        Highlight.objects.select_related("priority__strategy", "agency", "author"),
        pk=pk,
    )


def edit(request, pk: int):
    require(request.user, Action.WRITE_HIGHLIGHTS)
    highlight = _highlight_for(request, pk)
    if not service.may_edit(request.user, highlight):
        raise Http404  # they may edit highlights, but not this one
    strategy = highlight.priority.strategy
    form = _form(
        request,
        strategy,
        initial={
            "version": highlight.version,
            "priority": highlight.priority,
            "agency": highlight.agency,
            "written_on": highlight.written_on,
            "title": highlight.title,
            "text": highlight.text,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.edit(request.user, highlight, form.draft(), form.cleaned_data["version"] or 0)
        except service.StaleHighlight as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The highlight has been changed.")
            return redirect(_list_url(highlight))
    return render(
        request,
        "reports/highlights/form.html",
        {"strategy": strategy, "form": form, "highlight": highlight},
    )


@require_POST
def include(request, pk: int):
    require(request.user, Action.CURATE_REPORT)
    highlight = _highlight_for(request, pk)
    choice = request.POST.get("included")
    if choice not in ("yes", "no"):
        return HttpResponseBadRequest("Say whether to include the highlight: yes or no.")
    service.set_included(request.user, highlight, choice == "yes")
    name = highlight.title or f"the highlight of {highlight.written_on:%-d %B %Y}"
    if choice == "yes":
        messages.success(request, f"Included in the annual report: {name}.")
    else:
        messages.success(request, f"Left out of the annual report: {name}.")
    return redirect(_list_url(highlight))
