"""The SafeLives MARAC return on the web: the page (a date range and the figures) and its
downloads. Counts only; the dates travel in the query string, nothing else does."""

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from saferhub.access import scope
from saferhub.access.permissions import Action, require
from saferhub.audit.services import record
from saferhub.safeguarding import marac_return
from saferhub.safeguarding.forms import DATE_FORMATS
from saferhub.safeguarding.models import Referral

DOWNLOADS = ("csv", "xlsx", "json")


def _day(label: str, noun: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text="For example, 1/1/2023",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"Enter {noun} as a real date, like 1/1/2023",
        },
    )


class ReturnForm(forms.Form):
    """From and to: named as in the JSON and the command (`from` is a Python keyword, so
    the fields are added by name)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = _day("From", "the first day of the return")
        self.fields["to"] = _day("To", "the last day of the return")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "The last day must be the same as or after the first day")
        return cleaned


def _form(request) -> ReturnForm:
    """The dates asked for; by default the last complete calendar quarter."""
    if "from" in request.GET or "to" in request.GET:
        return ReturnForm(request.GET)
    start, end = marac_return.last_complete_quarter(timezone.localdate())
    return ReturnForm({"from": f"{start:%-d/%-m/%Y}", "to": f"{end:%-d/%-m/%Y}"})


def _require(user) -> None:
    require(user, Action.PRODUCE_MARAC_RETURN)
    if user.agency_id is None:  # the return is the user's partnership's
        raise PermissionDenied


def _range(form: ReturnForm) -> dict[str, str]:
    return {
        "from": form.cleaned_data["from"].isoformat(),
        "to": form.cleaned_data["to"].isoformat(),
    }


def page(request):
    _require(request.user)
    form = _form(request)
    context = {"form": form, "found": None}
    if form.is_valid():
        partnership = request.user.agency.partnership
        start: date = form.cleaned_data["from"]
        end: date = form.cleaned_data["to"]
        found = marac_return.build(
            partnership, start, end, scope.countable(request.user, Referral.objects.all())
        )
        record(request.user, "marac_return.viewed", partnership, **_range(form))
        query = urlencode(_range(form))
        context |= {
            "found": found,
            "groups": marac_return.groups(found),
            "downloads": [
                (fmt, f"{reverse('marac-return-export', args=[fmt])}?{query}") for fmt in DOWNLOADS
            ],
        }
    return render(request, "safeguarding/marac_return.html", context)


def download(request, fmt: str):
    _require(request.user)
    if fmt not in DOWNLOADS:
        raise Http404
    form = ReturnForm(request.GET)
    if not form.is_valid():
        # Back to the page, which names what is wrong with the dates.
        dates = {key: request.GET[key] for key in ("from", "to") if key in request.GET}
        return redirect(f"{reverse('marac-return')}?{urlencode(dates)}")
    made = marac_return.export(
        request.user,
        request.user.agency.partnership,
        form.cleaned_data["from"],
        form.cleaned_data["to"],
        fmt,
        scope.countable(request.user, Referral.objects.all()),
    )
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    # The JSON has no room for the marking (its keys are SafeLives'): the header and the
    # file name carry it, as they do for every format.
    response["X-Protective-Marking"] = marac_return.MARKING
    response["Cache-Control"] = "no-store, private"
    return response
