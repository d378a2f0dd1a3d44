"""Benchmark: the executive overview and a priority page must render in under 150 ms.

Run on a throwaway PostgreSQL:

    scripts/with-throwaway-postgres .venv/bin/python bench/dashboards.py

It never touches real data: it makes its own test database next to the one
DATABASE_URL names (Django's test-database tools, "test_" + its name), fills it,
and drops it at the end, whatever happens.

The data: a ten-year strategy (April 2015 to March 2025) with 9 priorities and
30 agencies; 500 monthly measures, each with ten years of approved monthly
figures (60,000 values in 1,200 approved returns) and monthly targets for the
last three years; 10 formula measures over them and 1 derived measure; 90
actions, some overdue; outcomes and alignment with an external plan.

Each figure is server time through Django's test client (all middleware, the
view, the template; no network), signed in as a board member, the median of 20
requests after 2 warm-ups. Django's test environment is not set up, so templates
render as in production (its instrumented renderer sends a signal per template,
which the test client copies the context for: several times slower on pages that
include a template in a loop). The reference is the sign-in page (GET, anonymous):
the framework's floor for a page with the same layout. The query count is of
one request. Each figure also goes to `make bench`'s table (harness.result); the exit
status is 3 if one misses its target.
"""

import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import harness  # first: sets Django up for the imports below
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

TARGET_MS = 150.0
RUNS = 20
WARM_UPS = 2
AGENCIES = 30
PRIORITIES = 9
MEASURES = 500
FORMULAS = 10
FIRST_MONTH = date(2015, 4, 1)
MONTHS = 120
TARGET_MONTHS = 36


