"""Break-glass: the emergency form, and the administrators' report of every access."""

from django import forms
from django.shortcuts import redirect, render

from saferhub.access.permissions import Action, require
from saferhub.govuk_forms import GovukForm
from saferhub.safeguarding import breakglass
from saferhub.safeguarding.models import BreakGlassAccess


class BreakGlassForm(GovukForm):
    reference = forms.CharField(
        label="Case reference",
        max_length=12,
        help_text="For example, R000123.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the case reference"},
    )
    reason = forms.CharField(
        label="Why you need to see this case now",
        max_length=2000,
        help_text="Your reason is recorded, shown to the MARAC coordinator and the agency "
        "that referred the case, and reviewed.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter why you need to see this case now"},
    )


def open_case(request):
    require(request.user, Action.BREAK_GLASS)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access = breakglass.open_case(
                request.user, form.cleaned_data["reference"], form.cleaned_data["reason"]
            )
        except breakglass.BreakGlassError as problem:
            form.add_error(problem.field, str(problem))
        else:
            return redirect("referral", access.referral_id)
    return render(
        request, "safeguarding/break_glass.html", {"form": form, "hours": breakglass.HOURS}
    )


def report(request):
    require(request.user, Action.REVIEW_BREAK_GLASS)
    accesses = (
        BreakGlassAccess.objects.filter(referral__partnership_id=request.user.agency.partnership_id)
        .select_related("user__agency", "referral__referring_agency")
        .order_by("-opened_at")[:500]
    )
    return render(request, "safeguarding/break_glass_report.html", {"accesses": accesses})
