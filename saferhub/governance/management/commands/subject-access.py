"""`saferhub subject-access --person ID --output FILE.zip`: a victim's subject access copy."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.governance import subject_access
from saferhub.safeguarding.models import Person


class Command(BaseCommand):
    help = (
        "Write everything held about one person (as a victim) to a ZIP of a PDF and JSON, "
        "marked OFFICIAL-SENSITIVE, other people's data withheld. The production is logged. "
        "An alleged perpetrator's copy is made on the web page, which matches them by name "
        "and date of birth."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--person", type=int, required=True, help="The person's id.")
        parser.add_argument("--output", required=True, help="The ZIP file to write.")

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output {output}: the folder {output.parent} does not exist.")
        person = Person.objects.filter(pk=options["person"]).select_related("partnership").first()
        if person is None:
            raise CommandError(f"--person {options['person']}: no such person.")
        made = subject_access.produce_for_person(None, person)
        output.write_bytes(made.content)
        self.stdout.write(
            f"Wrote {output} ({len(made.content):,} bytes), {subject_access.MARKING}. "
            f"SHA-256 {made.sha256}."
        )
