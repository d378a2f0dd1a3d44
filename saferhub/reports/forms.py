"""The highlight form, with GOV.UK classes and messages."""

from datetime import date

from django import forms

from saferhub.govuk_forms import GovukErrorsMixin
from saferhub.reports.highlights import Draft

TEXT_LIMIT = 4000
FORMATTING_HINT = (
    "A few short paragraphs: what was done, for whom, and what difference it made. "
    "Leave a blank line between paragraphs. Start a line with a dash and a space (- ) "
    "for a bullet point, and put **two asterisks** around words to make them bold."
)


class PriorityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.title}"


class HighlightForm(GovukErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    priority = PriorityChoice(
        queryset=None,
        label="Priority",
        empty_label="Choose a priority",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the priority the highlight is about"},
    )
    agency = forms.ModelChoiceField(
        queryset=None,
        label="Agency",
        empty_label=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Choose the agency the highlight is from"},
    )
    written_on = forms.DateField(
        label="Date",
        help_text="The day the progress is reported as of. For example, 31/3/2024",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"class": "govuk-input govuk-input--width-10"}
        ),
        error_messages={
            "required": "Enter the date of the highlight",
            "invalid": "Enter the date as a day, month and year, like 31/3/2024",
        },
    )
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "Keep the title to 150 characters or fewer"},
    )
    text = forms.CharField(
        label="Highlight",
        max_length=TEXT_LIMIT,
        help_text=FORMATTING_HINT,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 10}),
        error_messages={
            "required": "Enter the highlight",
            "max_length": f"Keep the highlight to {TEXT_LIMIT:,} characters or fewer",
        },
    )

    def __init__(self, *args, priorities, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities
        self.fields["agency"].queryset = agencies

    def clean(self):
        cleaned = super().clean()
        priority, day = cleaned.get("priority"), cleaned.get("written_on")
        if priority and day:
            strategy = priority.strategy
            if not strategy.starts_on <= day <= strategy.ends_on:
                self.add_error(
                    "written_on",
                    f"Enter a date within {strategy.title}, {strategy.starts_on:%-d %B %Y} to "
                    f"{strategy.ends_on:%-d %B %Y}: a report of that strategy shows only those",
                )
            elif day > date.today():
                self.add_error("written_on", "Enter today's date or an earlier one")
        return cleaned

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter the highlight")
        return text

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            data["priority"], data["agency"], data["written_on"], data["title"], data["text"]
        )
