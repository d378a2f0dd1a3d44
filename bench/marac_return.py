"""Benchmark: the SafeLives MARAC return for a year must compute in under 1 s with
1,000,000 people and 200,000 referrals on PostgreSQL.

    scripts/with-throwaway-postgres .venv/bin/python bench/marac_return.py
    .venv/bin/python bench/marac_return.py --referrals 20000 --people 100000   # quick

It makes, and drops, its own test database and fills it with bulk_create (untimed):
`--people` victims and `--referrals` referrals over two financial years (2022/23 and
2023/24), about 94% heard at a meeting within a fortnight, a third of them repeats, one
perpetrator each (one in ten with two), dates of birth unknown for some. The figure is
marac_return.build for 2023/24 (about half the referrals), the median of RUNS after a
warm-up. The reference is the floor for touching the same rows at all: a raw SQL
COUNT(*) of the cases heard in the year, on the same index. Reads only: the export's
audit record is not part of the figure.

`--existing [NAME]` reads the partnership called NAME (by default the one with the most
referrals) in the configured database instead, read-only, for the year to the last day a
case was heard: `make bench` runs it on the `region` data set it generates once for every
benchmark that needs it. The figure also goes to `make bench`'s table (harness.result);
the exit status is 3 if it misses its target.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta

import harness  # first: sets Django up for the imports below
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, setup_test_environment

TARGET_SECONDS = 1.0
RUNS = 5
FIRST_DAY = date(2022, 4, 1)
DAYS = 731  # to 31 March 2024
YEAR = (date(2023, 4, 1), date(2024, 3, 31))
BATCH = 5000
ETHNICITIES = (
    ["white_british"] * 80
    + ["not_known"] * 4
    + [
        "white_other",
        "white_irish",
        "asian_pakistani",
        "asian_indian",
        "asian_bangladeshi",
        "black_african",
        "black_caribbean",
        "mixed_white_black_caribbean",
        "mixed_white_asian",
        "other_any",
        "other_arab",
        "white_roma",
        "asian_chinese",
        "black_other",
        "mixed_other",
        "asian_other",
    ]
)
SECTOR_WEIGHTS = {  # roughly SafeLives' national shares: police refer about two in three
    "police": 64,
    "idva": 10,
    "childrens_social_care": 6,
    "adult_social_care": 1,
    "health": 5,
    "mental_health": 2,
    "substance_misuse": 1,
    "housing": 3,
    "probation": 2,
    "education": 1,
    "voluntary_sector": 3,
    "other": 2,
}


def _dob(rng: random.Random, on: date, low: int, high: int, unknown: float) -> date | None:
    if rng.random() < unknown:
        return None
    return on - timedelta(days=rng.randint(low * 365, high * 365))


def build_data(people: int, referrals: int):
    """The partnership, its agencies, and the people, referrals and perpetrators."""
    from saferhub.partnership.models import Agency, Partnership, User
    from saferhub.safeguarding.models import AreaSettings, Perpetrator, Person, Referral

    rng = random.Random(2025)  # noqa: S311 (test data, not secrets)
    partnership = Partnership.objects.create(name="Bench", area="Bench")
    AreaSettings.objects.create(partnership=partnership, adult_female_population=330_000)
    agencies = {
        code: Agency.objects.create(
            partnership=partnership, code=code[:20], name=code, kind="council", marac_sector=code
        )
        for code in SECTOR_WEIGHTS
    }
    officer = User.objects.create(username="officer", agency=agencies["police"])

    started = time.perf_counter()
    genders = ["female"] * 93 + ["male"] * 6 + ["non_binary"]
    yes_no = ["no"] * 80 + ["yes"] * 8 + ["not_known"] * 12
    for first in range(0, people, BATCH):
        Person.objects.bulk_create(
            [
                Person(
                    partnership=partnership,
                    given_name=f"G{n}",
                    family_name=f"F{n}",
                    date_of_birth=_dob(rng, date(2023, 1, 1), 16, 80, 0.1),
                    gender=rng.choice(genders),
                    ethnicity=rng.choice(ETHNICITIES),
                    lgbt=rng.choice(yes_no),
                    disabled=rng.choice(yes_no),
                    folded_given=f"g{n}",
                    folded_family=f"f{n}",
                    given_sound="G000",
                    family_sound="F000",
                )
                for n in range(first, min(first + BATCH, people))
            ],
            batch_size=BATCH,
        )
    person_ids = list(Person.objects.values_list("pk", flat=True))
    sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    for first in range(0, referrals, BATCH):
        batch = []
        for _ in range(first, min(first + BATCH, referrals)):
            referred_on = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            sector = rng.choices(sectors, weights)[0]
            roll = rng.random()
            status = "not_eligible" if roll < 0.04 else "referred" if roll < 0.06 else "open"
            heard_on = referred_on + timedelta(days=rng.randint(0, 14))
            batch.append(
                Referral(
                    partnership=partnership,
                    victim_id=rng.choice(person_ids),
                    referred_on=referred_on,
                    referring_agency=agencies[sector],
                    marac_sector=sector,
                    referring_officer=officer,
                    children_in_household=rng.choice([0, 0, 1, 1, 2, 3]),
                    victim_informed=True,
                    victim_consented=True,
                    police_incidents=rng.randint(0, 5),
                    dash_source="victim",
                    professional_judgement=False,
                    dash_score=rng.randint(14, 24),
                    visible_high_risk=True,
                    potential_escalation=False,
                    is_repeat=rng.random() < 0.3,
                    status=status,
                    reassessment_due=referred_on + timedelta(weeks=8),
                    heard_on=heard_on if status == "open" else None,
                )
            )
        made = Referral.objects.bulk_create(batch, batch_size=BATCH)
        perpetrators = []
        for referral in made:
            for _ in range(2 if rng.random() < 0.1 else 1):
                perpetrators.append(
                    Perpetrator(
                        referral_id=referral.pk,
                        given_name="P",
                        family_name="Q",
                        date_of_birth=_dob(rng, referral.referred_on, 15, 70, 0.2),
                        gender="male",
                        folded_name="pq",
                    )
                )
        Perpetrator.objects.bulk_create(perpetrators, batch_size=BATCH)
    seconds = time.perf_counter() - started
    print(f"Made {people:,} people and {referrals:,} referrals in {seconds:.0f} s")
    return partnership


def analyze() -> None:
    """Fresh planner statistics, as a database in use has."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _year_to(end: date) -> date:
    """The first day of the 12 months ending on `end`."""
    try:
        before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        before = date(end.year - 1, 2, 28)
    return before + timedelta(days=1)


