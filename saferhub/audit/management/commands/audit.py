"""`saferhub audit verify`: check the audit log's hash chain from its first entry to its last."""

from django.core.management.base import BaseCommand, CommandError

from saferhub.audit import chain


class Command(BaseCommand):
    help = "Work with the audit log."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify",
            help="Recompute every entry's hash; name the first broken entry.",
            description="Recompute every entry's hash in order; exit 1 if the chain is broken.",
        )
        verify.add_argument("--database", default="default")
        verify.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes checking id ranges at once (PostgreSQL; default: one per core, "
            "for a large log).",
        )

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            verdict = chain.verify(options["database"], workers=options["workers"])
            if not verdict.intact:
                raise CommandError(str(verdict), returncode=1)
            self.stdout.write(str(verdict))
