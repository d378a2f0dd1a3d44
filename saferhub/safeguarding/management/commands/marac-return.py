from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.partnership.models import Partnership
from saferhub.safeguarding import marac_return


def _day(option: str, text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "The SafeLives quarterly MARAC return: counts of the cases heard at a meeting between "
        "two dates (both included). Marked OFFICIAL-SENSITIVE; names no one. By default, "
        "the last complete calendar quarter."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", help="The first day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", help="The last day, YYYY-MM-DD.")
        parser.add_argument(
            "--format",
            choices=list(marac_return.FORMATS),
            default="json",
            help="json (SafeLives' keys and nothing else), csv, html or xlsx. Default: json.",
        )
        parser.add_argument(
            "--partnership",
            help="The partnership's name; needed only when there is more than one.",
        )
        parser.add_argument(
            "--output", help="The file to write (needed for xlsx); by default, standard output."
        )

    def handle(self, *args, **options) -> None:
        default_start, default_end = marac_return.last_complete_quarter(timezone.localdate())
        start = _day("--from", options["start"], default_start)
        end = _day("--to", options["end"], default_end)
        if start > end:
            raise CommandError(f"--from {start} is after --to {end}.")
        fmt = options["format"]
        output = Path(options["output"]) if options["output"] else None
        if output is None and fmt == "xlsx":
            raise CommandError("--format xlsx writes a file: give --output FILE.xlsx.")
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"--output {output}: the folder {output.parent} does not exist.")
        partnership = self._partnership(options["partnership"])
        made = marac_return.export(None, partnership, start, end, fmt)
        if output is not None:
            output.write_bytes(made.content)
            self.stdout.write(
                f"Wrote {output} ({len(made.content):,} bytes), {marac_return.MARKING}."
            )
            return
        # Standard output carries the return alone (JSON: exactly SafeLives' keys); the
        # marking goes to standard error.
        self.stderr.write(f"{marac_return.MARKING}: {partnership.name}, {start} to {end}")
        self.stdout.write(made.content.decode(), ending="")

    def _partnership(self, name: str | None) -> Partnership:
        if name is None:
            partnerships = list(Partnership.objects.order_by("name")[:2])
            if len(partnerships) == 1:
                return partnerships[0]
            if not partnerships:
                raise CommandError("There is no partnership yet.")
            known = ", ".join(Partnership.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"There is more than one partnership: give --partnership ({known}).")
        found = Partnership.objects.filter(name__iexact=name.strip()).first()
        if found is None:
            known = ", ".join(Partnership.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"--partnership {name!r}: no such partnership. Known: {known}.")
        return found
