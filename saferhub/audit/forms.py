"""The audit log search form: a date range (UTC days), a user, an agency, a verb, a target."""

from django import forms

from saferhub.audit import queries
from saferhub.govuk_forms import GovukForm
from saferhub.partnership.models import Agency, User

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]
INPUT = "govuk-input"
SELECT = "govuk-select"


def _day(label: str, noun: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text="A day in UTC, for example 1/4/2025",
        widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-10"}),
        error_messages={"invalid": f"Enter {noun} as a real date, like 1/4/2025"},
    )


def _choices(values, any_label: str) -> list[tuple[str, str]]:
    return [("", any_label), *values]


class SearchForm(GovukForm):
    start = _day("From", "the first day")
    end = _day("To", "the last day")
    user = forms.CharField(
        label="Username",
        required=False,
        max_length=150,
        widget=forms.TextInput(
            attrs={"class": f"{INPUT} govuk-input--width-20", "spellcheck": "false"}
        ),
    )
    agency = forms.ChoiceField(label="Agency", required=False)
    verb = forms.ChoiceField(label="What was done", required=False)
    target_type = forms.ChoiceField(label="Record type", required=False)
    target_id = forms.CharField(
        label="Record id",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": f"{INPUT} govuk-input--width-10"}),
    )

    def __init__(self, *args, partnership_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partnership_id = partnership_id
        agencies = Agency.objects.filter(partnership_id=partnership_id).order_by("name")
        self.fields["agency"].choices = _choices(
            [(agency.code, f"{agency.name} ({agency.code})") for agency in agencies],
            "Any agency",
        )
        self.fields["verb"].choices = _choices(
            [(verb, verb) for verb in queries.verbs_present()], "Anything"
        )
        self.fields["target_type"].choices = _choices(
            [(kind, kind) for kind in queries.target_types_present()], "Any record"
        )
        for name in ("agency", "verb", "target_type"):
            self.fields[name].widget.attrs["class"] = SELECT
            self.fields[name].error_messages["invalid_choice"] = "Choose one of the options"

    def clean_user(self) -> User | None:
        username = self.cleaned_data["user"].strip()
        if not username:
            return None
        user = User.objects.filter(
            agency__partnership_id=self.partnership_id, username=username
        ).first()
        if user is None:
            raise forms.ValidationError("There is no user with this username in the partnership")
        return user

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day must be the same as or after the first day")
        if cleaned.get("target_id") and not cleaned.get("target_type"):
            self.add_error("target_type", "Choose the record type for the record id")
        return cleaned

    def filters(self) -> queries.Filters:
        data = self.cleaned_data
        return queries.Filters(
            start=data["start"],
            end=data["end"],
            actor_id=data["user"].pk if data["user"] else None,
            agency_code=data["agency"],
            verb=data["verb"],
            target_type=data["target_type"],
            target_id=data["target_id"].strip(),
        )
