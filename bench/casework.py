"""Benchmark: casework at scale. With the `region` data set (1,000,000 people, 200,000
referrals) on PostgreSQL, the person search at intake must answer in under 50 ms at p95 and
a case page must render in under 100 ms, in a number of queries that does not grow with the
case.

    scripts/with-throwaway-postgres .venv/bin/python bench/casework.py [--scale city]

It makes its own test database ("test_" + the configured name), fills it with
`saferhub generate --scale region --seed 1` (minutes: the load time is printed too), and
drops it at the end. Figures:

- person search: `people.find_similar` as a police officer (whose agency referred about
  two thirds of the cases) and as the MARAC coordinator (sees every case), for 200 queries
  drawn from people in the data with the variations intake must tolerate: the exact name,
  a typo'd family name, day and month swapped, no date of birth, lower case; p50 and p95.
  Reference: the one indexed query at its heart, in raw SQL (the database's floor).
- case page: GET /safeguarding/referrals/<pk>/ through Django's test client as the
  coordinator, for 50 heard cases with the most and the fewest actions; p50, p95 and the
  query counts (min = max means constant). Reference: the sign-in page (the framework's
  floor for a page with the same layout).
"""

import argparse
import random
import statistics
import sys
import time

import harness  # first: sets Django up for the imports below
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

SEARCH_TARGET_MS = 50.0
CASE_TARGET_MS = 100.0
SEARCHES = 200
CASES = 50


def _ms(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _queries(rng: random.Random, people: list) -> list[tuple[str, str, object, str]]:
    """(given, family, date of birth, postcode) as a referrer might type them."""
    found = []
    for person in rng.sample(people, SEARCHES):
        given, family, dob, postcode = (
            person.given_name,
            person.family_name,
            person.date_of_birth,
            person.postcode,
        )
        variation = rng.randrange(5)
        if variation == 1 and len(family) > 3:
            cut = rng.randrange(1, len(family) - 1)
            family = family[:cut] + family[cut + 1 :]  # a letter dropped
        elif variation == 2 and dob and dob.day <= 12:
            dob = dob.replace(month=dob.day, day=dob.month)
        elif variation == 3:
            dob = None
        elif variation == 4:
            given, family = given.lower(), family.lower()
        found.append((given, family, dob, postcode))
    return found


def bench_search(coordinator, officer, people) -> list[str]:
    from saferhub.safeguarding import people as matching

    queries = _queries(random.Random(7), people)  # noqa: S311 (sampling, not secrets)
    lines = []
    for label, user in (("police officer", officer), ("coordinator", coordinator)):
        for query in queries[:5]:  # warm up
            matching.find_similar(user, *query)
        times, offered = [], 0
        for query in queries:
            times.append(_ms(lambda q=query, u=user: matching.find_similar(u, *q)))
            offered += bool(matching.find_similar(user, *query))
        lines.append(
            f"person search as {label:<15} p50 {statistics.median(times):6.1f} ms  "
            f"p95 {_p95(times):6.1f} ms  (target p95 {SEARCH_TARGET_MS:.0f} ms; "
            f"{offered} of {len(queries)} searches offered someone)"
        )
    folded = [matching.keys(q[0], q[1], q[3]).family for q in queries]
    partnership_id = coordinator.agency.partnership_id
    with connection.cursor() as cursor:
        times = []
        for family in folded:
            started = time.perf_counter()
            cursor.execute(
                "SELECT id FROM safeguarding_person WHERE partnership_id = %s "
                "AND folded_family = %s LIMIT 20",
                [partnership_id, family],
            )
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    lines.append(f"  reference: one indexed lookup in raw SQL  p95 {_p95(times):6.2f} ms")
    return lines


def bench_case_page(coordinator) -> list[str]:
    from saferhub.safeguarding.models import Referral

    heard = Referral.objects.filter(
        partnership_id=coordinator.agency.partnership_id, heard_on__isnull=False
    ).annotate(actions=Count("safety_actions"))
    most = list(heard.order_by("-actions", "id").values_list("pk", "actions")[: CASES // 2])
    fewest = list(heard.order_by("actions", "id").values_list("pk", "actions")[: CASES // 2])
    client = Client()
    client.force_login(coordinator)
    client.get(f"/safeguarding/referrals/{most[0][0]}/")
    times, counts = [], []
    for pk, _ in most + fewest:
        with CaptureQueriesContext(connection) as queries:
            times.append(_ms(lambda pk=pk: client.get(f"/safeguarding/referrals/{pk}/")))
        counts.append(len(queries))
    anonymous = Client()
    floor = [_ms(lambda: anonymous.get("/sign-in/")) for _ in range(20)]
    median = statistics.median(times)
    return [
        f"case page (as coordinator)          p50 {median:6.1f} ms  p95 {_p95(times):6.1f} ms  "
        f"(target {CASE_TARGET_MS:.0f} ms; cases with {fewest[0][1]} to {most[0][1]} actions; "
        f"queries {min(counts)} to {max(counts)})",
        f"  reference: the sign-in page          p50 {statistics.median(floor):6.1f} ms  "
        f"ratio x{median / statistics.median(floor):.0f}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="region", choices=["city", "region"])
    options = parser.parse_args()
    from saferhub.access.roles import Role
    from saferhub.partnership.models import User
    from saferhub.safeguarding.models import Person

    with harness.throwaway_database():
        started = time.perf_counter()
        call_command("generate", scale=options.scale, seed=1, verbosity=0, stdout=sys.stderr)
        load = time.perf_counter() - started
        connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None
        coordinator = (
            User.objects.filter(role_assignments__role=Role.MARAC_COORDINATOR)
            .select_related("agency")
            .first()
        )
        officer = User.objects.filter(
            role_assignments__role=Role.POLICE_DA, agency__kind="police"
        ).first()
        people = list(
            Person.objects.filter(partnership_id=coordinator.agency.partnership_id).order_by("?")[
                :2000
            ]
        )
        print(f"Casework benchmark, {options.scale} data set ({load:.0f} s to generate)")
        print(f"Database: {harness.database()}")
        print(f"Machine: {harness.machine()}")
        referrals = coordinator.agency.partnership.referrals.count()
        print(f"People {Person.objects.count():,}; referrals {referrals:,}")
        for line in bench_search(coordinator, officer, people) + bench_case_page(coordinator):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
