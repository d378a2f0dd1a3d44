"""Lockout after repeated failures to sign in (django-axes, configured in settings).

Wrong passwords reach axes through Django's authenticate(), which the sign-in form and
the password re-check (governance/reauth.py) call with the request. Wrong codes at the
second step reach it through `code_failed`, so a password guessed right does not buy an
attacker unlimited guesses at the code; the count is cleared only by `signed_in`, when
both steps have succeeded.
"""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_credentials
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_delete
from django.dispatch import receiver


def message() -> str:
    """What a locked-out visitor is told: the same whether or not the username exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "There have been too many attempts to sign in with this username from your "
        f"network. Wait {minutes} minutes, then try again. If you cannot sign in then, "
        "ask your saferhub administrator."
    )


def client_ip(request) -> str | None:
    """The address a lockout counts (AXES_CLIENT_IP_CALLABLE).

    Behind SAFERHUB_TRUSTED_PROXY_COUNT proxies, the address the nearest proxy saw: each
    appends the address it was reached from to X-Forwarded-For, so that one is the
    count-th from the right. Entries further left come from the client and are ignored.
    """
    count = settings.SAFERHUB_TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def is_locked_out(request, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, get_credentials(username))


def code_failed(request, username: str) -> bool:
    """Count a wrong code at the second step as a failed sign-in; True if that (or an
    earlier failure) has locked this username out from this address."""
    # Django's own signal for a failed sign-in: axes counts it, as it counts wrong passwords.
    user_login_failed.send(sender=__name__, credentials=get_credentials(username), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def signed_in(request, username: str) -> None:
    """Both steps succeeded: clear this username's failures from this address."""
    reset(ip=get_client_ip_address(request), username=username)


def lockout_response(request, original_response, credentials=None):
    """AXES_LOCKOUT_CALLABLE: axes hands over every response to a request that failed
    while locked out, or reached the limit. saferhub's own pages already say so (the
    sign-in form, the code step, the password re-check), so their response stands."""
    return original_response


@receiver(post_delete, sender=AccessAttempt)
def _lockout_lifted(sender, instance: AccessAttempt, **kwargs) -> None:
    """An administrator lifts a lockout by deleting its access attempt: the user may then
    try again at once, so django-otp's own wait between codes, which the same wrong codes
    lengthened, is cleared on their devices too. (Axes deletes attempts itself after a
    successful sign-in, when django-otp has already cleared the wait.)"""
    from django_otp import devices_for_user

    from saferhub.partnership.models import User

    user = User.objects.filter(username=instance.username).first()
    if user is None:
        return
    for device in devices_for_user(user, confirmed=None):
        if hasattr(device, "throttle_reset"):
            device.throttle_reset()
