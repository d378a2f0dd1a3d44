"""`saferhub retention run [--dry-run] [--date YYYY-MM-DD]`: erase what has expired."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from saferhub.governance import retention


class Command(BaseCommand):
    help = "Retention: erase what the partnership no longer needs (governance/retention.py)."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        run = commands.add_parser(
            "run",
            help="Erase everything whose retention period has ended; safe to repeat.",
            description=(
                "Erase closed MARAC cases, referrals recorded as not eligible, people with "
                "nothing left and uploaded files' contents whose retention periods "
                "(SAFERHUB_RETAIN_* settings) have ended, in one transaction; log one "
                "'retention.erased' entry per record type, with counts and ids."
            ),
        )
        run.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be erased; change nothing and log nothing.",
        )
        run.add_argument("--date", help="Run as of this day, YYYY-MM-DD (default: today).")

    def handle(self, *args, subcommand: str, **options) -> None:
        as_of = None
        if options["date"]:
            try:
                as_of = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date: write it as YYYY-MM-DD."
                ) from None
        policy = retention.Policy.from_settings()
        outcome = retention.run(as_of, dry_run=options["dry_run"], policy=policy)
        for label, rule in policy.rules().items():
            self.stdout.write(f"Rule: {label}: {rule}.")
        self.stdout.write(str(outcome))
