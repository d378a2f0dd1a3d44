"""Benchmark: importing 100,000 rows of referral history must take under 60 seconds.

Run on a throwaway PostgreSQL (it makes, and drops, its own test database with Django's
test-database tools, so it never touches real data):

    scripts/with-throwaway-postgres .venv/bin/python bench/import_referrals.py [ROWS]

The file is synthetic and the same every run (a fixed seed): nine years of referrals
of plausible names and dates, a byte-order mark and Windows line endings as Excel writes
them, about 30% repeats (the same victim and perpetrator again within a year), 85% heard at
a MARAC, written to a temporary folder. Timed: the whole import (read, check, save, commit)
into an empty partnership; then the same file again, which must create nothing. The
reference floor is DuckDB's read_csv of the same file (harness.csv_floor; Python's csv
module where DuckDB is not installed, and printed beside it either way). Also printed:
the process's peak memory. Each figure also goes to `make bench`'s table
(harness.result); the exit status is 3 if one misses its target.
"""

import csv
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import harness  # first: sets Django up for the imports below
from django.db import connection
from django.test.utils import setup_test_environment

TARGET_SECONDS = 60.0
ROWS = 100_000
FIRST_DAY = date(2016, 1, 1)
DAYS = 9 * 365
REPEAT_SHARE = 0.30
HEARD_SHARE = 0.85


def _names(text: str) -> list[str]:
    return text.split()


GIVEN_F = _names(
    "Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Willow Freya Florence "
    "Emily Ella Poppy Evie Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Sophie Alice "
    "Harper Matilda Ruby Emilia Maya Millie Isabelle Esme Eva Bonnie Layla Chloe Hannah "
    "Jessica Zoë Aisha Fatima Maryam Zainab Amira Priya Anjali Niamh Siobhán Aoife Chiara "
    "Kerry-Ann Leanne Danielle Stacey Kayleigh Gemma Michelle Joanne Tracey Sharon Karen"
)
GIVEN_M = _names(
    "Oliver George Noah Arthur Harry Leo Muhammad Jack Charlie Oscar Jacob Henry Thomas "
    "Freddie Alfie Theo William Theodore Archie Joshua Alexander James Isaac Edward Lucas "
    "Tommy Finley Max Logan Ethan Mohammed Teddy Benjamin Arlo Joseph Sebastian Dylan Adam "
    "Elijah Samuel Lee Dean Wayne Darren Craig Jamie Ryan Liam Connor Kieran Shane Gary"
)
FAMILY = _names(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson "
    "Evans Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner "
    "Martin Cooper Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris "
    "Khan Scott Watson Davis Parker James Bennett Young Phillips Richardson Mitchell Bailey "
    "Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall "
    "Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray "
    "Richards Webb Griffiths Hunt Palmer Campbell Holmes Mills Rogers Barnes Knight Matthews "
    "Barker Powell Stevens Kaur Fisher Butler Dixon Russell Harvey Pearson Graham O'Brien "
    "Smith-Jones Ní Bhriain Nowak Kowalski Okafor Mensah Achterberg Dubois Rossi Novák"
)
ETHNICITIES = [
    ("white_british", 72),
    ("white_other", 6),
    ("white_irish", 1),
    ("white_gypsy_irish_traveller", 1),
    ("mixed_white_black_caribbean", 2),
    ("mixed_other", 1),
    ("asian_pakistani", 5),
    ("asian_indian", 2),
    ("asian_bangladeshi", 1),
    ("black_african", 3),
    ("black_caribbean", 1),
    ("other_arab", 1),
    ("not_known", 4),
]
SECTORS = [
    ("police", 62),
    ("idva", 10),
    ("childrens_social_care", 6),
    ("health", 6),
    ("mental_health", 2),
    ("housing", 4),
    ("probation", 2),
    ("voluntary_sector", 4),
    ("adult_social_care", 1),
    ("substance_misuse", 1),
    ("education", 1),
    ("other", 1),
]
POSTCODE_DISTRICTS = [f"LS{n}" for n in range(1, 29)]


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _born(rng: random.Random, low: int, high: int, blank_share: float) -> str:
    if rng.random() < blank_share:
        return ""
    return (date(2024, 1, 1) - timedelta(days=rng.randint(low * 365, high * 365))).isoformat()


