"""`saferhub audit verify`: check the audit log's hash chain from its first entry to its last,
and the checkpoints earlier runs left outside the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.audit import chain


class Command(BaseCommand):
    help = "Work with the audit log."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify",
            help="Recompute every entry's hash; name the first broken entry.",
            description="Recompute every entry's hash in order; exit 1 if the chain is broken "
            "or an earlier checkpoint is no longer held.",
        )
        verify.add_argument("--database", default="default")
        verify.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="A checkpoint an earlier run printed: also check that the log still holds "
            "that entry with that hash (shows the newest entries removed, or the chain "
            "rewritten). May be given more than once.",
        )
        verify.add_argument(
            "--checkpoints",
            type=Path,
            metavar="FILE",
            help="A file of checkpoints, one ID:HASH a line, kept outside the database: each "
            "is checked, and this run's is added to it when the log is intact (the nightly "
            "unit, deploy/saferhub-audit-verify.service, does this).",
        )
        verify.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes checking id ranges at once (PostgreSQL; default: one per core, "
            "for a large log).",
        )

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            self._verify(options["database"], options["workers"], options)

    def _verify(self, database: str, workers: int | None, options) -> None:
        kept: Path | None = options["checkpoints"]
        lines = options["expect"] + (_lines(kept) if kept and kept.exists() else [])
        checkpoints = [_checkpoint(text) for text in lines]
        verdict = chain.verify(database, workers=workers)
        if not verdict.intact:
            raise CommandError(str(verdict), returncode=1)
        for entry_id, expected in checkpoints:
            problem = chain.checkpoint_problem(entry_id, expected, database)
            if problem:
                raise CommandError(
                    f"Audit log does not match its checkpoint: {problem}", returncode=1
                )
        self.stdout.write(str(verdict))
        if checkpoints:
            self.stdout.write(f"{len(checkpoints)} earlier checkpoint(s) held.")
        if kept and verdict.newest:
            entry_id, entry_hash = verdict.newest
            with kept.open("a", encoding="ascii") as file:
                file.write(f"{entry_id}:{entry_hash}\n")


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]


def _checkpoint(text: str) -> tuple[int, str]:
    entry_id, _, expected = text.partition(":")
    if not (entry_id.isdigit() and len(expected) == 64):
        raise CommandError(f"A checkpoint is ID:HASH as verify printed it, not '{text}'.")
    return int(entry_id), expected.lower()
