"""Re-authentication before personal data leaves the system or is erased (ASVS 7.5.3): the
signed-in administrator types their password again, checked by Django's authenticate()
(and so by any lockout that hooks into it). Each wrong password is logged; after
MAX_FAILURES in WINDOW the form stops checking, so a session left open cannot be used to
guess the password."""

from datetime import timedelta

from django import forms
from django.contrib.auth import authenticate
from django.utils import timezone

from saferhub.audit.models import AuditEvent
from saferhub.audit.services import record
from saferhub.govuk_forms import GovukForm

WRONG = "Your password is not right: enter the password you sign in with"
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
TOO_MANY = "You have entered a wrong password too many times: try again in 15 minutes"
FAILED = "user.reauthentication_failed"


def too_many_failures(user) -> bool:
    since = timezone.now() - WINDOW
    return AuditEvent.objects.filter(actor=user, verb=FAILED, at__gte=since).count() >= (
        MAX_FAILURES
    )


def password_confirmed(request, password: str, purpose: str) -> bool:
    """True if `password` is the signed-in user's own; a failure is logged (no password)."""
    user = request.user
    again = authenticate(request, username=user.get_username(), password=password or "")
    if again is not None and again.pk == user.pk:
        return True
    record(user, FAILED, user, purpose=purpose)
    return False


class ReauthForm(GovukForm):
    """A form that asks for the user's password again; subclasses add their own fields."""

    purpose = "governance"

    password = forms.CharField(
        label="Your password",
        help_text="To confirm it is you, enter the password you sign in with.",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "govuk-input govuk-input--width-20", "autocomplete": "current-password"}
        ),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, request, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if too_many_failures(self.request.user):
            raise forms.ValidationError(TOO_MANY)
        if not password_confirmed(self.request, password, self.purpose):
            raise forms.ValidationError(WRONG)
        return password
