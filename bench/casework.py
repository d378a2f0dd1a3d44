"""Benchmark: casework at scale. With the `region` data set (1,000,000 people, 200,000
referrals) on PostgreSQL, the person search at intake must answer in under 50 ms at p95 and
a case page must render in under 100 ms, in a number of queries that does not grow with the
case.

    scripts/with-throwaway-postgres .venv/bin/python bench/casework.py [--scale city]

It makes its own test database ("test_" + the configured name), fills it with
`saferhub generate --scale region --seed 1` (minutes: the load time is printed too), and
drops it at the end; `--existing [NAME]` measures the data already in the configured
database instead (read-only but for the audit records of the case pages viewed): `make
bench` generates the region data once for every benchmark that needs it. Figures:

- person search: `people.find_similar` as a police officer (whose agency referred about
  two thirds of the cases) and as the MARAC coordinator (sees every case), for 200 queries
  drawn from people in the data with the variations intake must tolerate: the exact name,
  a typo'd family name, day and month swapped, no date of birth, lower case; p50 and p95.
  Reference: the one indexed query at its heart, in raw SQL (the database's floor).
- case page: GET /safeguarding/referrals/<pk>/ through Django's test client as the
  coordinator, for 50 heard cases with the most and the fewest actions; p50, p95 and the
  query counts (min = max means constant). Reference: the sign-in page (the framework's
  floor for a page with the same layout).
- lists: the case list (first page and page 20) and the agency's actions as the police
  officer, 50 requests each, against the same 100 ms and the same reference.

Each figure also goes to `make bench`'s table (harness.result); the exit status is 3 if one
misses its target.
"""

import argparse
import random
import statistics
import sys
import time

import harness  # first: sets Django up for the imports below
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


def _queries(rng: random.Random, people: list) -> list[tuple[object, tuple[str, str, object, str]]]:
    """(the person sought, (given, family, date of birth, postcode) as a referrer might type
    them)."""
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
        found.append((person, (given, family, dob, postcode)))
    return found


def bench_search(coordinator, officer, people) -> list[tuple]:
    """(figure, p50 ms, p95 ms, target, detail) per searcher, and the raw SQL reference. The
    detail gives the recall: of the searches for someone the searcher may see, how many
    offered that person."""
    from saferhub.access import scope
    from saferhub.safeguarding import people as matching
    from saferhub.safeguarding.models import Person

    queries = _queries(random.Random(7), people)  # noqa: S311 (sampling, not secrets)
    figures = []
    for label, user in (("police officer", officer), ("coordinator", coordinator)):
        for _, query in queries[:5]:  # warm up
            matching.find_similar(user, *query)
        times, sought, offered = [], 0, 0
        for person, query in queries:
            times.append(_ms(lambda q=query, u=user: matching.find_similar(u, *q)))
            if scope.visible(user, Person.objects.filter(pk=person.pk)).exists():
                sought += 1
                offered += person.pk in {m.person.pk for m in matching.find_similar(user, *query)}
        figures.append(
            (
                f"person search as {label}",
                statistics.median(times),
                _p95(times),
                SEARCH_TARGET_MS,
                f"the person sought offered in {offered} of {sought} searches for someone "
                "the searcher may see",
            )
        )
    folded = [matching.keys(q[0], q[1], q[3]).family for _, q in queries]
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
    reference = ("one indexed lookup in raw SQL", statistics.median(times), _p95(times))
    return figures, reference


