"""What every benchmark shares: Django set up on the project's settings, a throwaway
database (never real data), a line naming the database and the machine, and the figures
written for `make bench` (bench/suite.py) as JSON lines.

Run a benchmark as `.venv/bin/python bench/NAME.py`, under
`scripts/with-throwaway-postgres` for PostgreSQL, or all of them with `make bench`.

Each script prints its own table and also calls result() once per figure: when the
environment variable BENCH_RESULTS names a file, the figure is appended to it as one JSON
line (figure, value, unit, target, reference and its value, data, database, machine).
A script exits with exit_status(): 0 when every target was met, TARGET_MISSED when one
was not (any other status is a failure of the script itself).
"""

import json
import os
import platform
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

RESULTS_VARIABLE = "BENCH_RESULTS"
TARGET_MISSED = 3  # exit status: the script ran, and a figure missed its target
_missed: list[str] = []


@contextmanager
def throwaway_database():
    """A fresh test database for the run, dropped afterwards."""
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


@contextmanager
def generated_data_set(scale: str):
    """A throwaway database filled by `saferhub generate --scale SCALE --seed 1`, with fresh
    planner statistics; yields the seconds the generation took."""
    from django.core.management import call_command

    with throwaway_database():
        started = time.perf_counter()
        call_command("generate", scale=scale, seed=1, verbosity=0, stdout=sys.stderr)
        took = time.perf_counter() - started
        if connection.vendor == "postgresql":
            connection.cursor().execute("ANALYZE")
        yield took


def measure_on_data_set(title: str, options, measure) -> None:
    """`measure(options)` on the data already in the configured database (`--existing`), or
    on a generated data set of `options.scale` in a throwaway database."""
    if options.existing is not None:
        print(f"{title} on the data in the configured database")
        measure(options)
    else:
        with generated_data_set(options.scale) as load:
            print(f"{title}, {options.scale} data set ({load:.0f} s to generate)")
            measure(options)


def partnership_measured(existing: str | None):
    """The partnership a benchmark on generated data measures: the one named (`--existing
    NAME`), else the one with the most referrals."""
    from django.db.models import Count

    from saferhub.partnership.models import Partnership

    if existing:
        return Partnership.objects.get(name=existing)
    return Partnership.objects.annotate(cases=Count("referrals")).order_by("-cases").first()


def sign_in(client, user) -> None:
    """Sign `user` in on Django's test client, both steps: the password step as
    force_login does it and, where the project has the second step (django-otp), a
    session verified by the user's authenticator (one is made for a user without)."""
    from django.apps import apps

    client.force_login(user)
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def database() -> str:
    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    return f"PostgreSQL {version} (database {size})"


def machine() -> str:
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}; load average {load}"
    )


def result(
    benchmark: str,
    figure: str,
    value: float,
    unit: str,
    *,
    target: float | None = None,
    reference: str | None = None,
    reference_value: float | None = None,
    data: str = "",
    database_text: str | None = None,
    detail: str = "",
) -> bool:
    """One figure of a benchmark (lower is better; `target` is the bound it must stay
    under, `reference` the floor measured in the same run, in the same unit). Appended to
    the BENCH_RESULTS file when that is set; returns whether the target was met."""
    met = target is None or value < target
    if not met:
        _missed.append(f"{benchmark}: {figure}")
    path = os.environ.get(RESULTS_VARIABLE)
    if path:
        line = {
            "benchmark": benchmark,
            "figure": figure,
            "value": value,
            "unit": unit,
            "target": target,
            "reference": reference,
            "reference_value": reference_value,
            "data": data,
            "database": database_text if database_text is not None else database(),
            "machine": machine(),
            "detail": detail,
        }
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
    return met


def exit_status() -> int:
    """0 if every figure recorded by result() met its target, else TARGET_MISSED."""
    if _missed:
        print("Missed targets: " + "; ".join(_missed))
        return TARGET_MISSED
    return 0


def csv_floor(path: Path, runs: int = 3) -> tuple[str, float]:
    """The parser's floor for an import: the best of `runs` reads of the whole file into
    memory (every column as text) by DuckDB's read_csv, or by Python's csv module where
    DuckDB is not installed. Returns (what read it, seconds)."""
    import time

    try:
        import duckdb
    except ImportError:
        duckdb = None
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        if duckdb is not None:
            with duckdb.connect() as db:  # in memory: nothing kept between runs
                db.execute(
                    "CREATE TABLE parsed AS SELECT * FROM read_csv(?, header = true, "
                    "all_varchar = true)",
                    [str(path)],
                )
        else:
            import csv

            with path.open(encoding="utf-8-sig", newline="") as file:
                for _ in csv.reader(file):
                    pass
        times.append(time.perf_counter() - started)
    return ("DuckDB read_csv" if duckdb is not None else "Python csv module", min(times))