def build():
    from saferhub.access.roles import Role
    from saferhub.partnership.models import Agency, Partnership, User
    from saferhub.partnership.services import assign_roles
    from saferhub.strategy.models import (
        Action,
        ExternalObjective,
        ExternalPlan,
        Measure,
        MeasureValue,
        Outcome,
        PartnerReturn,
        Priority,
        Strategy,
        Target,
    )
    from saferhub.strategy.periods import Period, PeriodType

    partnership = Partnership.objects.create(name="Safer Bench", area="Bench")
    agencies = Agency.objects.bulk_create(
        Agency(partnership=partnership, code=f"agency-{i}", name=f"Agency {i}", kind="council")
        for i in range(AGENCIES)
    )
    # No passwords: the benchmark signs them in with harness.sign_in.
    board = User.objects.create_user(username="board", agency=agencies[0])
    assign_roles(board, [Role.BOARD_MEMBER])
    analyst = User.objects.create_user(username="analyst", agency=agencies[0])
    assign_roles(analyst, [Role.CSP_ANALYST])

    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Safer Bench 2015-25",
        slug="2015-25",
        ambition="Everyone is safe.",
        starts_on=FIRST_MONTH,
        ends_on=date(2025, 3, 31),
    )
    priorities = Priority.objects.bulk_create(
        Priority(
            strategy=strategy,
            number=n + 1,
            title=f"Priority {n + 1}",
            lead_agency=agencies[n % AGENCIES],
            lead_officer=analyst,
        )
        for n in range(PRIORITIES)
    )
    Outcome.objects.bulk_create(
        Outcome(priority=p, order=i, text=f"Outcome {i} of {p.number}")
        for p in priorities
        for i in range(3)
    )
    plan = ExternalPlan.objects.create(partnership=partnership, title="Police and Crime Plan")
    objectives = ExternalObjective.objects.bulk_create(
        ExternalObjective(plan=plan, code=f"PCP{i}", title=f"Objective {i}") for i in range(6)
    )
    for p in priorities:
        p.aligned_objectives.add(objectives[p.number % 6], objectives[(p.number + 1) % 6])

    def measure(i: int, **extra) -> Measure:
        priority = priorities[i % PRIORITIES]
        return Measure(
            strategy=strategy,
            priority=priority,
            code=extra.pop("code", f"m{i:03d}"),
            name=extra.pop("name", f"Measure {i}"),
            definition="A benchmark measure.",
            unit=extra.pop("unit", Measure.Unit.COUNT),
            direction=Measure.Direction.DOWN if i % 2 else Measure.Direction.UP,
            period_type=extra.pop("period_type", PeriodType.MONTHLY),
            reporting_agency=extra.pop("reporting_agency", agencies[i % AGENCIES]),
            is_headline=i < PRIORITIES * 3,
            **extra,
        )

    submitted = Measure.objects.bulk_create(measure(i) for i in range(MEASURES))
    Measure.objects.bulk_create(
        measure(
            i,
            code=f"rate{i}",
            name=f"Rate {i}",
            unit=Measure.Unit.PERCENTAGE,
            source=Measure.Source.FORMULA,
            numerator=submitted[i],
            denominator=submitted[i + PRIORITIES],
            factor=Decimal(100),
            reporting_agency=agencies[0],
        )
        for i in range(FORMULAS)
    )
    Measure.objects.bulk_create(
        [
            measure(
                0,
                code="overdue-actions",
                name="Overdue actions",
                source=Measure.Source.DERIVED,
                derived_key="strategy.actions_overdue",
                period_type=PeriodType.QUARTERLY,
            )
        ]
    )

    months = [Period(FIRST_MONTH, PeriodType.MONTHLY).shifted(i) for i in range(MONTHS)]
    quarters = sorted({Period.containing(m.start, PeriodType.QUARTERLY).start for m in months})
    returns = PartnerReturn.objects.bulk_create(
        PartnerReturn(
            strategy=strategy,
            agency=agency,
            quarter_start=quarter,
            status=PartnerReturn.Status.APPROVED,
        )
        for agency in agencies
        for quarter in quarters
    )
    by_key = {(r.agency_id, r.quarter_start): r for r in returns}
    quarter_of = {m.start: Period.containing(m.start, PeriodType.QUARTERLY).start for m in months}
    batch = []
    for m in submitted:
        base = 100 + m.id % 400
        for i, month in enumerate(months):
            batch.append(
                MeasureValue(
                    measure=m,
                    period_start=month.start,
                    value=Decimal(base + (i * 7 + m.id) % 50),
                    partner_return=by_key[(m.reporting_agency_id, quarter_of[month.start])],
                    entered_by=analyst,
                )
            )
        if len(batch) >= 20_000:
            MeasureValue.objects.bulk_create(batch)
            batch = []
    MeasureValue.objects.bulk_create(batch)
    Target.objects.bulk_create(
        Target(measure=m, period_start=month.start, value=Decimal(100 + m.id % 400 + 25))
        for m in submitted
        for month in months[-TARGET_MONTHS:]
    )
    Action.objects.bulk_create(
        Action(
            priority=p,
            title=f"Action {i} of priority {p.number}",
            owning_agency=agencies[i % AGENCIES],
            owner=analyst,
            due_on=date(2023, 1, 1) + timedelta(days=73 * i),
            status=Action.Status.DONE if i % 3 == 0 else Action.Status.ON_TRACK,
            completed_on=date(2023, 1, 1) if i % 3 == 0 else None,
        )
        for p in priorities
        for i in range(10)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    return strategy, board


def _median_ms(client: Client, url: str) -> float:
    for _ in range(WARM_UPS):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def main() -> None:
    from saferhub.strategy.models import Action, Measure, MeasureValue, PartnerReturn, Target

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; run it under scripts/with-throwaway-postgres")
    started = time.perf_counter()
    strategy, board = build()
    built = time.perf_counter() - started

    # "localhost" is an allowed host outside tests; Django's test environment is not
    # set up, so templates render as in production (no per-template test signal).
    signed_in = Client(SERVER_NAME="localhost")
    harness.sign_in(signed_in, board)
    anonymous = Client(SERVER_NAME="localhost")
    slug = strategy.slug
    cases = [
        ("reference: sign-in page", anonymous, "/sign-in/", None),
        ("executive overview", signed_in, f"/strategy/{slug}/", TARGET_MS),
        ("priority page (56 measures)", signed_in, f"/strategy/{slug}/priorities/1/", TARGET_MS),
        ("measure page (120 months)", signed_in, f"/strategy/{slug}/measures/m000/", None),
        ("strategies list", signed_in, "/strategy/", None),
    ]
    results = [
        (name, _median_ms(client, url), target, _queries(client, url))
        for name, client, url, target in cases
    ]
    floor = results[0][1]

    data = (
        f"{Measure.objects.count():,} measures ({MEASURES} monthly with values), "
        f"{MeasureValue.objects.count():,} values, {Target.objects.count():,} targets, "
        f"{PartnerReturn.objects.count():,} returns, {Action.objects.count()} actions, "
        f"{AGENCIES} agencies, {PRIORITIES} priorities"
    )
    database = harness.database()
    print()
    print(f"Data: {data}; built in {built:.1f} s")
    print(f"Database: {database}")
    print(f"Machine: {harness.machine()}")
    print(f"Median of {RUNS} after {WARM_UPS} warm-ups, signed in as a board member.")
    print()
    header = (
        f"{'figure':<30} {'median ms':>10} {'target ms':>10} {'x reference':>12} "
        f"{'queries':>8} {'verdict':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, ms, target, queries in results:
        verdict = "" if target is None else ("ok" if ms < target else "TOO SLOW")
        target_text = f"{target:.0f}" if target else "-"
        print(
            f"{name:<30} {ms:>10.1f} {target_text:>10} {ms / floor:>12.1f} "
            f"{queries:>8} {verdict:>8}"
        )
    for name, ms, target, queries in results[1:]:
        harness.result(
            "dashboards",
            f"{name}, median",
            ms,
            "ms",
            target=target,
            reference="sign-in page",
            reference_value=floor,
            data=data,
            database_text=database,
            detail=f"{queries} queries",
        )


if __name__ == "__main__":
    with harness.throwaway_database():
        main()
    sys.exit(harness.exit_status())
