from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from saferhub.governance.reauth import ReauthForm
from saferhub.govuk_forms import GovukForm
from saferhub.security import lockout


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK input classes and plain-English messages."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been disabled. Ask your CSP administrator.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {
                "class": "govuk-input govuk-!-width-one-half",
                "autocomplete": "username",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        )
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget.attrs.update(
            {"class": "govuk-input govuk-!-width-one-half", "autocomplete": "current-password"}
        )
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def get_invalid_login_error(self) -> forms.ValidationError:
        # authenticate() was refused by the lockout (axes flags the request): say so, in
        # words that do not tell whether the username exists.
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(lockout.message(), code="locked_out")
        return super().get_invalid_login_error()


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "govuk-input govuk-!-width-one-half"})
            field.widget.attrs.pop("autofocus", None)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


def _code_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )


class CodeForm(GovukForm):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = _code_field(
        "Code",
        "The 6-digit code your authenticator app shows now, or one of your recovery codes.",
    )


class AuthenticatorForm(GovukForm):
    """The first code from a new authenticator app, which proves it is set up right."""

    code = _code_field("Code from the app", "The 6-digit code the app shows for saferhub.")


class NewAuthenticatorForm(ReauthForm):
    """Replacing a signed-in user's authenticator asks for their password too (ASVS 7.5.1)."""

    purpose = "authenticator"
    field_order = ["code", "password"]
    code = _code_field("Code from the app", "The 6-digit code the app shows for saferhub.")


class NewRecoveryCodesForm(ReauthForm):
    """New recovery codes replace the old ones: the password first (ASVS 7.5.1)."""

    purpose = "recovery_codes"
