"""Forms for partner returns, actions and measure set-up, with GOV.UK classes and messages."""

from decimal import Decimal

from django import forms

from saferhub.govuk_forms import FUTURE_DATE_EXAMPLE
from saferhub.strategy import derived
from saferhub.strategy.models import Action, Measure, Priority
from saferhub.strategy.numbers import parse_number, plain
from saferhub.strategy.returns import OwedFigure


class FigureField(forms.CharField):
    """A figure as people type it: "1,702", "48.5", "45%" or "£1,200" all read."""

    def __init__(self, *, label: str, **kwargs) -> None:
        super().__init__(label=label, **kwargs)
        self.error_messages["invalid"] = f"Enter {label} as a number, like 1,234 or 12.5"

    def to_python(self, value):
        text = super().to_python(value).strip().rstrip("%").lstrip("£")
        if not text:
            return None
        number = parse_number(text)
        if number is None or not number.is_finite() or abs(number) >= Decimal(10) ** 12:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number.quantize(Decimal("0.01"))


class ReturnForm(forms.Form):
    """One value and one comment per figure the agency owes this quarter."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, owed: list[OwedFigure], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owed = owed
        for figure in owed:
            suffix = f"{figure.measure.id}_{figure.period.start:%Y%m%d}"
            label = f"{figure.measure.name}, {figure.period.label}"
            self.fields[f"value_{suffix}"] = FigureField(
                label=label,
                required=False,
                help_text=f"{figure.measure.get_unit_display()}. {figure.measure.definition}",
                widget=forms.TextInput(
                    attrs={
                        "class": "govuk-input govuk-input--width-10",
                        "inputmode": "decimal",
                        "spellcheck": "false",
                    }
                ),
            )
            self.fields[f"comment_{suffix}"] = forms.CharField(
                label=f"Comment on {label}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 2}),
            )

    def rows(self):
        """(figure, value field, comment field) for the template."""
        for figure in self.owed:
            suffix = f"{figure.measure.id}_{figure.period.start:%Y%m%d}"
            yield figure, self[f"value_{suffix}"], self[f"comment_{suffix}"]

    def clean(self):
        cleaned = super().clean()
        for figure, value_field, _ in self.rows():
            value = cleaned.get(value_field.name)
            if value is not None and (problem := figure.measure.figure_problem(value)):
                self.add_error(value_field.name, f"{value_field.label}: {plain(value)} {problem}")
        return cleaned

    def figures(self) -> dict[str, tuple[Decimal, str]]:
        """The figures entered, by OwedFigure.key; blanks are left out."""
        result = {}
        for figure, value_field, comment_field in self.rows():
            value = self.cleaned_data.get(value_field.name)
            if value is not None:
                result[figure.key] = (value, self.cleaned_data.get(comment_field.name, "").strip())
        return result


class SendBackForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="What must the agency change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": "Enter the reason the agency needs to act on"},
    )


class ProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label="Status now",
        choices=Action.Status.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": "Choose the action's status now"},
    )
    text = forms.CharField(
        label="Progress update",
        max_length=4000,
        help_text="What has been done since the last update, and what happens next.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
        error_messages={"required": "Enter a progress update"},
    )


class _GovukModelForm(forms.ModelForm):
    """Adds GOV.UK classes to the widgets Django picks."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "").lower()
            verb = "Choose" if isinstance(field.widget, forms.Select) else "Enter"
            field.error_messages["required"] = f"{verb} the {label}"
            field.error_messages["invalid_choice"] = f"Choose one of the {label} offered"
            widget = field.widget
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "govuk-textarea")
                widget.attrs.setdefault("rows", 3)
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "govuk-checkboxes__input")
            elif isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "govuk-radios__input")
            else:
                widget.attrs.setdefault("class", "govuk-input")


class ActionForm(_GovukModelForm):
    class Meta:
        model = Action
        fields = ["priority", "title", "owning_agency", "owner", "due_on"]
        labels = {"owning_agency": "Owning agency", "owner": "Owning officer", "due_on": "Due date"}
        help_texts = {"due_on": FUTURE_DATE_EXAMPLE}
        widgets = {"due_on": forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"})}

    def __init__(self, *args, strategy, agencies, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(strategy=strategy)
        self.fields["owning_agency"].queryset = agencies
        self.fields["owner"].queryset = officers
        self.fields["owner"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.agency.name})" if user.agency else user.get_full_name()
        )
        self.fields["due_on"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]

    def clean(self):
        cleaned = super().clean()
        owner, agency = cleaned.get("owner"), cleaned.get("owning_agency")
        if owner and agency and owner.agency_id != agency.id:
            self.add_error("owner", f"{owner.get_full_name()} does not work for {agency.name}")
        return cleaned


class MeasureForm(_GovukModelForm):
    class Meta:
        model = Measure
        fields = [
            "priority",
            "code",
            "name",
            "definition",
            "unit",
            "direction",
            "period_type",
            "reporting_agency",
            "baseline",
            "baseline_label",
            "tolerance_percent",
            "is_headline",
            "source",
            "numerator",
            "denominator",
            "factor",
            "derived_key",
        ]
        labels = {
            "tolerance_percent": "Tolerance (%)",
            "is_headline": "Headline measure (shown on the executive overview)",
            "source": "How is it obtained?",
            "derived_key": "Derived from",
        }
        help_texts = {
            "numerator": "For a formula: numerator / denominator x factor.",
            "factor": "For a formula: 100 for a percentage, 1000 for a rate per 1,000.",
        }

    def __init__(self, *args, strategy, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.instance.strategy = strategy
        self.fields["priority"].queryset = Priority.objects.filter(strategy=strategy)
        self.fields["reporting_agency"].queryset = agencies
        parts = Measure.objects.filter(strategy=strategy).exclude(source=Measure.Source.FORMULA)
        if self.instance.pk:
            parts = parts.exclude(pk=self.instance.pk)
        self.fields["numerator"].queryset = parts
        self.fields["denominator"].queryset = parts
        self.fields["derived_key"] = forms.ChoiceField(
            label="Derived from",
            required=False,
            choices=[("", "Not derived")] + derived.choices(),
            widget=forms.Select(attrs={"class": "govuk-select"}),
        )

    def clean_code(self):
        # Codes are typed in uploads, where case is ignored: keep them lower case.
        code = self.cleaned_data["code"].lower()
        if code == "new":  # measures/new/ is the set-up page's address
            raise forms.ValidationError("The code 'new' is reserved: choose another")
        clash = Measure.objects.filter(strategy=self.strategy, code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Another measure of this strategy has the code {code}")
        return code

    def _post_clean(self):
        # Fields that belong to another source are cleared, so the model's check holds.
        source = self.cleaned_data.get("source")
        if source != Measure.Source.FORMULA:
            self.cleaned_data.update(numerator=None, denominator=None, factor=None)
        if source != Measure.Source.DERIVED:
            self.cleaned_data["derived_key"] = ""
        super()._post_clean()
