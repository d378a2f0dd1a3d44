from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.reports import annual, generation
from saferhub.reports.models import GeneratedReport
from saferhub.strategy.models import Strategy


class Command(BaseCommand):
    help = "Generate a report. saferhub report annual --strategy SLUG --year-ending YYYY-MM-DD"

    def add_arguments(self, parser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        annual_parser = kinds.add_parser(
            "annual", help="The annual progress report of a strategy, for the executive board."
        )
        annual_parser.add_argument(
            "--strategy", required=True, help="The strategy's short name (slug), e.g. 2021-24."
        )
        annual_parser.add_argument(
            "--year-ending", required=True, help="The last day of the reporting year, YYYY-MM-DD."
        )
        annual_parser.add_argument(
            "--format",
            choices=[f.value for f in GeneratedReport.Format],
            help="pdf, docx or html; by default, the --out file's ending.",
        )
        annual_parser.add_argument("--out", required=True, help="The file to write.")

    def handle(self, *args, **options) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist.")
        ending = out.suffix.lstrip(".").lower()
        fmt = options["format"] or ending
        if fmt not in GeneratedReport.Format.values:
            raise CommandError("Give --format pdf, docx or html (or an --out file ending in one).")
        if ending and ending != fmt:
            raise CommandError(f"--out {out.name} ends in .{ending} but --format is {fmt}.")
        try:
            year_ending = date.fromisoformat(options["year_ending"])
        except ValueError:
            raise CommandError(
                f"--year-ending {options['year_ending']!r} is not a date: write it as YYYY-MM-DD."
            ) from None
        matches = Strategy.objects.filter(slug=options["strategy"])
        if matches.count() != 1:
            known = ", ".join(Strategy.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No single strategy is called {options['strategy']!r}. Known: {known or 'none'}."
            )
        try:
            content = generation.make(matches.get(), year_ending, fmt)
        except annual.ReportError as error:
            raise CommandError(str(error)) from None
        out.write_bytes(content)
        self.stdout.write(f"Wrote {out} ({len(content):,} bytes).")
