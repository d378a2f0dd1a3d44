"""Partner returns: an agency's quarters, entering and submitting figures, and approval."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action, can, require
from saferhub.partnership.models import Agency
from saferhub.strategy import returns
from saferhub.strategy.forms import ReturnForm, SendBackForm
from saferhub.strategy.lookups import strategy_for
from saferhub.strategy.measure_report import format_value
from saferhub.strategy.models import PartnerReturn
from saferhub.strategy.numbers import plain
from saferhub.strategy.periods import Period, PeriodType


def _quarter(slug: str) -> Period:
    try:
        return Period.from_slug(slug, PeriodType.QUARTERLY)
    except ValueError:
        raise Http404 from None


def _quarters_so_far(strategy, today: date) -> list[Period]:
    """The strategy's quarters that have ended, newest first."""
    return [q for q in reversed(returns.quarters_of(strategy)) if q.end < today]


def index(request, strategy: str):
    require(request.user, Action.VIEW_STRATEGY)
    found = strategy_for(request.user, strategy)
    today = date.today()
    quarters = _quarters_so_far(found, today)
    owing = returns.agencies_owing(found)
    if not can(request.user, Action.HOLD_TO_ACCOUNT):
        owing = {a: types for a, types in owing.items() if a.id == request.user.agency_id}
    recent = quarters[:4] if can(request.user, Action.HOLD_TO_ACCOUNT) else quarters
    statuses = {
        (r.agency_id, r.quarter_start): r
        for r in scope.visible(request.user, PartnerReturn.objects.filter(strategy=found))
    }
    rows = []
    for agency, period_types in owing.items():
        cells = []
        for quarter in recent:
            if not returns.owes_in(period_types, quarter):
                cells.append(None)
                continue
            found_return = statuses.get((agency.id, quarter.start))
            status = found_return.status if found_return else PartnerReturn.Status.DRAFT
            overdue = status == PartnerReturn.Status.DRAFT and returns.due_date(quarter) < today
            cells.append(
                {
                    "quarter": quarter,
                    "status": status,
                    "overdue": overdue,
                    "label": "Overdue" if overdue else PartnerReturn.Status(status).label,
                }
            )
        rows.append({"agency": agency, "cells": cells})
    return render(
        request,
        "strategy/returns/index.html",
        {
            "strategy": found,
            "quarters": recent,
            "rows": rows,
            "due_days": settings.SAFERHUB_RETURN_DUE_DAYS,
            "may_submit": can(request.user, Action.SUBMIT_RETURNS),
            "may_approve": can(request.user, Action.APPROVE_RETURNS),
        },
    )


def _return_page(request, found, agency: Agency, quarter: Period, form=None, send_back=None):
    partner_return = returns.return_for(found, agency, quarter)
    owed = returns.owed_figures(found, agency, quarter)
    ended = quarter.end < date.today()
    editable = (
        ended
        and returns.may_edit(request.user, partner_return)
        and partner_return.status in returns.EDITABLE
    )
    current = returns.current_values(partner_return)
    if form is None and editable:
        initial = {"version": partner_return.version}
        for figure in owed:
            value = current.get(figure.key)
            suffix = f"{figure.measure.id}_{figure.period.start:%Y%m%d}"
            if value:
                initial[f"value_{suffix}"] = plain(value.value)
                initial[f"comment_{suffix}"] = value.comment
        form = ReturnForm(owed=owed, initial=initial)
    # What others may see of the figures goes through the scope rule.
    visible = scope.visible(request.user, partner_return.values.filter(is_current=True))
    shown = {f"{v.measure_id}:{v.period_start.isoformat()}": v for v in visible}
    for figure in owed:  # written as people read it: 1,234; 48.5%; £1,200
        if value := shown.get(figure.key):
            value.shown = format_value(figure.measure.unit, value.value)
    return render(
        request,
        "strategy/returns/return.html",
        {
            "strategy": found,
            "agency": agency,
            "quarter": quarter,
            "partner_return": partner_return,
            "due": returns.due_date(quarter),
            "form": form if editable else None,
            "figures": [(figure, shown.get(figure.key)) for figure in owed],
            "may_review": can(request.user, Action.APPROVE_RETURNS),
            "ended": ended,
            "opens_on": quarter.end + timedelta(days=1),
            "send_back": send_back or SendBackForm(initial={"version": partner_return.version}),
        },
    )


