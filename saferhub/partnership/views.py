"""Sign-in (the password, then a code), sign-out, your account and the partnership
directory. Views stay thin: access is decided in access.permissions and access.scope,
queries in partnership.services, the second step of signing in in partnership.mfa."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, PasswordChangeView, redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

from saferhub.access import scope
from saferhub.access.permissions import Action, actions_for, require
from saferhub.audit.services import record
from saferhub.partnership import mfa, services
from saferhub.partnership.forms import (
    AuthenticatorForm,
    ChangePasswordForm,
    CodeForm,
    NewAuthenticatorForm,
    NewRecoveryCodesForm,
    SignInForm,
)
from saferhub.partnership.models import Agency
from saferhub.security import lockout
from saferhub.security.middleware import second_factor_not_required

# Recovery codes just made, kept in the session until their page has shown them once.
FRESH_CODES = "saferhub_fresh_recovery_codes"


class SignInView(LoginView):
    """The first step: the password. Then the code step (or setting up the app)."""

    template_name = "partnership/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        # Half-way through signing in (the password given, not yet the code): the code step.
        if request.user.is_authenticated and not request.user.is_verified():
            return redirect_to_login(self.get_success_url(), reverse("sign-in-code"))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Django's login: a new session id, and the sign-in time (security/sessions.py).
        auth_login(self.request, form.get_user())
        return redirect_to_login(self.get_success_url(), reverse("sign-in-code"))


def _next(request) -> str:
    """Where to go once signed in: the page asked for, if it is on this site."""
    asked = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _wrong_code(checked: mfa.Checked, or_recovery_code: bool = True) -> str:
    if checked.wait_seconds:
        seconds = checked.wait_seconds
        return (
            f"You have entered too many wrong codes in a row: wait {seconds} "
            f"second{'s' if seconds != 1 else ''}, then enter the code your app shows at "
            "that time"
        )
    alternative = ", or a recovery code" if or_recovery_code else ""
    return f"The code is not right: enter the code your app shows now{alternative}"


def _locked_out(request):
    logout(request)
    messages.error(request, lockout.message())
    return redirect("sign-in")


@second_factor_not_required
def sign_in_code(request):
    """The second step: a code from the authenticator app, or a recovery code. Each wrong
    code counts towards the lockout, as a wrong password does."""
    user, next_url = request.user, _next(request)
    if user.is_verified():
        return redirect(next_url)
    if mfa.needs_authenticator(user):
        return redirect_to_login(next_url, reverse("sign-in-authenticator"))
    if lockout.is_locked_out(request, user.get_username()):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = mfa.check_code(user, form.cleaned_data["code"])
        if checked.device is not None:
            mfa.passed(request, checked.device)
            return redirect(next_url)
        if lockout.code_failed(request, user.get_username()):
            return _locked_out(request)
        form.add_error("code", _wrong_code(checked))
    return render(request, "partnership/sign_in_code.html", {"form": form, "next": next_url})


@second_factor_not_required
def sign_in_authenticator(request):
    """Setting up an authenticator app: at the first sign-in, between the password and the
    code step; or later, from your account, to replace the app (the password again too)."""
    user, next_url = request.user, _next(request)
    replacing = user.is_verified()
    if not replacing and not mfa.needs_authenticator(user):
        # The password alone never sets up an app: it would replace the user's own.
        return redirect_to_login(next_url, reverse("sign-in-code"))
    device = mfa.pending_authenticator(user)
    if replacing:
        form = NewAuthenticatorForm(request.POST or None, request=request)
    else:
        form = AuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = mfa.confirm_authenticator(user, device, form.cleaned_data["code"])
        if checked.device is not None:
            request.session[FRESH_CODES] = mfa.new_recovery_codes(user)
            mfa.passed(request, checked.device)
            return redirect_to_login(next_url, reverse("recovery-codes"))
        form.add_error("code", _wrong_code(checked, or_recovery_code=False))
    return render(
        request,
        "partnership/sign_in_authenticator.html",
        {
            "form": form,
            "next": next_url,
            "replacing": replacing,
            "qr_code": mfa.qr_code_svg(device),
            "secret": mfa.secret(device),
        },
    )


def recovery_codes(request):
    """New recovery codes, shown once; or the form that makes new ones."""
    codes = request.session.pop(FRESH_CODES, None)
    if codes:
        return render(
            request, "partnership/recovery_codes.html", {"codes": codes, "next": _next(request)}
        )
    form = NewRecoveryCodesForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        request.session[FRESH_CODES] = mfa.new_recovery_codes(request.user)
        return redirect("recovery-codes")
    return render(
        request,
        "partnership/recovery_codes_new.html",
        {"form": form, "left": mfa.recovery_codes_left(request.user)},
    )


@second_factor_not_required
def sign_out(request):
    """POST signs out; GET (a typed or bookmarked address) asks first."""
    if request.method != "POST":
        return render(request, "partnership/sign_out.html")
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("sign-in")


class ChangePasswordView(PasswordChangeView):
    template_name = "partnership/change_password.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request.user, "user.password_changed", self.request.user)
        messages.success(self.request, "Your password has been changed.")
        return response


def directory(request):
    require(request.user, Action.VIEW_PARTNERSHIP)
    return render(
        request,
        "partnership/directory.html",
        {"agencies": services.directory(request.user)},
    )


def agency(request, code: str):
    require(request.user, Action.VIEW_PARTNERSHIP)
    found = scope.get_visible_or_404(request.user, Agency.objects.all(), code=code)
    return render(
        request,
        "partnership/agency.html",
        {
            "agency": found,
            "teams": scope.visible(request.user, found.teams.all()),
            "people": services.people_of(request.user, found),
        },
    )


def account(request):
    return render(
        request,
        "partnership/account.html",
        {
            "actions": sorted(actions_for(request.user)),
            "authenticator": mfa.authenticator(request.user),
            "recovery_codes_left": mfa.recovery_codes_left(request.user),
        },
    )
