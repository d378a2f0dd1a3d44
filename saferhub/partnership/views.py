"""Sign-in, sign-out and the partnership directory. Views stay thin: access is
decided in access.permissions and access.scope, queries in partnership.services."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from saferhub.access import scope
from saferhub.access.permissions import Action, actions_for, require
from saferhub.audit.services import record
from saferhub.partnership import services
from saferhub.partnership.forms import ChangePasswordForm, SignInForm
from saferhub.partnership.models import Agency


class SignInView(LoginView):
    template_name = "partnership/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


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
        {"actions": sorted(actions_for(request.user))},
    )
