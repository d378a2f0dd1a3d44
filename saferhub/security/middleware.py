"""Request and response handling that every page shares: no caching of signed-in pages,
the limits of a session, and the second step of signing in."""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.cache import patch_cache_control

from saferhub.security import sessions


class NoStoreForSignedInUsersMiddleware:
    """Mark every response to a signed-in user `Cache-Control: no-store`.

    Pages behind sign-in carry OFFICIAL-SENSITIVE information: no browser, proxy
    or back/forward cache may keep a copy. Responses that already say no-store
    are left as they are; public responses (the sign-in page, static files served
    by WhiteNoise before this runs) keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, no_store=True, no_cache=True, private=True)
            response.setdefault("Pragma", "no-cache")
        return response


class SessionLimitsMiddleware:
    """End the session of a user who is disabled, has been idle too long, or signed in too
    long ago (sessions.py); the request goes on without them, so LoginRequiredMiddleware
    sends them to sign in, where a message says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            reason = sessions.ended(user, request.session, now)
            if reason is None:
                sessions.touch(request.session, now)
            else:
                logout(request)
                told = sessions.explanation(reason)
                if told:
                    messages.info(request, told)
        return self.get_response(request)


def second_factor_not_required(view):
    """Mark a view that a signed-in user may reach before the second step of signing in:
    the steps themselves and signing out. Every other view needs it (default deny)."""
    view.second_factor_required = False
    return view


class SecondFactorRequiredMiddleware:
    """Send a user who has given their password but not yet a code to the code step.

    Like LoginRequiredMiddleware, it decides on the view: a view is open before the code
    only if marked with `second_factor_not_required`, or public (`login_not_required`:
    the sign-in page and the health checks).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        return redirect_to_login(request.get_full_path(), reverse("sign-in-code"))
