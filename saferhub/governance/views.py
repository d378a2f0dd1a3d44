"""Subject access and erasure pages. Each asks can() first, then reaches the person through
subjects.py (the whole partnership, by design), then calls the services.

Names and dates of birth travel only in POSTs, never in an address. The person chosen
travels as an id in the query string (?person=ID), not in the path: a request starts from
the search, and an address without one answers 404.
"""

from django.db.models import Count, Max, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from saferhub.access.permissions import Action, can, require
from saferhub.audit.services import record
from saferhub.governance import erasure, subject_access, subjects
from saferhub.governance.forms import (
    PERPETRATOR,
    VICTIM,
    EraseForm,
    FindForm,
    PerpetratorRequestForm,
    PersonRequestForm,
)
from saferhub.partnership.models import Agency
from saferhub.safeguarding.models import Referral


def _attachment(made: subject_access.Produced) -> HttpResponse:
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["X-Protective-Marking"] = subject_access.MARKING
    response["Cache-Control"] = "no-store, private"
    return response


def find(request):
    """Find the person a request is about, by name and date of birth.

    The search is a POST, so that no name or date of birth is ever in an address (browser
    history, a proxy's log); a perpetrator's search leads straight to their page.
    """
    require(request.user, Action.SUBJECT_ACCESS)
    subjects.partnership_id(request.user)
    kind = PERPETRATOR if request.GET.get("kind") == PERPETRATOR else VICTIM
    form = FindForm(request.POST or None, initial={"kind": kind})
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == PERPETRATOR:
            return _perpetrator_page(request, data, bound=False)
        found = list(
            subjects.find_people(
                request.user, data["given_name"], data["family_name"], data["date_of_birth"]
            )
        )
        # What was searched for is personal data: only the count is logged.
        record(request.user, "subject_access.searched", None, kind=VICTIM, results=len(found))
    return render(
        request,
        "governance/find.html",
        {"form": form, "found": found, "may_erase": can(request.user, Action.ERASE)},
    )


def _summary(person) -> dict:
    return Referral.objects.filter(victim=person).aggregate(
        count=Count("pk"), first=Min("referred_on"), last=Max("referred_on")
    )


def person(request):
    """A victim's subject access copy: the person, then the password again; the ZIP."""
    require(request.user, Action.SUBJECT_ACCESS)
    subject = subjects.person_or_404(request.user, request.GET.get("person"))
    form = PersonRequestForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        return _attachment(subject_access.produce_for_person(request.user, subject))
    if request.method != "POST":
        record(request.user, "person.viewed", subject, purpose="subject_access")
    return render(
        request,
        "governance/person.html",
        {
            "person": subject,
            "reference": subject_access.person_reference(subject.pk),
            "summary": _summary(subject),
            "form": form,
            "may_erase": can(request.user, Action.ERASE),
        },
    )


def perpetrator(request):
    """An alleged perpetrator's copy: the identity and the referrals chosen come in the
    POST (never the address); the ZIP."""
    require(request.user, Action.SUBJECT_ACCESS)
    if request.method != "POST":
        return redirect(f"{reverse('subject-access')}?kind={PERPETRATOR}")
    identity = FindForm({**request.POST.dict(), "kind": PERPETRATOR})
    if not identity.is_valid():
        return redirect(f"{reverse('subject-access')}?kind={PERPETRATOR}")
    return _perpetrator_page(request, identity.cleaned_data, bound=True)


def _perpetrator_page(request, identity: dict, bound: bool):
    given, family = identity["given_name"], identity["family_name"]
    dob = identity["date_of_birth"]
    named = subjects.perpetrator_rows(request.user, given, family, dob)
    sectors = dict(Agency.MaracSector.choices)
    choices = [
        (
            row.pk,
            f"{row.referral.referred_on:%-d %B %Y}, by an agency in the "
            f"{sectors.get(row.referral.marac_sector, 'other')} sector"
            + ("" if row.date_of_birth else ": no date of birth recorded"),
        )
        for row in named.matched + named.no_date_of_birth
    ]
    form = PerpetratorRequestForm(
        request.POST if bound else None,
        request=request,
        choices=choices,
        initial={"rows": [row.pk for row in named.matched]},
    )
    form.fields["rows"].required = bool(choices)
    if not bound:
        record(
            request.user, "subject_access.searched", None, kind=PERPETRATOR, results=len(choices)
        )
    elif form.is_valid():
        rows = named.chosen(set(form.cleaned_data["rows"]))
        made = subject_access.produce_for_perpetrator(
            request.user, request.user.agency.partnership, (given, family, dob), rows
        )
        return _attachment(made)
    return render(
        request,
        "governance/perpetrator.html",
        {
            "identity": identity,
            "dob_typed": f"{dob:%d/%m/%Y}",
            "named": named,
            "form": form,
        },
    )


def erase(request):
    """Erase a person on request: what will go, a reason, the password again; the checks."""
    require(request.user, Action.ERASE)
    subject = subjects.person_or_404(request.user, request.GET.get("person"))
    form = EraseForm(request.POST or None, request=request)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            done = erasure.erase(
                request.user, subject, form.cleaned_data["reason"], form.cleaned_data["reference"]
            )
        except erasure.ErasureRefused as problem:
            refused = str(problem)
        else:
            return render(request, "governance/erased.html", {"done": done})
    if request.method != "POST":
        record(request.user, "person.viewed", subject, purpose="erasure")
    return render(
        request,
        "governance/erase.html",
        {
            "person": subject,
            "reference": subject_access.person_reference(subject.pk),
            "plan": erasure.preview(subject),
            "form": form,
            "refused": refused,
        },
    )
