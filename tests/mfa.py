"""The second step of signing in, for tests: an authenticator app for a user, and the code
it would show, computed with django-otp's own TOTP from the device's key."""

import time

from django.http import HttpRequest
from django.test import Client
from django_otp import login as otp_login
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

# Django's force_login as it was, before tests/conftest.py made it pass the second step too.
force_login_password_only = Client.force_login


def authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator app, set up if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator")


def code(device: TOTPDevice) -> str:
    """A code the device accepts now: each is accepted once (a step after the last one
    used), and the step after the current one is accepted too, so a user who signs in
    twice within 30 seconds gets the next code; failing that, wait for the next step."""
    while True:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        step = max(totp.t(), device.last_t + 1)
        if step <= totp.t() + device.tolerance:
            return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"
        time.sleep(1)


def pass_second_step(client: Client, user) -> None:
    """Mark the client's signed-in session as having passed the second step, through
    django-otp's own login, as the code step does."""
    session = client.session
    request = HttpRequest()
    request.session = session
    request.user = user
    otp_login(request, authenticator(user))
    session.save()
