"""The referral form, with GOV.UK classes and messages that name what to fix."""

from datetime import date, datetime

from django import forms
from django.urls import reverse_lazy

from saferhub.govuk_forms import GovukErrorsMixin
from saferhub.safeguarding import dash
from saferhub.safeguarding.models import (
    AnswerSource,
    Ethnicity,
    Gender,
    Perpetrator,
    Person,
    Referral,
    YesNoNotKnown,
)
from saferhub.safeguarding.referrals import NewReferral

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]
YES_NO = [("yes", "Yes"), ("no", "No")]


def parse_date(text: str) -> date | None:
    """A date as people type it (31/1/1990), or None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


def _text(label: str, *, required: bool = True, width: str = "", **attrs) -> forms.CharField:
    css = "govuk-input" + (f" govuk-input--width-{width}" if width else "")
    return forms.CharField(
        label=label,
        required=required,
        max_length=100,
        widget=forms.TextInput(attrs={"class": css, "spellcheck": "false", **attrs}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _date(label: str, noun: str, **attrs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 27/3/1990. Leave blank if not known.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", **attrs}),
        error_messages={"invalid": f"Enter {noun} as a real date, like 27/3/1990"},
    )


def _choice(label: str, choices, message: str, *, radios: bool = True) -> forms.ChoiceField:
    widget = forms.RadioSelect if radios else forms.Select(attrs={"class": "govuk-select"})
    return forms.ChoiceField(
        label=label,
        choices=choices if radios else [("", "Choose"), *choices],
        widget=widget,
        error_messages={"required": message, "invalid_choice": message},
    )


def _count(label: str, message: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=99,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),
        error_messages={
            "required": message,
            "invalid": f"{label} must be a whole number, like 2",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 99 or fewer",
        },
    )


_SEARCH = {
    "hx-get": reverse_lazy("people-similar"),
    "hx-trigger": "keyup changed delay:400ms, change",  # change: pasted or filled in
    "hx-target": "#person-matches",
    "hx-include": "#victim-details",
}


class ReferralForm(GovukErrorsMixin, forms.Form):
    # -- the victim --
    given_name = _text("Given name", width="20", **_SEARCH)
    family_name = _text("Family name", width="20", **_SEARCH)
    date_of_birth = _date("Date of birth", "the victim's date of birth", **_SEARCH)
    postcode = _text("Postcode", required=False, width="10", **_SEARCH)
    gender = _choice("Gender", Gender.choices, "Choose the victim's gender, or not known")
    ethnicity = _choice(
        "Ethnicity", Ethnicity.choices, "Choose the victim's ethnicity, or not known", radios=False
    )
    lgbt = _choice("LGBT+", YesNoNotKnown.choices, "Choose whether the victim is LGBT+")
    disabled = _choice("Disabled", YesNoNotKnown.choices, "Choose whether the victim is disabled")
    current_address = forms.CharField(
        label="Current address",
        required=False,
        max_length=500,
        help_text="Restricted: shown only to the IDVA, the MARAC coordinator and police "
        "domestic abuse officers, never on lists.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose a person from the list offered, or none"},
    )
    # -- the alleged perpetrators (the first is required, a second optional) --
    p1_given_name = _text("Perpetrator's given name", width="20")
    p1_family_name = _text("Perpetrator's family name", width="20")
    p1_date_of_birth = _date("Perpetrator's date of birth", "the perpetrator's date of birth")
    p1_gender = _choice("Perpetrator's gender", Gender.choices, "Choose the perpetrator's gender")
    p2_given_name = _text("Second perpetrator's given name", required=False, width="20")
    p2_family_name = _text("Second perpetrator's family name", required=False, width="20")
    p2_date_of_birth = _date(
        "Second perpetrator's date of birth", "the second perpetrator's date of birth"
    )
    p2_gender = forms.ChoiceField(
        label="Second perpetrator's gender",
        required=False,
        choices=[("", "Choose"), *Gender.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    # -- the household and the referral --
    children_in_household = _count(
        "Children in the household", "Enter the number of children in the household, or 0"
    )
    police_incidents = _count(
        "Police incidents in the last 12 months",
        "Enter the number of police incidents in the last 12 months, or 0",
        "Domestic abuse incidents reported to the police, whoever reported them.",
    )
    # -- consent --
    victim_informed = _choice(
        "Does the victim know about this referral?", YES_NO, "Choose whether the victim knows"
    )
    victim_consented = _choice(
        "Did the victim consent to their information being shared?",
        YES_NO,
        "Choose whether the victim consented to sharing",
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing without consent (only if the victim did not consent)",
        required=False,
        choices=Referral.LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a lawful basis from the list"},
    )
    sharing_reason = forms.CharField(
        label="Why share without consent?",
        help_text="Only if the victim did not consent.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    )
    # -- the DASH checklist --
    dash_source = _choice(
        "Who gave the answers?", AnswerSource.choices, "Choose who gave the checklist's answers"
    )
    professional_judgement = _choice(
        "Are you referring on professional judgement?",
        YES_NO,
        "Choose whether you are referring on professional judgement",
    )
    judgement_reason = forms.CharField(
        label="Your reasons for professional judgement",
        required=False,
        max_length=4000,
        help_text="Only if you are referring on professional judgement: what makes you judge "
        "the risk to be high.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
    )

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        for number, question in enumerate(dash.QUESTIONS, start=1):
            self.fields[f"q{number}"] = _choice(
                f"{number}. {question}",
                dash.ANSWERS,
                f"Answer question {number}: yes, no or not known",
            )

    def questions(self):
        return [self[f"q{number}"] for number in range(1, len(dash.QUESTIONS) + 1)]

    def without_errors(self) -> "ReferralForm":
        """The form as typed, with no errors shown (for "Check for existing people")."""
        self.full_clean()
        self._errors = forms.utils.ErrorDict()
        for field in self.fields.values():
            classes = field.widget.attrs.get("class", "").split()
            field.widget.attrs["class"] = " ".join(c for c in classes if not c.endswith("--error"))
        return self

    def clean_date_of_birth(self):
        return self._in_the_past("date_of_birth", "The victim's date of birth")

    def clean_p1_date_of_birth(self):
        return self._in_the_past("p1_date_of_birth", "The perpetrator's date of birth")

    def clean_p2_date_of_birth(self):
        return self._in_the_past("p2_date_of_birth", "The second perpetrator's date of birth")

    def _in_the_past(self, name: str, label: str):
        value = self.cleaned_data.get(name)
        if value and value >= date.today():
            raise forms.ValidationError(f"{label} must be in the past")
        if value and value.year < 1900:
            raise forms.ValidationError(f"{label} must be after 1900")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("victim_consented") == "no":
            if not cleaned.get("lawful_basis"):
                self.add_error(
                    "lawful_basis", "Choose the lawful basis for sharing without consent"
                )
            if not cleaned.get("sharing_reason", "").strip():
                self.add_error("sharing_reason", "Enter why you are sharing without consent")
        if (
            cleaned.get("professional_judgement") == "yes"
            and not cleaned.get("judgement_reason", "").strip()
        ):
            self.add_error("judgement_reason", "Enter the reasons for your professional judgement")
        second = [cleaned.get(f"p2_{name}") for name in ("given_name", "family_name", "gender")]
        if any(second) or cleaned.get("p2_date_of_birth"):
            if not cleaned.get("p2_given_name"):
                self.add_error("p2_given_name", "Enter the second perpetrator's given name")
            if not cleaned.get("p2_family_name"):
                self.add_error("p2_family_name", "Enter the second perpetrator's family name")
            if not cleaned.get("p2_gender"):
                self.add_error("p2_gender", "Choose the second perpetrator's gender")
        return cleaned

    def entered(self) -> NewReferral:
        """What was entered, as the referrals service takes it."""
        data = self.cleaned_data
        victim = data["person"] or Person(
            given_name=data["given_name"].strip(),
            family_name=data["family_name"].strip(),
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"].strip().upper(),
            gender=data["gender"],
            ethnicity=data["ethnicity"],
            lgbt=data["lgbt"],
            disabled=data["disabled"],
        )
        perpetrators = [
            Perpetrator(
                given_name=data[f"{p}_given_name"].strip(),
                family_name=data[f"{p}_family_name"].strip(),
                date_of_birth=data[f"{p}_date_of_birth"],
                gender=data[f"{p}_gender"],
            )
            for p in ("p1", "p2")
            if data.get(f"{p}_given_name")
        ]
        return NewReferral(
            victim=victim,
            perpetrators=perpetrators,
            answers={n: data[f"q{n}"] for n in range(1, len(dash.QUESTIONS) + 1)},
            dash_source=data["dash_source"],
            children_in_household=data["children_in_household"],
            victim_informed=data["victim_informed"] == "yes",
            victim_consented=data["victim_consented"] == "yes",
            lawful_basis=data["lawful_basis"],
            sharing_reason=data["sharing_reason"].strip(),
            police_incidents=data["police_incidents"],
            professional_judgement=data["professional_judgement"] == "yes",
            judgement_reason=data["judgement_reason"].strip(),
            current_address=data["current_address"].strip(),
            victim_known={
                name: data[name]
                for name in ("gender", "ethnicity", "lgbt", "disabled", "date_of_birth")
            }
            if data["person"]
            else {},
        )
