import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saferhub.access.roles import Role
from saferhub.partnership.models import Agency, Partnership, User
from saferhub.partnership.services import assign_roles


class Command(BaseCommand):
    help = (
        "Create the first CSP administrator of a new installation, with the partnership and "
        "agency they belong to. Everything else is then set up in the administration pages."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--partnership", required=True, help='e.g. "Safer Leeds"')
        parser.add_argument("--area", required=True, help="e.g. Leeds")
        parser.add_argument("--agency-code", required=True, help="e.g. lcc-cs")
        parser.add_argument("--agency-name", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"A user named {options['username']!r} already exists.")
        # For scripted installs the password may come from the environment, never argv
        # (which other users of the machine can read).
        password = os.environ.get("SAFERHUB_NEW_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password again: ") != password:
                raise CommandError("The two passwords differ: nothing was created.")
        user = User(
            username=options["username"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            partnership, _ = Partnership.objects.get_or_create(
                name=options["partnership"], defaults={"area": options["area"]}
            )
            user.agency, _ = Agency.objects.get_or_create(
                partnership=partnership,
                code=options["agency_code"],
                defaults={"name": options["agency_name"], "kind": Agency.Kind.COUNCIL},
            )
            user.set_password(password)
            user.save()
            assign_roles(user, [Role.CSP_ADMIN])
        self.stdout.write(
            f"Created CSP administrator {user.username} of {user.agency.name}. They set up an "
            "authenticator app for the second step of signing in when they first sign in."
        )
