"""GOV.UK Frontend's error styling for Django forms: one base class for every form."""

from datetime import date, timedelta

from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy


def _a_month_ahead() -> str:
    day = date.today() + timedelta(days=30)
    return f"{day.day}/{day.month}/{day.year}"


# A future date's example in a hint ("For example, 27/12/2026."): a month from the day the
# page is shown, never a date already past. Lazy: fields are built when the module loads.
FUTURE_DATE_EXAMPLE = format_lazy("For example, {}.", lazy(_a_month_ahead, str)())


class GovukErrorsMixin:
    """Adds GOV.UK's error modifier (govuk-input--error, govuk-textarea--error...) to the
    widget of each field with an error, so the field is marked as well as its message."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self._errors or ():
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if classes and "--error" not in classes:
                    widget.attrs["class"] = f"{classes} {classes.split()[0]}--error"


class GovukForm(GovukErrorsMixin, forms.Form):
    pass
