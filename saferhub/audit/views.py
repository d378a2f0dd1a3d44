"""The audit log for CSP administrators: search it, and see who has viewed a person.

Both pages are for Action.VIEW_AUDIT_LOG (CSP administrators only) and show their own
partnership only. Reading the log is itself logged.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from saferhub.access.permissions import Action, require
from saferhub.audit import queries, sentences
from saferhub.audit.forms import SearchForm
from saferhub.audit.services import record
from saferhub.safeguarding.models import Person

PER_PAGE = 50


def _partnership_id(user) -> int:
    if user.agency_id is None:  # a hand-made superuser: no partnership, no log
        raise PermissionDenied
    return user.agency.partnership_id


def search(request):
    require(request.user, Action.VIEW_AUDIT_LOG)
    partnership_id = _partnership_id(request.user)
    form = SearchForm(request.GET or None, partnership_id=partnership_id)
    context = {"form": form, "page": None}
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else queries.Filters()
        found = queries.search(partnership_id, filters)
        page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
        # Read the page before recording the search, which would otherwise be on it.
        entries = [_entry(event) for event in page.object_list]
        record(
            request.user,
            "audit.searched",
            request.user.agency.partnership,
            filters=filters.as_data(),
            page=page.number,
        )
        context |= {
            "page": page,
            "entries": entries,
            "searched": bool(filters.as_data()),
        }
    return render(request, "audit/log.html", context)


@dataclass(frozen=True)
class Entry:
    """One entry as the pages show it (the log holds identifiers only)."""

    pk: int
    at: datetime
    username: str
    full_name: str
    agency_code: str
    verb: str
    what: str
    target_type: str
    target_id: str
    case: str
    data: str


def _entry(event) -> Entry:
    actor = event.actor
    return Entry(
        pk=event.pk,
        at=event.at,
        username=actor.username if actor else "",
        full_name=actor.get_full_name() if actor else "",
        agency_code=event.agency_code,
        verb=event.verb,
        what=sentences.sentence(event),
        target_type=event.target_type,
        target_id=event.target_id,
        case=sentences.case_reference(event),
        data=_details(event.data),
    )


LIST_SHOWN = 10


def _details(data) -> str:
    """The entry's data as JSON, each long list of ids cut to its first ten and a count:
    an export of thousands of cases would otherwise fill the page with numbers."""
    if not isinstance(data, dict):
        return json.dumps(data)
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and len(value) > LIST_SHOWN:
            shown = ", ".join(json.dumps(item) for item in value[:LIST_SHOWN])
            text = f"[{shown}, … {len(value) - LIST_SHOWN:,} more: {len(value):,} in all]"
        else:
            text = json.dumps(value)
        parts.append(f"{json.dumps(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


def person(request, pk: int):
    """Who has viewed this person: a choice of ours, administrators see the person's name
    here (they administer the log and answer the person's questions about it)."""
    require(request.user, Action.VIEW_AUDIT_LOG)
    # The log's administrators look up any person of their own partnership, not only the
    # people of cases their agency works on; another partnership's answer 404 as missing.
    found = get_object_or_404(Person, pk=pk, partnership_id=_partnership_id(request.user))
    entries = [_entry(event) for event in queries.viewers_of(found)]
    record(request.user, "person.viewers_viewed", found, entries=len(entries))
    return render(
        request,
        "audit/person.html",
        {"person": found, "entries": entries, "referrals": found.referrals.count()},
    )