def _agency_for(request, code: str | None) -> Agency:
    if code is None:
        if request.user.agency is None:
            raise Http404
        return request.user.agency
    return scope.get_visible_or_404(request.user, Agency.objects.all(), code=code)


def detail(request, strategy: str, quarter: str, agency: str | None = None):
    """An agency's return for a quarter: a form for its lead, read-only for everyone else."""
    require(request.user, Action.VIEW_STRATEGY)
    found = strategy_for(request.user, strategy)
    period = _quarter(quarter)
    if period not in returns.quarters_of(found):
        raise Http404
    the_agency = _agency_for(request, agency)
    # Another agency's return is for those who hold partners to account (as the scope
    # rule for returns says); its figures still show only once approved, unless CSP team.
    if the_agency.id != request.user.agency_id and not can(request.user, Action.HOLD_TO_ACCOUNT):
        raise Http404
    if request.method == "POST":
        return _save(request, found, the_agency, period)
    return _return_page(request, found, the_agency, period)


def _save(request, found, agency: Agency, quarter: Period):
    partner_return = returns.return_for(found, agency, quarter)
    if not returns.may_edit(request.user, partner_return):
        require(request.user, Action.SUBMIT_RETURNS)  # 403 for roles that never submit
        raise Http404  # a lead of another agency: not theirs
    if quarter.end >= date.today():
        messages.error(request, f"{quarter.label} has not ended yet: nothing was saved.")
        return redirect(request.path)
    owed = returns.owed_figures(found, agency, quarter)
    form = ReturnForm(request.POST, owed=owed)
    if not form.is_valid():
        return _return_page(request, found, agency, quarter, form=form)
    version = form.cleaned_data["version"]
    try:
        # Saving and submitting stand or fall together: a refused submission saves nothing,
        # and the form shows again with what the user typed.
        with transaction.atomic():
            changed = returns.save_figures(partner_return, request.user, form.figures(), version)
            if "submit" in request.POST:
                partner_return.refresh_from_db()
                returns.submit(partner_return, request.user, partner_return.version)
        if "submit" in request.POST:
            messages.success(request, f"Your return for {quarter.label} has been submitted.")
        else:
            noun = "figure" if changed == 1 else "figures"
            messages.success(request, f"Draft saved: {changed} {noun} changed.")
    except returns.StaleReturn as error:
        messages.error(request, f"{error} The page now shows the latest figures.")
    except returns.ReturnError as error:
        form.add_error(None, str(error))
        return _return_page(request, found, agency, quarter, form=form)
    return redirect(request.path)


def review(request, strategy: str, quarter: str, agency: str):
    """Approve a submitted return, or send it back (or reopen an approved one) with a reason."""
    require(request.user, Action.APPROVE_RETURNS)
    found = strategy_for(request.user, strategy)
    period = _quarter(quarter)
    the_agency = _agency_for(request, agency)
    if request.method != "POST":  # a reload or Back after a refused send-back
        return redirect("return-agency", found.slug, period.code_slug, the_agency.code)
    partner_return = scope.get_visible_or_404(
        request.user,
        PartnerReturn.objects.all(),
        strategy=found,
        agency=the_agency,
        quarter_start=period.start,
    )
    try:
        if request.POST.get("decision") == "approve":
            returns.approve(partner_return, request.user, int(request.POST.get("version", 0)))
            messages.success(request, f"{the_agency.name}'s return for {period.label} is approved.")
        else:
            form = SendBackForm(request.POST)
            if not form.is_valid():
                return _return_page(request, found, the_agency, period, send_back=form)
            returns.send_back(
                partner_return,
                request.user,
                form.cleaned_data["reason"],
                form.cleaned_data["version"],
            )
            messages.success(request, f"{the_agency.name}'s return has been sent back.")
    except returns.ReturnError as error:
        messages.error(request, str(error))
    return redirect("return-agency", found.slug, period.code_slug, the_agency.code)


def approvals(request):
    require(request.user, Action.APPROVE_RETURNS)
    waiting = (
        scope.visible(
            request.user, PartnerReturn.objects.filter(status=PartnerReturn.Status.SUBMITTED)
        )
        .select_related("agency", "strategy", "submitted_by")
        .order_by("submitted_at")
    )
    return render(request, "strategy/returns/approvals.html", {"waiting": waiting})