def _median(job) -> float:
    job()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(partnership, start: date, end: date, label: str) -> bool:
    from saferhub.safeguarding import marac_return
    from saferhub.safeguarding.models import Referral

    with CaptureQueriesContext(connection) as captured:
        found = marac_return.build(partnership, start, end)
    figure = _median(lambda: marac_return.build(partnership, start, end))

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {Referral._meta.db_table} "  # noqa: S608 - our table name
                "WHERE partnership_id = %s AND heard_on BETWEEN %s AND %s "
                "AND status <> 'not_eligible'",
                [partnership.pk, start, end],
            )
            return cursor.fetchone()[0]

    assert reference() == found.cases_discussed
    floor = _median(reference)
    print(f"\n{label}; median of {RUNS} runs after a warm-up on {harness.database()}")
    print(f"Machine: {harness.machine()}")
    print(
        f"The return for {start} to {end}: {found.cases_discussed:,} cases, {len(captured)} queries"
    )
    header = f"{'case':<44} {'median s':>9} {'target s':>9} {'x ref':>7} {'verdict':>8}"
    print(header)
    print("-" * len(header))
    verdict = "ok" if figure < TARGET_SECONDS else "TOO SLOW"
    print(
        f"{'marac_return.build, one year':<44} {figure:>9.3f} {TARGET_SECONDS:>9.1f} "
        f"{figure / floor:>7.1f} {verdict:>8}"
    )
    print(f"{'reference: raw SQL COUNT(*) of the same rows':<44} {floor:>9.3f}")
    return harness.result(
        "marac_return",
        f"SafeLives return for a year, median of {RUNS}",
        figure,
        "s",
        target=TARGET_SECONDS,
        reference="raw SQL COUNT(*)",
        reference_value=floor,
        data=f"{label}; {found.cases_discussed:,} cases in the year",
        detail=f"{len(captured)} queries",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=200_000)
    parser.add_argument(
        "--existing",
        metavar="NAME",
        nargs="?",
        const="",
        help="Read this partnership (by default the one with the most referrals) in the "
        "configured database.",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; run it under scripts/with-throwaway-postgres")
    if options.existing is not None:
        from django.db.models import Count, Max

        from saferhub.partnership.models import Partnership

        if options.existing:
            partnership = Partnership.objects.get(name=options.existing)
        else:
            partnership = (
                Partnership.objects.annotate(cases=Count("referrals")).order_by("-cases").first()
            )
        end = partnership.referrals.aggregate(last=Max("heard_on"))["last"]
        if end is None:
            sys.exit(f"{partnership.name}: no case has been heard.")
        start = _year_to(end)
        count = partnership.referrals.count()
        people = partnership.people.count()
        label = f"{partnership.name}: {people:,} people, {count:,} referrals"
        ok = measure(partnership, start, end, label)
    else:
        setup_test_environment()
        with harness.throwaway_database():
            with transaction.atomic():
                partnership = build_data(options.people, options.referrals)
            analyze()
            label = f"{options.people:,} people, {options.referrals:,} referrals over two years"
            ok = measure(partnership, *YEAR, label)
    if not ok:
        sys.exit(harness.exit_status())


if __name__ == "__main__":
    main()
