"""The second step of signing in: a code from an authenticator app (TOTP), or one of ten
single-use recovery codes. Every user has it (settings: OTP_*), not only those who see case
data: the directory names people, and an administrator can give any role.

Built on django-otp's devices: a user's authenticator is a TOTPDevice, unconfirmed until
they have typed a code from it, and their recovery codes are the tokens of a StaticDevice.
A token holds a keyed digest of its code, never the code (recovery_code_digest).
"""

from base64 import b32decode, b32encode
from dataclasses import dataclass
from math import ceil

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.audit.services import record
from saferhub.security import lockout

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_DIGEST_SALT = "saferhub.recovery-code"


def authenticator(user) -> TOTPDevice | None:
    """The user's authenticator app, once set up (confirmed)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def needs_authenticator(user) -> bool:
    return authenticator(user) is None


def set_up_published_authenticator(user, key: str) -> TOTPDevice:
    """Make an authenticator with a published base32 `key` the user's only one: for the
    demo's users alone (demo.py), so that someone trying saferhub needs no phone."""
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        name="Demo authenticator",
        defaults={"key": b32decode(key).hex(), "confirmed": True},
    )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device


def pending_authenticator(user) -> TOTPDevice:
    """A new authenticator with its own secret, waiting for its first code. Asking again
    gives the same one, so that reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code: inline SVG markup made here, with no
    image file or outside service (the Content Security Policy allows neither)."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    svg = image.get_image()
    # Sized by the stylesheet, not in millimetres; named for assistive technology.
    for attribute in ("width", "height"):
        svg.attrib.pop(attribute, None)
    svg.set("class", "saferhub-qr-code")
    svg.set("role", "img")
    svg.set("aria-label", "QR code to scan with your authenticator app")
    svg.set("focusable", "false")
    return image.to_string(encoding="unicode")


@dataclass(frozen=True)
class Checked:
    """What became of a code: the device that accepted it, or how long to wait before the
    next try after too many wrong codes in a row (django-otp's throttling)."""

    device: Device | None
    wait_seconds: int = 0


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_digest(code: str) -> str:
    """What a StaticToken stores for a recovery code: the first 16 hex characters (64 bits,
    to fit StaticToken.token) of HMAC-SHA256 of the normalised code, keyed with a key
    derived from SECRET_KEY. So a copy of the database alone gives no usable code.

    A fast keyed hash, not a slow password hash: a code is not chosen by a person but made
    by StaticToken.random_token() (40 random bits), and without SECRET_KEY no digest can be
    checked offline at all; online guessing is throttled by django-otp. (Anyone who has both
    the database and SECRET_KEY could search the 2**40 codes; SECRET_KEY is the secret that
    guards everything else too.) Changing SECRET_KEY makes every recovery code stop working:
    users then get new ones from their account page.

    The migration partnership 0003_hash_recovery_codes copies this: change both together."""
    return salted_hmac(RECOVERY_DIGEST_SALT, normalise(code), algorithm="sha256").hexdigest()[:16]


def check_code(user, code: str) -> Checked:
    """Check a code from the authenticator (six digits) or a recovery code (letters and
    digits), each against its own device; a recovery code is used up when accepted."""
    code = normalise(code)
    if code.isdigit():
        device = authenticator(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not code:
        return Checked(None)
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        wait = (detail["locked_until"] - timezone.now()).total_seconds()
        return Checked(None, max(1, ceil(wait)))
    if isinstance(device, StaticDevice):
        # The device holds digests: django-otp looks up the digest of what was typed, and
        # still throttles and deletes the token it matches (single use).
        code = recovery_code_digest(code)
    return Checked(verify_token(user, device.persistent_id, code))


def confirm_authenticator(user, device: TOTPDevice, code: str) -> Checked:
    """If `code` comes from the new `device`, it becomes the user's authenticator, in place
    of any before it; the caller then makes new recovery codes."""
    code = normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, detail = device.verify_is_allowed()
        if not allowed:
            wait = (detail["locked_until"] - timezone.now()).total_seconds()
            return Checked(None, max(1, ceil(wait)))
        if not (code.isdigit() and device.verify_token(code)):
            return Checked(None)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record(user, "user.authenticator_set_up", user)
    return Checked(device)


def new_recovery_codes(user) -> list[str]:
    """Ten new single-use recovery codes for `user`, to show them once; any earlier ones
    stop working. Only their digests are kept."""
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
        )
    record(user, "user.recovery_codes_made", user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def passed(request, device: Device) -> None:
    """The second step succeeded: mark the session verified with django-otp's own login,
    give it a fresh id and CSRF token (as Django's login did after the password), and
    clear the failures counted towards a lockout."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)
    lockout.signed_in(request, request.user.get_username())
    used = "recovery_code" if isinstance(device, StaticDevice) else "authenticator"
    record(request.user, "user.second_step_passed", request.user, used=used)
