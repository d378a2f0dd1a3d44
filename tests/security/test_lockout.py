"""Lockout after repeated failures to sign in (issue #6, ASVS 6.3): after
SAFERHUB_LOCKOUT_FAILURES wrong passwords or codes for one username from one address, that
username is refused from that address, even with the right password, for
SAFERHUB_LOCKOUT_MINUTES; from another address it is not, so nobody can lock a named user out
from elsewhere; and the message never tells whether the username exists."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory

from saferhub.security.lockout import client_ip
from tests import mfa
from tests.world import PASSWORD

LOCKED = "too many attempts to sign in with this username from your network"
LIMIT = settings.AXES_FAILURE_LIMIT


def _sign_in(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, username, times, address="127.0.0.1"):
    return [_sign_in(client, username, "wrong", address) for _ in range(times)][-1]


def test_the_settings_lock_out_by_username_and_address_through_the_database():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_wrong_passwords_lock_the_username_out_from_that_address(client, world):
    before = _fail(client, "owen_officer", LIMIT - 1)
    assert "Enter a correct username and password" in before.text
    locked = _fail(client, "owen_officer", 1)
    assert LOCKED in locked.text and "Wait 15 minutes" in locked.text
    assert "<title>Error: Sign in" in locked.text
    # Now even the right password is refused, and no session is made.
    refused = _sign_in(client, "owen_officer")
    assert refused.status_code == 200 and LOCKED in refused.text
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_the_message_does_not_tell_whether_the_username_exists(client, world):
    known = _fail(client, "owen_officer", LIMIT)
    unknown = _fail(client, "nobody_at_all", LIMIT)
    assert LOCKED in known.text and LOCKED in unknown.text

    def page(response, username):
        text = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.text)
        return text.replace(username, "X")

    assert page(known, "owen_officer") == page(unknown, "nobody_at_all")


def test_a_lockout_from_one_address_does_not_lock_the_user_out_elsewhere(client, world):
    _fail(client, "owen_officer", LIMIT, address="203.0.113.9")
    assert LOCKED in _sign_in(client, "owen_officer", address="203.0.113.9").text
    elsewhere = Client()
    mfa.authenticator(world.police_officer)
    assert _sign_in(elsewhere, "owen_officer", address="198.51.100.7").status_code == 302
    # And another username from the attacker's address is not locked either.
    assert _sign_in(Client(), "ada_admin", address="203.0.113.9").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, world):
    _fail(client, "owen_officer", LIMIT)
    assert LOCKED in _sign_in(client, "owen_officer").text
    # Fifteen minutes and a second later (the failures' times moved back, as time would).
    cooled_off = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= cooled_off
        attempt.save(update_fields=["attempt_time"])
    assert _sign_in(client, "owen_officer").status_code == 302


def test_wrong_codes_count_towards_the_lockout_and_end_the_session(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    mfa.authenticator(world.police_officer)
    _fail(client, "owen_officer", 2)
    assert _sign_in(client, "owen_officer").status_code == 302  # the password alone clears nothing
    for _ in range(LIMIT - 3):
        assert client.post("/sign-in/code/", {"code": "000000"}).status_code == 200
    response = client.post("/sign-in/code/", {"code": "000000"}, follow=True)
    assert response.redirect_chain[-1][0] == "/sign-in/"
    assert LOCKED in response.text
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert LOCKED in _sign_in(client, "owen_officer").text


def test_an_administrator_lifting_a_lockout_lets_the_code_through_at_once(client, world):
    """Wrong codes lengthen django-otp's own wait between codes as well as counting towards
    the lockout; deleting the access attempt (the README's way to lift it) clears both."""
    device = mfa.authenticator(world.police_officer)
    _sign_in(client, "owen_officer")
    for _ in range(LIMIT):
        client.post("/sign-in/code/", {"code": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1  # a wait before the next code
    assert LOCKED in _sign_in(client, "owen_officer").text
    AccessAttempt.objects.get(username="owen_officer").delete()  # as the admin page does
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert _sign_in(client, "owen_officer").status_code == 302
    assert client.post("/sign-in/code/", {"code": mfa.code(device)})["Location"] == "/"


def test_signing_in_with_both_steps_clears_the_count(client, world):
    device = mfa.authenticator(world.police_officer)
    _fail(client, "owen_officer", LIMIT - 1)
    _sign_in(client, "owen_officer")
    assert client.post("/sign-in/code/", {"code": mfa.code(device)})["Location"] == "/"
    assert not AccessAttempt.objects.exists()
    client.post("/sign-out/")
    _fail(client, "owen_officer", LIMIT - 1)
    assert _sign_in(client, "owen_officer").status_code == 302


def test_wrong_passwords_at_the_re_check_count_too(client, world):
    """The password re-check before subject access and erasure goes through authenticate()
    with the request, so a lockout counts it; its own page keeps saying what happened."""
    client.force_login(world.admin)
    for _ in range(LIMIT):
        client.post("/account/recovery-codes/", {"password": "guess"})
    assert AccessAttempt.objects.get(username="ada_admin").failures_since_start == LIMIT
    assert client.get("/account/").status_code == 200  # still signed in here
    client.post("/sign-out/")
    assert LOCKED in _sign_in(client, "ada_admin").text


@pytest.mark.parametrize(
    "proxies, forwarded, remote, expected",
    [
        (0, "198.51.100.7", "127.0.0.1", "127.0.0.1"),  # no proxy: the header is the client's
        (1, "198.51.100.7", "127.0.0.1", "198.51.100.7"),  # nginx added the client's address
        (1, "6.6.6.6, 198.51.100.7", "127.0.0.1", "198.51.100.7"),  # a forged entry ignored
        (1, "", "127.0.0.1", "127.0.0.1"),  # straight to gunicorn
        (1, "not an address", "127.0.0.1", "127.0.0.1"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "127.0.0.1", "198.51.100.7"),
    ],
)
def test_the_address_counted_is_the_one_the_nearest_trusted_proxy_saw(
    settings, proxies, forwarded, remote, expected
):
    settings.SAFERHUB_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_a_wrong_code_is_not_kept_in_the_record_of_attempts(client, world):
    mfa.authenticator(world.police_officer)
    _sign_in(client, "owen_officer")
    client.post("/sign-in/code/", {"code": "abcd efgx"})
    attempt = AccessAttempt.objects.get()
    assert "abcd" not in attempt.post_data and "code=*" in attempt.post_data
