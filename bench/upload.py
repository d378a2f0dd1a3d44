"""Benchmark: a 10,000-row upload must validate and save in under 5 seconds.

Run on a throwaway PostgreSQL (it makes, and drops, its own test database with
Django's test-database tools, so it never touches real data):

    scripts/with-throwaway-postgres .venv/bin/python bench/upload.py

The scenario is a CSP analyst loading ten years of history at once: 25 agencies,
each reporting 4 monthly measures, 100 months each: 10,000 rows going into 850
returns. Also timed: the same file again, and one with about 1,000 comments
changed. Each timing is read + validate + apply, committed, from a fresh state
(the run's figures, returns and audit records deleted, or loaded, beforehand and
untimed); the figure is the median of 3 runs. The reference is the parser's floor:
DuckDB's read_csv of the same file (Python's csv module where DuckDB is not installed;
harness.csv_floor). Each figure also goes to `make bench`'s table (harness.result); the
exit status is 3 if one misses its target.
"""

import csv
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import harness  # first: sets Django up for the imports below
from django.db import connection
from django.test.utils import setup_test_environment

TARGET_SECONDS = 5.0
RUNS = 3
AGENCIES = 25
MEASURES_PER_AGENCY = 4
FIRST_MONTH = date(2015, 4, 1)
MONTHS = 100


def build():
    from saferhub.access.roles import Role
    from saferhub.partnership.models import Agency, Partnership, User
    from saferhub.partnership.services import assign_roles
    from saferhub.strategy.models import Measure, Priority, Strategy
    from saferhub.strategy.periods import Period, PeriodType

    partnership = Partnership.objects.create(name="Bench", area="Bench")
    agencies = [
        Agency.objects.create(
            partnership=partnership, code=f"agency-{i}", name=f"Agency {i}", kind="council"
        )
        for i in range(AGENCIES)
    ]
    analyst = User.objects.create(username="analyst", agency=agencies[0])
    analyst.set_unusable_password()
    analyst.save()
    assign_roles(analyst, [Role.CSP_ANALYST])
    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Ten years",
        slug="ten-years",
        starts_on=date(2015, 4, 1),
        ends_on=date(2025, 3, 31),
    )
    priority = Priority.objects.create(
        strategy=strategy, number=1, title="Everything", lead_agency=agencies[0]
    )
    measures = [
        Measure.objects.create(
            priority=priority,
            code=f"m-{agency.code}-{j}",
            name=f"Measure {j} of {agency.code}",
            definition="x",
            unit=Measure.Unit.COUNT,
            direction=Measure.Direction.UP,
            period_type=PeriodType.MONTHLY,
            reporting_agency=agency,
        )
        for agency in agencies
        for j in range(MEASURES_PER_AGENCY)
    ]
    months = Period(FIRST_MONTH, PeriodType.MONTHLY)
    periods = [months.shifted(i).code for i in range(MONTHS)]
    rng = random.Random(2025)  # noqa: S311 (test data, not secrets)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["measure_code", "period", "agency", "value", "comment"])
    for measure in measures:
        for code in periods:
            comment = "checked against the crime system" if rng.random() < 0.1 else ""
            writer.writerow(
                [measure.code, code, measure.reporting_agency.code, rng.randint(0, 5000), comment]
            )
    return strategy, analyst, out.getvalue().encode("utf-8")


def clean():
    from saferhub.audit.append_only import maintenance
    from saferhub.audit.models import AuditEvent
    from saferhub.strategy.models import MeasureValue, PartnerReturn

    MeasureValue.objects.all().delete()
    PartnerReturn.objects.all().delete()
    with maintenance():  # a throwaway database: the benchmark starts each run afresh
        AuditEvent._base_manager.all().delete()


def timed(function, setup=clean) -> float:
    """Median seconds of RUNS calls of function, each after setup (untimed)."""
    times = []
    for _ in range(RUNS):
        if setup:
            setup()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    from saferhub.strategy import returns, spreadsheet, upload
    from saferhub.strategy.models import MeasureValue

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; run it under scripts/with-throwaway-postgres")
    strategy, analyst, data = build()
    rows = data.count(b"\r\n") - 1

    def parse_floor():
        list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))

    def full_upload():
        counts = upload.load(strategy, analyst, io.BytesIO(data))
        assert counts.changed == rows, counts

    def read_and_validate():
        checked, problems = upload.validate(
            strategy, analyst, spreadsheet.read_table(io.BytesIO(data))
        )
        assert not problems, problems[:3]

    def same_again():
        counts = upload.load(strategy, analyst, io.BytesIO(data))
        assert counts.changed == 0 and counts.unchanged == rows, counts

    def through_save_figures():
        """For comparison: the same figures through returns.save_figures, per return."""
        checked, _ = upload.validate(strategy, analyst, spreadsheet.read_table(io.BytesIO(data)))
        for key, figures in checked.by_return.items():
            partner_return = returns.return_for(
                strategy, checked.agencies[key[0]], upload.key_quarter(key)
            )
            returns.save_figures(
                partner_return, analyst, figures, partner_return.version, MeasureValue.Entry.UPLOAD
            )

    changed_data = data.replace(b",checked", b",re-checked")  # about 1,000 comments change

    def loaded():
        clean()
        full_upload()

    def some_changed():
        counts = upload.load(strategy, analyst, io.BytesIO(changed_data))
        assert 0 < counts.changed < rows, counts

    python_csv = timed(parse_floor, setup=None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "figures.csv"
        path.write_bytes(data)
        floor_name, floor = harness.csv_floor(path)
    results = [
        ("read + validate + apply, new figures", timed(full_upload)),
        ("read + validate only", timed(read_and_validate)),
        ("the same file again (0 changed)", timed(same_again, setup=loaded)),
        ("~1,000 figures revised, the rest the same", timed(some_changed, setup=loaded)),
        ("reference: per-return save_figures", timed(through_save_figures)),
    ]
    database = harness.database()
    size = (
        f"{rows:,} rows, {len(data) / 1024:.0f} KiB CSV, {AGENCIES} agencies, "
        f"{AGENCIES * MEASURES_PER_AGENCY} measures"
    )
    print(f"\n{size}; median of {RUNS} runs on {database}")
    print(f"Machine: {harness.machine()}")
    print(f"parse floor: {floor_name} {floor:.4f} s; Python csv module {python_csv:.3f} s")
    print()
    header = f"{'case':<42} {'median s':>9} {'target s':>9} {'x floor':>8} {'verdict':>8}"
    print(header)
    print("-" * len(header))
    for name, seconds in results:
        target = None if name.startswith("reference") else TARGET_SECONDS
        verdict = "" if target is None else ("ok" if seconds < target else "TOO SLOW")
        target_text = "-" if target is None else f"{target:.1f}"
        print(f"{name:<42} {seconds:>9.3f} {target_text:>9} {seconds / floor:>8.0f} {verdict:>8}")
        harness.result(
            "upload",
            name.replace("reference: ", "for comparison: "),
            seconds,
            "s",
            target=target,
            reference=floor_name,
            reference_value=floor,
            data=size,
            database_text=database,
            detail=f"median of {RUNS}",
        )


if __name__ == "__main__":
    setup_test_environment()
    with harness.throwaway_database():
        main()
    sys.exit(harness.exit_status())
