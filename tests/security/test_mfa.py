"""The second step of signing in (issue #6, ASVS 6.x): every user sets up an authenticator
app at their first sign-in, from a QR code or its key, and confirms it with a code; gets ten
single-use recovery codes, shown once; and from then on gives a code after the password.
Until then no page but the steps of signing in (and signing out, and the health checks)
answers."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.admin_site import PartnershipAdminSite
from saferhub.audit.models import AuditEvent
from saferhub.partnership.demo import load_demo_partnership
from saferhub.partnership.mfa import check_code, new_recovery_codes, recovery_code_digest
from tests import mfa
from tests.access.url_inventory import every_route
from tests.world import PASSWORD

CODE_STEP = "/sign-in/code/"
SET_UP = "/sign-in/authenticator/"


def _sign_in_with_password(client, user) -> None:
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content


def _code_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


@pytest.fixture
def no_throttle(settings):
    # django-otp makes a user wait 1, 2, 4... seconds after each wrong code: a person
    # would, a test need not (test_wrong_codes_in_a_row_make_the_user_wait checks it).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_a_new_user_sets_up_an_app_at_their_first_sign_in(client, world):
    user = world.police_officer
    _sign_in_with_password(client, user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"{SET_UP}?next=/"
    page = response.content.decode()
    assert "Set up your authenticator app" in page
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    # The QR code is inline SVG made on the server: no image file, script or outside address.
    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg and "style=" not in svg
    assert "<img" not in page and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    # The key, for typing in by hand, is the device's own, in base32 groups of four.
    key = re.search(r'id="authenticator-key">([A-Z2-7 ]+)<', page).group(1)
    assert len(key.replace(" ", "")) == 32
    # Until the app is confirmed, nothing else answers.
    assert client.get("/partnership/")["Location"].startswith(CODE_STEP)

    response = client.post(SET_UP, {"code": _code_now(device), "next": "/"})
    assert response["Location"] == "/account/recovery-codes/?next=/"
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "You will not see these codes again" in codes_page
    # Shown once: the page then offers new ones instead.
    again = client.get("/account/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
    assert "You have 10 unused recovery codes" in again
    assert client.get("/").status_code == 200
    verbs = set(AuditEvent.objects.filter(actor=user).values_list("verb", flat=True))
    assert {"user.authenticator_set_up", "user.recovery_codes_made"} <= verbs


def test_a_wrong_code_does_not_set_up_the_app(client, world):
    _sign_in_with_password(client, world.police_officer)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.police_officer, confirmed=True).exists()
    assert client.get("/")["Location"].startswith(CODE_STEP)


def test_the_password_alone_cannot_replace_a_users_app(client, world):
    device = mfa.authenticator(world.police_officer)
    _sign_in_with_password(client, world.police_officer)
    assert client.get(SET_UP)["Location"].startswith(CODE_STEP)
    assert client.post(SET_UP, {"code": "123456"})["Location"].startswith(CODE_STEP)
    assert list(TOTPDevice.objects.filter(user=world.police_officer)) == [device]


def test_later_sign_ins_ask_for_the_code_and_refuse_a_wrong_one(client, world, no_throttle):
    device = mfa.authenticator(world.police_officer)
    _sign_in_with_password(client, world.police_officer)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"{CODE_STEP}?next=/"
    assert "Enter the code from your authenticator app" in response.content.decode()

    wrong = client.post(CODE_STEP, {"code": f"{(int(_code_now(device)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/")["Location"].startswith(CODE_STEP)

    code = mfa.code(device)
    assert client.post(CODE_STEP, {"code": code})["Location"] == "/"
    assert client.get("/").status_code == 200

    # A code is accepted once: the same code cannot sign in a second session.
    other = Client()
    _sign_in_with_password(other, world.police_officer)
    assert other.post(CODE_STEP, {"code": code}).status_code == 200
    assert other.get("/")["Location"].startswith(CODE_STEP)


def test_wrong_codes_in_a_row_make_the_user_wait(client, world):
    device = mfa.authenticator(world.police_officer)
    _sign_in_with_password(client, world.police_officer)
    client.post(CODE_STEP, {"code": "000000"})
    # Straight after a wrong code, even the right one must wait (django-otp's throttling).
    response = client.post(CODE_STEP, {"code": mfa.code(device)})
    assert re.search(r"wait [12] seconds?, then enter the code", response.text)
    assert client.get("/")["Location"].startswith(CODE_STEP)


def test_a_recovery_code_works_once(client, world, no_throttle):
    user = world.police_officer
    mfa.authenticator(user)
    client.force_login(user)
    client.post("/account/recovery-codes/", {"password": PASSWORD})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", client.get("/account/recovery-codes/").text)
    assert len(codes) == 10
    client.post("/sign-out/")

    _sign_in_with_password(client, user)
    # Typed as people do: in capitals, with a space.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    assert client.post(CODE_STEP, {"code": typed})["Location"] == "/"
    assert AuditEvent.objects.filter(
        verb="user.second_step_passed", data__used="recovery_code"
    ).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post("/sign-out/")

    _sign_in_with_password(client, user)
    assert client.post(CODE_STEP, {"code": codes[0]}).status_code == 200
    assert client.get("/")["Location"].startswith(CODE_STEP)
    assert client.post(CODE_STEP, {"code": codes[1]})["Location"] == "/"


def test_new_recovery_codes_need_the_password_and_replace_the_old(client, world):
    client.force_login(world.police_officer)
    client.post("/account/recovery-codes/", {"password": PASSWORD})
    old = re.findall(r"<li>([a-z2-7]{8})</li>", client.get("/account/recovery-codes/").text)
    refused = client.post("/account/recovery-codes/", {"password": "not my password"})
    assert "Your password is not right" in refused.text
    assert set(StaticToken.objects.values_list("token", flat=True)) == _digests(old)
    client.post("/account/recovery-codes/", {"password": PASSWORD})
    new = re.findall(r"<li>([a-z2-7]{8})</li>", client.get("/account/recovery-codes/").text)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == _digests(new)


def _digests(codes) -> set[str]:
    return {recovery_code_digest(code) for code in codes}


def test_recovery_codes_are_kept_only_as_keyed_digests(client, world, no_throttle):
    user = world.police_officer
    mfa.authenticator(user)
    codes = new_recovery_codes(user)
    stored = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10
    # No issued code is in the database.
    assert not any(code in token for code in codes for token in stored)
    assert all(re.fullmatch(r"[0-9a-f]{16}", token) for token in stored)
    # Keyed with SECRET_KEY: the same code gives another digest under another key.
    assert set(stored) == _digests(codes)
    with override_settings(SECRET_KEY="another-key-" * 5):
        assert not _digests(codes) & set(stored)

    # Someone with a copy of the database who types a stored digest as a code is refused,
    # and it counts as a wrong code; the code itself still works. (A digest of digits alone
    # would be taken for an authenticator's code: refused too, but not counted here.)
    _sign_in_with_password(client, user)
    for token in [token for token in stored if not token.isdigit()][:2]:
        assert client.post(CODE_STEP, {"code": token}).status_code == 200
        assert client.get("/")["Location"].startswith(CODE_STEP)
    assert StaticDevice.objects.get(user=user).throttling_failure_count == 2
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert client.post(CODE_STEP, {"code": codes[0]})["Location"] == "/"
    assert recovery_code_digest(codes[0]) not in StaticToken.objects.values_list("token", flat=True)


def test_the_migration_replaces_kept_codes_with_their_digests(world):
    user = world.police_officer
    mfa.authenticator(user)
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(3)] + ["ab23cd45"]  # all hex, 8 long
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    migration = importlib.import_module("saferhub.partnership.migrations.0003_hash_recovery_codes")
    migration.hash_codes(django_apps, None)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == _digests(codes)
    # Run again, it leaves the digests as they are.
    migration.hash_codes(django_apps, None)
    assert set(StaticToken.objects.values_list("token", flat=True)) == stored
    assert check_code(user, codes[3].upper()).device == device
    assert StaticToken.objects.filter(device=device).count() == 3
    # Going back cannot restore the codes: it deletes the digests.
    migration.forget_codes(django_apps, None)
    assert not StaticToken.objects.filter(device=device).exists()


def test_a_signed_in_user_replaces_their_app_with_the_password_and_a_code(client, world):
    user = world.police_officer
    client.force_login(user)
    old = mfa.authenticator(user)
    page = client.get(f"{SET_UP}?next=/account/")
    assert "Set up a new authenticator app" in page.text
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        "Your password is not right"
        in client.post(
            SET_UP, {"code": _code_now(new), "password": "wrong", "next": "/account/"}
        ).text
    )
    response = client.post(SET_UP, {"code": _code_now(new), "password": PASSWORD, "next": "/"})
    assert response["Location"] == "/account/recovery-codes/?next=/"
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    # Still signed in, now through the new app.
    assert client.get("/").status_code == 200
    account = client.get("/account/").text
    assert "Set up on" in account and "10 unused" in account


@pytest.mark.parametrize("set_up", [True, False])
def test_before_the_code_no_page_answers_but_the_steps_of_signing_in(client, world, set_up):
    user = world.coordinator
    if set_up:
        mfa.authenticator(user)
    mfa.force_login_password_only(client, user)
    steps = ("/sign-in/", CODE_STEP, SET_UP)
    answered = set()
    for route in every_route():
        response = client.get(route.path)
        if response.status_code in (404, 405):
            continue  # nothing served
        if response.status_code in (301, 302) and response["Location"].startswith(steps):
            continue
        answered.add(route.name or route.pattern)
    first_step = "sign-in-code" if set_up else "sign-in-authenticator"
    assert answered == {first_step, "sign-out", "healthz", "readyz"}
    # Still half-way: nothing above let the session through.
    assert client.get("/")["Location"].startswith(CODE_STEP)


def test_the_session_id_changes_when_the_code_is_accepted(client, world):
    device = mfa.authenticator(world.police_officer)
    _sign_in_with_password(client, world.police_officer)
    after_password = client.cookies["sessionid"].value
    client.post(CODE_STEP, {"code": mfa.code(device)})
    after_code = client.cookies["sessionid"].value
    assert after_code != after_password
    assert not Session.objects.filter(session_key=after_password).exists()
    assert client.get("/").status_code == 200


def test_the_admin_needs_the_second_step(client, world):
    mfa.authenticator(world.admin)
    mfa.force_login_password_only(client, world.admin)
    assert client.get("/admin/")["Location"].startswith(f"{CODE_STEP}?next=/admin/")
    assert client.get("/admin/partnership/user/")["Location"].startswith(CODE_STEP)
    # The admin site asks too, whatever middleware does.
    request = RequestFactory().get("/admin/")
    request.user = world.admin
    request.user.is_verified = lambda: False
    assert not PartnershipAdminSite().has_permission(request)
    request.user.is_verified = lambda: True
    assert PartnershipAdminSite().has_permission(request)


def test_the_admin_never_shows_an_authenticators_key(client, world):
    device = mfa.authenticator(world.police_officer)
    client.force_login(world.admin)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.text
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403


def test_a_demo_users_code_is_printed_and_accepted(client, db, capsys):
    load_demo_partnership()
    call_command("demo-code", "idva")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    response = client.post("/sign-in/", {"username": "idva", "password": "saferhub-demo"})
    assert response["Location"] == f"{CODE_STEP}?next=/"
    assert client.post(CODE_STEP, {"code": code})["Location"] == "/"
    # Used once: the command now gives the next one, which is accepted too.
    client.post("/sign-out/")
    call_command("demo-code", "idva")
    second = capsys.readouterr().out.strip()
    assert second != code
    client.post("/sign-in/", {"username": "idva", "password": "saferhub-demo"})
    assert client.post(CODE_STEP, {"code": second})["Location"] == "/"


def test_demo_codes_are_refused_in_production_and_for_real_users(world, settings):
    mfa.authenticator(world.admin)
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo-code", world.admin.username)
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo-code", "nobody")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo-code", world.admin.username)
