from datetime import date

from django.core.management.base import BaseCommand

from saferhub.access.roles import Role
from saferhub.partnership.demo import (
    DEMO_AUTHENTICATOR_KEY,
    DEMO_PASSWORD,
    SIGN_INS,
    load_demo_partnership,
)
from saferhub.partnership.models import Agency, User


class Command(BaseCommand):
    help = "Load (or refresh) the demo partnership and print its sign-ins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="Where the demo will be served."
        )

    def handle(self, *args, **options) -> None:
        partnership = load_demo_partnership()
        agencies = Agency.objects.filter(partnership=partnership).count()
        users = User.objects.filter(agency__partnership=partnership).count()
        self.stdout.write(
            f"Demo partnership '{partnership.name}': {agencies} agencies, {users} users."
        )
        # Imported here: the strategy app builds on the partnership, not the other way round.
        from saferhub.strategy.demo import describe, load_demo_strategy

        for strategy, loaded in load_demo_strategy(partnership):
            self.stdout.write(describe(strategy, loaded))
        from saferhub.safeguarding import synthetic

        loaded = synthetic.load_demo_cases(partnership, date.today())
        self.stdout.write(synthetic.describe(partnership, loaded))
        self.stdout.write("")
        address = options["address"]
        self.stdout.write(f"Sign in at http://{address} with password {DEMO_PASSWORD}:")
        for person in SIGN_INS:
            roles = ", ".join(Role(role).label for role in person.roles)
            self.stdout.write(f"  {person.username:<13} {roles}")
        self.stdout.write(
            "and then the code `.venv/bin/saferhub demo-code USERNAME` prints (or an authenticator "
            f"app with the key {DEMO_AUTHENTICATOR_KEY})."
        )
