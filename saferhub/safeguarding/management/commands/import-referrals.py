from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.access.permissions import Action, can
from saferhub.partnership.models import User
from saferhub.safeguarding.import_file import ImportProblems
from saferhub.safeguarding.importing import import_referrals

# More problems than this: the first are printed, and how many more there are.
SHOWN_PROBLEMS = 200


class Command(BaseCommand):
    help = (
        "Import referral history from a CSV file (the columns are listed on the import "
        "page), all or nothing: every problem is printed with its line and column and "
        "nothing is saved. Rows imported before (the same referral_ref) are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV file, saved as UTF-8.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The MARAC coordinator importing: the referring officer of every referral.",
        )
        parser.add_argument(
            "--partnership",
            help="The partnership's name, to make sure it is the coordinator's (optional).",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        user = self._coordinator(options["username"], options["partnership"])
        try:
            result = import_referrals(user, path.read_bytes())
        except ImportProblems as error:
            problems = error.problems
            for problem in problems[:SHOWN_PROBLEMS]:
                self.stderr.write(str(problem))
            if len(problems) > SHOWN_PROBLEMS:
                self.stderr.write(
                    f"... and {len(problems) - SHOWN_PROBLEMS:,} more problems, not shown: "
                    f"fix the first {SHOWN_PROBLEMS} first."
                )
            count = f"{len(problems):,} problem{'' if len(problems) == 1 else 's'}"
            raise CommandError(f"{path.name}: {count}. Nothing was imported.") from None
        self.stdout.write(str(result))

    def _coordinator(self, username: str, partnership: str | None) -> User:
        user = User.objects.select_related("agency__partnership").filter(username=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"--as {username}: there is no active user of that name.")
        if not can(user, Action.IMPORT_REFERRALS) or user.agency is None:
            raise CommandError(
                f"--as {username}: only a MARAC coordinator may import referrals, and "
                f"{username} is not one."
            )
        own = user.agency.partnership.name
        if partnership is not None and partnership != own:
            raise CommandError(
                f"--partnership {partnership!r}: {username} is a coordinator of {own!r}, so "
                "referrals are imported there. Give --as a coordinator of that partnership."
            )
        return user
