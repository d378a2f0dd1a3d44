"""Referring a victim, the referrals list and the case page. Views only ask and render."""

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from saferhub.access import scope
from saferhub.access.permissions import Action, can, require
from saferhub.access.roles import Role
from saferhub.audit.services import record
from saferhub.capped_paginator import CappedPaginator
from saferhub.safeguarding import breakglass, dash, people, referrals, safety_plans
from saferhub.safeguarding.forms import ReferralForm, parse_date
from saferhub.safeguarding.lookups import referral_for
from saferhub.safeguarding.meeting_forms import AssignIdvaForm
from saferhub.safeguarding.models import Person, Referral
from saferhub.safeguarding.referrals import refer

PER_PAGE = 50


def create(request):
    require(request.user, Action.REFER)
    visible_people = scope.visible(request.user, Person.objects.all())
    form = ReferralForm(request.POST or None, people=visible_people)
    matches = []
    if request.method == "POST":
        if "check" in request.POST:
            form.without_errors()
        elif form.is_valid():
            referral = refer(request.user, form.entered())
            return redirect("referral-confirmation", referral.pk)
        matches = _matches(request.user, request.POST)
    return render(
        request,
        "safeguarding/referral_form.html",
        {
            "form": form,
            "matches": matches,
            "searched": request.method == "POST",
            "chosen": request.POST.get("person", ""),
        },
    )


def similar_people(request):
    """The matches fragment the referral form asks for as the referrer types (htmx)."""
    require(request.user, Action.REFER)
    return render(
        request,
        "safeguarding/_matches.html",
        {"matches": _matches(request.user, request.GET), "searched": True, "chosen": ""},
    )


def _matches(user, data) -> list[people.Match]:
    return people.find_similar(
        user,
        data.get("given_name", ""),
        data.get("family_name", ""),
        parse_date(data.get("date_of_birth", "")),
        data.get("postcode", ""),
    )


def confirmation(request, pk: int):
    require(request.user, Action.VIEW_CASES)
    referral = referral_for(request.user, pk)
    return render(
        request,
        "safeguarding/confirmation.html",
        {"referral": referral, "reasons": referral.reasons()},
    )


def index(request):
    require(request.user, Action.VIEW_CASES)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    listed = scope.visible(request.user, Referral.objects.all())
    is_idva = request.user.has_role(Role.IDVA)
    mine = is_idva and request.GET.get("mine") == "1"
    if mine:
        listed = listed.filter(idva=request.user)
    if status in Referral.Status.values:
        listed = listed.filter(status=status)
    if query:
        listed = referrals.matching(listed, query)
    listed = listed.select_related("victim", "referring_agency").order_by("-referred_on", "-id")
    page = CappedPaginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    if query:
        # Searching is consultation too (s62): who was shown, never what was typed.
        record(
            request.user,
            "referral.searched",
            None,
            results=page.paginator.count,
            referrals=[referral.pk for referral in page],
        )
    return render(
        request,
        "safeguarding/referrals.html",
        {
            "page": page,
            "referrals": page.object_list,
            "status": status,
            "query": query,
            "statuses": Referral.Status.choices,
            "is_idva": is_idva,
            "mine": mine,
            "may_refer": can(request.user, Action.REFER),
        },
    )


def detail(request, pk: int):
    require(request.user, Action.VIEW_CASES)
    referral = referral_for(request.user, pk)
    may_see_address = can(request.user, Action.SEE_RESTRICTED_ADDRESS)
    # Consultation of a case record is logged (DPA 2018 s62): who, when, which case.
    record(request.user, "referral.viewed", referral, address_shown=may_see_address)
    assign_form = None
    if can(request.user, Action.MANAGE_REFERRALS) and referral.is_marac_case:
        assign_form = AssignIdvaForm(
            initial={"version": referral.version, "idva": referral.idva_id},
            partnership=referral.partnership_id,
        )
    return render(
        request,
        "safeguarding/referral.html",
        {
            "referral": referral,
            "reasons": referral.reasons(),
            "answers": referral.dash_answers.all(),
            "answer_labels": dict(dash.ANSWERS),
            "perpetrators": referral.perpetrators.all(),
            "may_see_address": may_see_address,
            # Every meeting that listed the case, and the whole safety plan: whoever may
            # see the case sees its plan (the IDVA, the agencies invited, the owners).
            "listings": referral.listings.select_related("meeting").order_by("meeting__held_on"),
            "actions": safety_plans.plan_for(referral),
            "today": date.today(),
            "assign_form": assign_form,
            "break_glass": breakglass.active_for(request.user).filter(referral=referral).first(),
        },
    )


@require_POST
def assign_idva(request, pk: int):
    require(request.user, Action.MANAGE_REFERRALS)
    referral = referral_for(request.user, pk)
    form = AssignIdvaForm(request.POST, partnership=referral.partnership_id)
    if form.is_valid():
        try:
            referrals.assign_idva(
                request.user, referral, form.cleaned_data["idva"], form.cleaned_data["version"]
            )
        except referrals.StaleReferral as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, f"{referral.idva.get_full_name()} is now the case's IDVA.")
    else:
        messages.error(request, "Choose the IDVA.")
    return redirect("referral", referral.pk)