def bench_case_page(coordinator) -> tuple[list[tuple], tuple]:
    """The case page's (figure, p50 ms, p95 ms, target, detail), and the sign-in page's."""
    from saferhub.safeguarding.models import Referral

    heard = Referral.objects.filter(
        partnership_id=coordinator.agency.partnership_id, heard_on__isnull=False
    ).annotate(actions=Count("safety_actions"))
    most = list(heard.order_by("-actions", "id").values_list("pk", "actions")[: CASES // 2])
    fewest = list(heard.order_by("actions", "id").values_list("pk", "actions")[: CASES // 2])
    # "localhost" is an allowed host outside tests (Django's "testserver" is not).
    client = Client(SERVER_NAME="localhost")
    harness.sign_in(client, coordinator)
    assert client.get(f"/safeguarding/referrals/{most[0][0]}/").status_code == 200
    times, counts = [], []
    for pk, _ in most + fewest:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(f"/safeguarding/referrals/{pk}/")
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (pk, response.status_code)
        counts.append(len(queries))
    anonymous = Client(SERVER_NAME="localhost")
    assert anonymous.get("/sign-in/").status_code == 200
    floor = [_ms(lambda: anonymous.get("/sign-in/")) for _ in range(CASES)]
    figure = (
        "case page as the coordinator",
        statistics.median(times),
        _p95(times),
        CASE_TARGET_MS,
        f"cases with {fewest[0][1]} to {most[0][1]} actions; "
        f"queries {min(counts)} to {max(counts)}",
    )
    return [figure], ("sign-in page", statistics.median(floor), _p95(floor))


def bench_lists(officer) -> list[tuple]:
    """The case list (first and twentieth page) and the agency's actions, as the police
    officer, whose agency has a part in most cases: (figure, p50, p95, target, detail)."""
    client = Client(SERVER_NAME="localhost")
    harness.sign_in(client, officer)
    figures = []
    for name, path in (
        ("case list, first page, as police", "/safeguarding/referrals/"),
        ("case list, page 20, as police", "/safeguarding/referrals/?page=20"),
        ("agency's actions as police", "/safeguarding/actions/"),
    ):
        assert client.get(path).status_code == 200
        times = [_ms(lambda p=path: client.get(p)) for _ in range(CASES)]
        figures.append(
            (name, statistics.median(times), _p95(times), CASE_TARGET_MS, f"{CASES} requests")
        )
    return figures


def measure(options) -> None:
    from saferhub.access.roles import Role
    from saferhub.partnership.models import User
    from saferhub.safeguarding.models import Person

    partnership = harness.partnership_measured(options.existing)
    users = User.objects.filter(agency__partnership=partnership, is_active=True)
    coordinator = (
        users.filter(role_assignments__role=Role.MARAC_COORDINATOR)
        .select_related("agency")
        .order_by("id")
        .first()
    )
    officer = (
        users.filter(role_assignments__role=Role.POLICE_DA, agency__kind="police")
        .order_by("id")
        .first()
    )
    # People searched for are victims the partnership knows: whom the search is for.
    victims = Person.objects.filter(partnership=partnership, referrals__isnull=False)
    people = list(Person.objects.filter(pk__in=victims.values("pk")).order_by("?")[:2000])
    database = harness.database()
    count = Person.objects.filter(partnership=partnership).count()
    referrals = partnership.referrals.count()
    data = f"{partnership.name}: {count:,} people, {referrals:,} referrals"
    print(f"Data: {data}")
    print(f"Database: {database}")
    print(f"Machine: {harness.machine()}")
    searches, search_floor = bench_search(coordinator, officer, people)
    pages, page_floor = bench_case_page(coordinator)
    pages += bench_lists(officer)
    for figures, (ref_name, ref_p50, ref_p95) in ((searches, search_floor), (pages, page_floor)):
        for name, p50, p95, target, detail in figures:
            verdict = "ok" if p95 < target else "TOO SLOW"
            print(
                f"{name:<36} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (target p95 {target:.0f} "
                f"ms: {verdict}; {detail})"
            )
            for statistic, value, ref_value, goal in (
                ("p50", p50, ref_p50, None),
                ("p95", p95, ref_p95, target),
            ):
                harness.result(
                    "casework",
                    f"{name}, {statistic}",
                    value,
                    "ms",
                    target=goal,
                    reference=ref_name,
                    reference_value=ref_value,
                    data=data,
                    database_text=database,
                    detail=detail,
                )
        print(f"  reference: {ref_name:<25} p50 {ref_p50:6.2f} ms  p95 {ref_p95:6.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="region", choices=["city", "region"])
    parser.add_argument(
        "--existing",
        metavar="NAME",
        nargs="?",
        const="",
        help="Measure the data already in the configured database (the partnership called "
        "NAME, by default the one with the most referrals) instead of generating it.",
    )
    options = parser.parse_args()
    harness.measure_on_data_set("Casework benchmark", options, measure)
    return harness.exit_status()


if __name__ == "__main__":
    sys.exit(main())
