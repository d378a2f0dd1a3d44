"""Exporting the case list: the password again first (ASVS 7.5.3), the address only when
the role allows and the user asks."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from saferhub.access.permissions import Action, can, require
from saferhub.governance.reauth import ReauthForm
from saferhub.safeguarding import case_export
from saferhub.safeguarding.models import Referral
from saferhub.strategy import exports


class CaseExportForm(ReauthForm):
    purpose = "referrals.export"

    fmt = forms.ChoiceField(
        label="Format",
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose CSV or Excel"},
    )
    status = forms.ChoiceField(
        label="Cases",
        choices=[("", "Every case you can see"), *Referral.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    include_address = forms.BooleanField(
        label="Include the victims' current addresses (restricted)",
        required=False,
        help_text="Only if you need them: the export is recorded, with whether it held addresses.",
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args, may_see_address: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not may_see_address:
            del self.fields["include_address"]
        # Ask for the password last, after the choices.
        self.order_fields(["fmt", "status", "include_address", "password"])


def export(request):
    require(request.user, Action.VIEW_CASES)
    may_see_address = can(request.user, Action.SEE_RESTRICTED_ADDRESS)
    form = CaseExportForm(
        request.POST or None,
        request=request,
        may_see_address=may_see_address,
        initial={"fmt": "csv"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content, filename = case_export.export(
            request.user,
            data["fmt"],
            data.get("status", ""),
            include_address=data.get("include_address", False),
        )
        response = HttpResponse(content, content_type=exports.FORMATS[data["fmt"]])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Protective-Marking"] = exports.MARKING
        return response
    return render(request, "safeguarding/case_export.html", {"form": form})
