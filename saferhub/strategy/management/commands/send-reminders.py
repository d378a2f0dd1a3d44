from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from saferhub.strategy.reminders import OVERDUE_WINDOW_DAYS, send_reminders


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a date: write it like 2026-11-25.") from None


class Command(BaseCommand):
    help = (
        "E-mail agency leads about returns falling due and overdue (due in the last "
        f"{OVERDUE_WINDOW_DAYS} days), and owners about overdue actions. Safe to run as often "
        "as you like, e.g. daily: a reminder is never sent twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date",
            type=_day,
            default=None,
            help="Send what was due on this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, **options) -> None:
        summary = send_reminders(options["date"])
        self.stdout.write(str(summary))
        if summary.failed:
            raise CommandError("Some reminders could not be sent: see the log.")
