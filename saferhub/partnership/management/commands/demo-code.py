from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP, hotp

from saferhub.partnership import mfa
from saferhub.partnership.demo import DEMO_AUTHENTICATOR_KEY
from saferhub.partnership.models import User


class Command(BaseCommand):
    help = (
        "Print the sign-in code a demo user's authenticator app would show now: the demo's "
        "authenticators share a published key, so nobody trying saferhub needs a phone. "
        "Refused in production, and for any user whose authenticator is not the demo's."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("There are no demo users in production: nothing to print.")
        user = User.objects.filter(username=options["username"]).first()
        device = mfa.authenticator(user) if user is not None else None
        if device is None or mfa.secret(device).replace(" ", "") != DEMO_AUTHENTICATOR_KEY:
            raise CommandError(
                f"{options['username']!r} is not a demo user with the demo's authenticator: "
                "only their codes may be printed."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        # Each code is accepted once: after one has been used, give the next (which the
        # code step also accepts, allowing for a clock a step ahead).
        step = max(totp.t(), device.last_t + 1)
        if step > totp.t() + device.tolerance:
            raise CommandError("The next code has been used already: try again in 30 seconds.")
        code = hotp(device.bin_key, step, device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
