import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from saferhub.partnership.demo import load_demo_partnership
from saferhub.partnership.models import Partnership
from saferhub.partnership.synthetic import Size, build_partnership

# (default partnership, its area, its agencies and users) for the scales that make their own.
PARTNERSHIPS = {
    "city": ("Safer Leeds (synthetic city)", "Leeds", Size(agencies=30, users=200)),
    "region": ("Safer West Yorkshire (synthetic region)", "West Yorkshire", Size(45, 600)),
}
# Ward measures in the strategy the scales that make their own partnership also get.
WARD_MEASURES = {"city": 500, "region": 500}


class Command(BaseCommand):
    help = (
        "Fill the database with plausible synthetic safeguarding data, the same for the same "
        "seed: demo (two years of the demo partnership's casework), city (Leeds-sized, five "
        "years: 30,000 referrals, 25,000 people, 30 agencies, 200 users, a strategy of 500 "
        "ward measures) or region (1,000,000 people, 200,000 referrals, the same strategy). "
        "Never in production."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=["demo", "city", "region"], required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--partnership",
            help="The partnership to fill (made for city and region if it does not exist; "
            "for demo, the demo partnership).",
        )
        parser.add_argument(
            "--end",
            type=date.fromisoformat,
            default=None,
            help="The last day of the data, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, **options) -> None:
        # Imported here: the safeguarding app builds on the partnership, not the other way.
        from saferhub.safeguarding import synthetic
        from saferhub.safeguarding.models import Referral

        if settings.PRODUCTION:
            raise CommandError("Synthetic data never goes into a production database.")
        scale = synthetic.SCALES[options["scale"]]
        seed, end = options["seed"], options["end"] or date.today()
        started = time.perf_counter()
        partnership = self._partnership(scale.name, options["partnership"], seed)
        if Referral.objects.filter(partnership=partnership).exists():
            raise CommandError(
                f"{partnership} already has referrals: generate into a partnership without "
                "any (or a fresh database)."
            )
        self.stdout.write(
            f"Generating {scale.name} data for '{partnership}' with seed {seed}: "
            f"{scale.referrals:,} referrals over the {scale.months} months to {end:%-d %B %Y}"
            + (f", at least {scale.people:,} people" if scale.people else "")
            + ". Planning..."
        )
        bar = _ProgressBar(self.stdout)
        try:
            written = synthetic.generate(
                partnership,
                end=end,
                months=scale.months,
                referrals=scale.referrals,
                seed=seed,
                people_at_least=scale.people,
                progress=bar,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        bar.finish()
        if options["scale"] in WARD_MEASURES:
            from saferhub.strategy.synthetic import build_ward_strategy

            self.stdout.write("Writing the strategy's ward measures, figures and targets...")
            written |= build_ward_strategy(
                partnership,
                end=end,
                months=scale.months,
                measures=WARD_MEASURES[options["scale"]],
                seed=seed,
            )
        for label, rows in written.items():
            self.stdout.write(f"  {label:<40} {rows:>10,}")
        self.stdout.write(synthetic.describe(partnership, loaded=True))
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")

    def _partnership(self, scale: str, name: str | None, seed: int) -> Partnership:
        if scale == "demo":
            if not name:
                return load_demo_partnership()
            found = Partnership.objects.filter(name=name).first()
            if found is None:
                raise CommandError(f"There is no partnership named '{name}'.")
            return found
        default, area, size = PARTNERSHIPS[scale]
        name = name or default
        if not Partnership.objects.filter(name=name).exists():
            self.stdout.write(
                f"Making partnership '{name}': {size.agencies} agencies, {size.users} users "
                "(with the demo's password)."
            )
        return build_partnership(name, area, size, seed)


class _ProgressBar:
    """Rows written so far, redrawn in place on a terminal, every tenth otherwise."""

    WIDTH = 30

    def __init__(self, out) -> None:
        self.out, self.shown = out, -1
        self.tty = out.isatty()
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        step = int(share * (100 if self.tty else 10))
        if step == self.shown:
            return
        self.shown = step
        filled = int(share * self.WIDTH)
        elapsed = time.perf_counter() - self.started
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%}  "
            f"{done:,} of {total:,} rows  {elapsed:.0f} s"
        )
        self.out.write(line, ending="\r" if self.tty else "\n")
        self.out.flush()

    def finish(self) -> None:
        if self.tty:
            self.out.write("")
