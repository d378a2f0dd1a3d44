"""The governance forms: finding a person, and the requests, each behind a second password
check (reauth.ReauthForm)."""

import re

from django import forms

from saferhub.governance.erasure import REASONS
from saferhub.governance.reauth import ReauthForm
from saferhub.govuk_forms import GovukForm
from saferhub.safeguarding.forms import DATE_FORMATS

VICTIM, PERPETRATOR = "victim", "perpetrator"


FOR_PERPETRATORS = "Needed for the request of someone who may be named as an alleged perpetrator"


def _name(label: str, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=100,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}
        ),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _dob(required: bool, help_text: str = "For example, 27/3/1990") -> forms.DateField:
    return forms.DateField(
        label="Date of birth",
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": "Enter their date of birth",
            "invalid": "Enter the date of birth as a real date, like 27/3/1990",
        },
    )


class FindForm(GovukForm):
    """Who is asking, and what identifies them."""

    kind = forms.ChoiceField(
        label="Who is the request about?",
        choices=[
            (VICTIM, "A person recorded as a victim (their own records)"),
            (PERPETRATOR, "Someone who may be named as an alleged perpetrator"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the request is about"},
    )
    # Needed for an alleged perpetrator's request, optional for a victim's: the hints say so.
    given_name = _name("Given name", required=False, help_text=FOR_PERPETRATORS)
    family_name = _name("Family name", required=True)
    date_of_birth = _dob(required=False, help_text=f"For example, 27/3/1990. {FOR_PERPETRATORS}")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PERPETRATOR:
            if not cleaned.get("given_name"):
                self.add_error("given_name", "Enter their given name")
            if not cleaned.get("date_of_birth") and "date_of_birth" not in self.errors:
                self.add_error(
                    "date_of_birth",
                    "Enter their date of birth: a perpetrator's request is matched on name "
                    "and date of birth",
                )
        return cleaned


class IdentityCheckedForm(ReauthForm):
    identity_checked = forms.BooleanField(
        label="I have checked the requester's identity, and that this is the person",
        error_messages={"required": "Confirm that you have checked the requester's identity"},
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )


class PersonRequestForm(IdentityCheckedForm):
    purpose = "subject_access"


class PerpetratorRequestForm(IdentityCheckedForm):
    purpose = "subject_access"

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rows"] = forms.TypedMultipleChoiceField(
            label="The referrals that name them",
            choices=choices,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one referral that names them"},
        )
        self.order_fields(["rows", "identity_checked", "password"])


class EraseForm(ReauthForm):
    purpose = "erasure"

    reason = forms.ChoiceField(
        label="Why are they being erased?",
        choices=REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why they are being erased"},
    )
    reference = forms.CharField(
        label="Information governance reference",
        required=False,
        max_length=40,
        help_text="The request's reference in your information governance records, for "
        "example IG-2025-0142. Not a name: it goes into the audit log.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    understood = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    field_order = ["reason", "reference", "understood", "password"]

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        # Letters, digits and separators, with a digit: a case reference, not a name.
        if reference and not (
            re.fullmatch(r"[A-Za-z0-9/_.\-]+", reference) and re.search(r"\d", reference)
        ):
            raise forms.ValidationError(
                "Enter the reference as letters and numbers without spaces, like IG-2025-0142"
            )
        return reference
