"""Forms for meetings, research and safety-plan actions."""

from datetime import date

from django import forms

from saferhub.access.roles import Role
from saferhub.govuk_forms import FUTURE_DATE_EXAMPLE, GovukForm
from saferhub.partnership.models import Agency, User
from saferhub.safeguarding.forms import DATE_FORMATS
from saferhub.safeguarding.models import Meeting

CASE_WORKERS = [
    Role.AGENCY_LEAD,
    Role.AGENCY_REP,
    Role.IDVA,
    Role.POLICE_DA,
    Role.MARAC_COORDINATOR,
]


def _day(label: str, hint: str = FUTURE_DATE_EXAMPLE) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=hint,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date, like 27/3/2027",
        },
    )


def _textarea(label: str, *, required: bool, rows: int = 4, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=hint,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": "Keep it to 5,000 characters or fewer",
        },
    )


class MeetingForm(GovukForm):
    kind = forms.ChoiceField(
        label="Which meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a daily meeting or a monthly MARAC"},
    )
    held_on = _day("Date of the meeting")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on < date.today().replace(year=date.today().year - 1):
            raise forms.ValidationError("Enter a date within the last year or in the future")
        return held_on


class VersionForm(GovukForm):
    """Carries the version the user saw, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class InviteForm(VersionForm):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to invite",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        help_text="They will see the cases on this list and each other's research once "
        "the meeting opens.",
        error_messages={"required": "Choose at least one agency to invite"},
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(partnership=partnership)


class ResearchForm(VersionForm):
    holds_information = forms.TypedChoiceField(
        label="Does your agency hold information on this case?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether your agency holds information on the case"},
    )
    summary = _textarea(
        "What your agency holds",
        required=False,
        rows=6,
        hint="Risks, recent contact, children, anything the meeting needs. Facts, not opinions.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("holds_information") and not cleaned.get("summary", "").strip():
            self.add_error("summary", "Enter what your agency holds on the case")
        return cleaned


class DiscussionForm(VersionForm):
    discussion = _textarea("Discussion", required=False, rows=6)
    heard = forms.BooleanField(
        label="The meeting heard this case",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )


class AgreeActionForm(GovukForm):
    description = _textarea("Action", required=True, rows=3)
    agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the agency that owns the action"},
    )
    officer = forms.ModelChoiceField(
        label="Officer",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not named: the agency chooses",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        help_text="An officer of the owning agency; if not named, the agency's leads are "
        "reminded when it falls overdue.",
    )
    due_on = _day("Due date")

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)
        # Case workers only (not board members or analysts), by agency then name.
        self.fields["officer"].queryset = (
            User.objects.filter(
                agency__partnership=partnership,
                is_active=True,
                role_assignments__role__in=CASE_WORKERS,
            )
            .distinct()
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name")
        )
        self.fields["officer"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.agency.name})"
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < date.today():
            raise forms.ValidationError("Enter a due date that is today or later")
        return due_on

    def clean(self):
        cleaned = super().clean()
        agency, officer = cleaned.get("agency"), cleaned.get("officer")
        if agency and officer and officer.agency_id != agency.pk:
            self.add_error("officer", f"Choose an officer of {agency.name}, or leave it blank")
        return cleaned


class ActionUpdateForm(VersionForm):
    update = _textarea("Update", required=True, rows=4, hint="What has been done.")
    complete = forms.BooleanField(
        label="The action is complete",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )


class AssignIdvaForm(VersionForm):
    idva = forms.ModelChoiceField(
        label="IDVA",
        queryset=User.objects.none(),
        empty_label="Choose the IDVA",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the IDVA"},
    )

    def __init__(self, *args, partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idva"].queryset = User.objects.filter(
            agency__partnership=partnership,
            is_active=True,
            role_assignments__role=Role.IDVA,
        ).distinct()
        self.fields["idva"].label_from_instance = lambda user: user.get_full_name() or str(user)