def write_csv(path: Path, rows: int = ROWS, seed: int = 2026) -> None:
    """A deterministic file of `rows` referrals in the importer's columns."""
    from saferhub.safeguarding.import_file import COLUMNS

    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    recent: list[tuple[date, list[str]]] = []  # (date, victim and perpetrator cells)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for number in range(rows):
            day = FIRST_DAY + timedelta(days=number * DAYS // rows)
            while recent and (day - recent[0][0]).days > 330:
                recent.pop(0)
            if recent and rng.random() < REPEAT_SHARE:
                people = list(rng.choice(recent)[1])
            else:
                female = rng.random() < 0.93
                victim_given = rng.choice(GIVEN_F if female else GIVEN_M)
                people = [
                    victim_given,
                    rng.choice(FAMILY),
                    _born(rng, 17, 70, 0.05),
                    f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randint(1, 9)}"
                    f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                    "female" if female else "male",
                    _weighted(rng, ETHNICITIES),
                    rng.choices(["no", "yes", "not_known"], weights=[90, 3, 7])[0],
                    rng.choices(["no", "yes", "not_known"], weights=[80, 10, 10])[0],
                    rng.choice(GIVEN_M if female else GIVEN_F),
                    rng.choice(FAMILY),
                    _born(rng, 16, 70, 0.2),
                    "male" if female else "female",
                ]
            recent.append((day, people))
            yes = min(24, max(0, int(rng.gauss(13, 5))))
            answers = ["yes"] * yes + ["no"] * (24 - yes)
            rng.shuffle(answers)
            answers[rng.randrange(24)] = "not_known"
            judgement = rng.random() < 0.1
            heard = rng.random() < HEARD_SHARE
            writer.writerow(
                [
                    f"LDS-{number + 1:07d}",
                    day.isoformat(),
                    _weighted(rng, SECTORS),
                    *people[:8],
                    *people[8:],
                    rng.choices([0, 1, 2, 3, 4], weights=[35, 25, 20, 12, 8])[0],
                    *answers,
                    rng.choices([0, 1, 2, 3, 4, 5, 6], weights=[30, 25, 15, 12, 8, 6, 4])[0],
                    "yes" if judgement else "no",
                    'Escalating coercive control, "no way out"\nsaid the victim'
                    if judgement
                    else "",
                    (day + timedelta(days=rng.randint(1, 28))).isoformat() if heard else "",
                ]
            )


def build():
    from saferhub.access.roles import Role
    from saferhub.partnership.models import Agency, Partnership, User
    from saferhub.partnership.services import assign_roles

    partnership = Partnership.objects.create(name="Bench", area="Bench")
    for sector, _ in SECTORS:
        Agency.objects.create(
            partnership=partnership,
            code=sector.replace("_", "-")[:20],
            name=f"Bench {sector}",
            kind=Agency.Kind.OTHER_PUBLIC,
            marac_sector=sector,
        )
    coordinator = User.objects.create(
        username="coordinator", agency=Agency.objects.get(partnership=partnership, code="other")
    )
    coordinator.set_unusable_password()
    coordinator.save()
    assign_roles(coordinator, [Role.MARAC_COORDINATOR])
    return coordinator


def parse_floor(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as file:
        for _ in csv.reader(file):
            pass
    return time.perf_counter() - started


def main(rows: int) -> None:
    from saferhub.safeguarding.importing import import_referrals
    from saferhub.safeguarding.models import Referral

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; run it under scripts/with-throwaway-postgres")
    coordinator = build()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "referrals.csv"
        started = time.perf_counter()
        write_csv(path, rows)
        written = time.perf_counter() - started
        size = path.stat().st_size
        python_csv = parse_floor(path)
        floor_name, floor = harness.csv_floor(path)
        data = path.read_bytes()

    started = time.perf_counter()
    first = import_referrals(coordinator, data)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = import_referrals(coordinator, data)
    seconds_again = time.perf_counter() - started
    repeats = Referral.objects.filter(is_repeat=True).count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    database = harness.database()
    data_text = f"{rows:,} rows, {size / 1_048_576:.1f} MiB CSV"
    print(f"\n{data_text} (written in {written:.1f} s); on {database}")
    print(f"Machine: {harness.machine()}")
    print(f"first import: {first}")
    print(f"  repeats found: {repeats:,} ({repeats / max(first.referrals, 1):.0%})")
    print(f"second import: {again}")
    print(f"parse floor: {floor_name} {floor:.3f} s; Python csv module {python_csv:.3f} s")
    print()
    header = f"{'case':<34} {'seconds':>8} {'target s':>9} {'x floor':>12} {'verdict':>8}"
    print(header)
    print("-" * len(header))
    for name, figure, target in (
        ("import (read, check, save)", seconds, TARGET_SECONDS),
        ("the same file again (0 created)", seconds_again, TARGET_SECONDS),
    ):
        verdict = "ok" if figure < target else "TOO SLOW"
        print(f"{name:<34} {figure:>8.2f} {target:>9.1f} {figure / floor:>12.0f} {verdict:>8}")
        harness.result(
            "import_referrals",
            name,
            figure,
            "s",
            target=target,
            reference=floor_name,
            reference_value=floor,
            data=data_text,
            database_text=database,
            detail=f"Python csv module {python_csv:.2f} s",
        )
    print(f"\npeak memory of the process: {peak:,.0f} MiB")
    harness.result(
        "import_referrals",
        "peak memory of the process",
        peak,
        "MB",
        data=data_text,
        database_text=database,
    )
    assert first.referrals == rows and again.referrals == 0, (first, again)


if __name__ == "__main__":
    setup_test_environment()
    with harness.throwaway_database():
        main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
    sys.exit(harness.exit_status())
