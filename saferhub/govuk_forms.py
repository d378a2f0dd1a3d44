"""GOV.UK Frontend's error styling for Django forms: one base class for every form."""

from django import forms


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
