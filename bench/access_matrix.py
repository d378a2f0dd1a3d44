"""Benchmark: the access matrix at scale. On the `region` data set (1,000,000 people, 200,000
referrals, 45 agencies, 600 users) on PostgreSQL, every URL the project defines, requested by
a user of every role but the MARAC coordinator in an agency with no part in a canary case,
must disclose no record that agency may not see (target: 0) and change nothing.

    scripts/with-throwaway-postgres .venv/bin/python bench/access_matrix.py [--scale city]

It makes its own test database ("test_" + the configured name), fills it with
`saferhub generate --scale region --seed 1` and drops it at the end; `--existing [NAME]`
uses the data already in the configured database instead (the partnership called NAME, by
default the one with the most referrals): `make bench` generates the region data once for
every benchmark that needs it.

The sweep is the canary test's (tests/security/canary_sweep.py, shared with
tests/security/test_canary_access.py), run inside the big data set:

- the canary case is made with the real services (a referral by a police domestic abuse
  officer, a meeting of its own with the police and an IDVA service invited, research, a
  discussion, an action with an update, an IDVA assigned), each part carrying a marker;
- the agency swept is the first (by id, or `--agency CODE`) with no part in it: not the
  referrer's, the invited IDVA service's nor the coordinator's. It keeps its own users where
  one holds just the role (with the synthetic data's password); a user is made for every
  other role;
- every route, GET and the POSTs, with the canary's ids and those either side (every
  combination for the route with two), and, by route, the ids of the real records around
  the canary: the 20 referrals, people, meetings, listed cases, safety-plan actions and
  research below its own (and the victims of those referrals); the pages that pick a person
  by query string with those people; the person search at intake and the case list's search
  for them; the case export as CSV and XLSX; a canary id must answer as a missing one does;
- a record is disclosed when a tell-tale of it appears in an answer to a user who may not
  see it (by the rule docs/ARCHITECTURE.md gives, worked out here from its sources rather
  than asked of the application: cases_seen_by): the canary's markers; a region referral's
  reference (R000123), a link to its page, its perpetrators' names where no one else has
  them; a region person's name and current address where no one else in the data has them,
  their id among the people a search offers. Before the sweep, the coordinator (who may see
  them all) is shown the canary's case page and the neighbouring cases' pages, to show that
  the tell-tales are found when they are there;
- the database: every row of the safeguarding tables, as a hash (PostgreSQL:
  hashtext(row::text)), before and after the requests; each row that changed is traced to
  its case, person or meeting. A change to the canary, or to a record none of the swept
  users may see, counts against the target. The swept agency has a part in most of the
  region's cases, so a POST may do its own work on one (complete an action it owns): such
  changes are listed, with the audit entries that recorded them, and do not count.

Everything runs in one transaction that is rolled back at the end: the canary, the users
made, their sign-ins and authenticator devices, and the audit entries the requests record
all go, so `--existing` leaves the data exactly as it was (only sequences move on; each
safeguarding table's row count and checksum, sum(hashtext(row::text)), taken before it all,
are compared again afterwards to show it). While it runs, the transaction
holds the audit chain's lock: anything else recording audit entries in that database waits.

Figures for `make bench`'s table (harness.result): records disclosed, records beyond reach
changed, canary ids answering unlike a missing one and server errors, each with the target
"under 1" (none); the sweep's wall time. The exit status is 3 if one misses its target.
"""

import argparse
import logging
import sys
import time
from datetime import date

import harness  # first: sets Django up for the imports below
from django.db import connection, transaction
from django.http import HttpResponseServerError
from django.test import Client
from django.test.utils import setup_test_environment

NEIGHBOURS = 20
MISSING_ID = 999_999_999
TARGET = 1  # "under 1": none
# The routes that take the neighbours' ids, by what their ids name.
ROUTES_BY_KIND = {
    "referral": ("referral", "referral-confirmation", "referral-assign-idva"),
    "meeting": ("meeting", "meeting-change"),
    "listed": ("listed-case",),
    "action": ("safety-action",),
    "person": ("audit-person",),
}


class SavepointClient(Client):
    """Django's test client, each request in a savepoint of the run's transaction: a view
    that fails is recorded, answered 500, and leaves the transaction usable."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.errors: list[str] = []

    def request(self, **request):
        try:
            with transaction.atomic():
                return super().request(**request)
        except Exception as error:  # recorded and reported; the sweep goes on
            self.errors.append(
                f"{request.get('REQUEST_METHOD')} {request.get('PATH_INFO')}: {error!r}"
            )
            return HttpResponseServerError()


# -- The database's state ------------------------------------------------------------------


def safeguarding_tables() -> list[str]:
    from django.apps import apps

    config = apps.get_app_config("safeguarding")
    return sorted({m._meta.db_table for m in config.get_models(include_auto_created=True)})


def table_state(tables: list[str]) -> dict[str, tuple[int, int]]:
    """Each table's (rows, checksum of every row)."""
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*), coalesce(sum(hashtext(t::text)::bigint), 0) "  # noqa: S608
                    f"FROM {name} AS t"
                )
                state[table] = tuple(cursor.fetchone())
            else:
                cursor.execute(f"SELECT * FROM {name}")  # noqa: S608
                rows = checksum = 0
                for row in cursor.fetchall():
                    rows += 1
                    checksum = (checksum + hash(tuple(map(str, row)))) % (1 << 61)
                state[table] = (rows, checksum)
    return state


def changed(before: dict, after: dict) -> list[str]:
    return [
        f"{table} ({before[table][0]:,} -> {after[table][0]:,} rows"
        + (", rows changed)" if before[table][0] == after[table][0] else ")")
        for table in before
        if before[table] != after[table]
    ]


class Snapshot:
    """Every row of the tables, by primary key, as a hash of the row and the case it belongs
    to where the table has a referral column (PostgreSQL: temporary tables of (id,
    hashtext(row::text), referral_id), gone with the transaction), to name the rows that
    changed since."""

    def __init__(self, tables: list[str]) -> None:
        self.tables = tables
        self.rows: dict[str, dict] = {}
        with connection.cursor() as cursor:
            for number, table in enumerate(tables):
                if connection.vendor == "postgresql":
                    cursor.execute(
                        f"CREATE TEMPORARY TABLE bench_snapshot_{number} AS "  # noqa: S608
                        f"SELECT id, hashtext(t::text) AS h, {_case_column(table)} AS c "
                        f"FROM {_quoted(table)} AS t"
                    )
                else:
                    self.rows[table] = _python_rows(cursor, table)

    def changes(self) -> list[tuple[str, int, str, int | None]]:
        """(table, id, "changed" | "added" | "removed", the case of a removed row where the
        table names it) for every row that differs."""
        found = []
        with connection.cursor() as cursor:
            for number, table in enumerate(self.tables):
                if connection.vendor == "postgresql":
                    cursor.execute(
                        "SELECT coalesce(s.id, t.id), s.id IS NULL, t.id IS NULL, s.c "  # noqa: S608
                        f"FROM bench_snapshot_{number} AS s FULL JOIN (SELECT id, "
                        f"hashtext(x::text) AS h FROM {_quoted(table)} AS x) AS t "
                        "ON s.id = t.id WHERE s.h IS DISTINCT FROM t.h"
                    )
                    rows = cursor.fetchall()
                else:
                    before, after = self.rows[table], _python_rows(cursor, table)
                    rows = [
                        (pk, pk not in before, pk not in after, before.get(pk, (0, None))[1])
                        for pk in before.keys() | after.keys()
                        if before.get(pk) != after.get(pk)
                    ]
                for pk, added, removed, case in rows:
                    what = "added" if added else "removed" if removed else "changed"
                    found.append((table, pk, what, case if removed else None))
        return found


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def _case_column(table: str) -> str:
    """The table's referral column, or NULL."""
    from django.apps import apps

    for model in apps.get_app_config("safeguarding").get_models(include_auto_created=True):
        if model._meta.db_table == table:
            for field in model._meta.fields:
                if field.name == "referral":
                    return _quoted(field.column)
    return "CAST(NULL AS bigint)"


def _python_rows(cursor, table: str) -> dict:
    """{id: (hash of the row, its referral id or None)}."""
    cursor.execute(f"SELECT * FROM {_quoted(table)}")  # noqa: S608
    names = [column[0] for column in cursor.description]
    at = names.index("id")
    case = _case_column(table).strip('"')
    by = names.index(case) if case in names else None
    return {
        row[at]: (hash(tuple(map(str, row))), row[by] if by is not None else None)
        for row in cursor.fetchall()
    }


def records_changed(changes, users, canary) -> tuple[list[str], list[str]]:
    """The records (cases, people, meetings) the changed rows belong to, as (those no swept
    user may see, the canary's among them, or that cannot be told; those a swept user may
    see: their agency's own work), by the benchmark's own rule (cases_seen_by)."""
    from django.apps import apps

    from saferhub.safeguarding.models import Meeting, Person, Referral

    models = {
        m._meta.db_table: m
        for m in apps.get_app_config("safeguarding").get_models(include_auto_created=True)
    }
    paths = {"SafetyActionUpdate": "action__referral_id", "Research": "listed_case__referral_id"}
    owners: set[tuple[str, int]] = set()
    beyond: set[str] = set()
    for table, pk, what, case in changes:
        model = models[table]
        name = model._meta.object_name
        if what == "removed" and case is not None:
            owners.add(("Referral", case))  # e.g. a case's CaseAccess rows, rewritten
        elif what == "removed":
            beyond.add(f"{table} {pk} (removed)")
        elif model is Referral or model is Person or model is Meeting:
            owners.add((name, pk))
        elif name in paths or any(f.name == "referral" for f in model._meta.fields):
            path = paths.get(name, "referral_id")
            owners.add(("Referral", model.objects.filter(pk=pk).values_list(path, flat=True)[0]))
        elif any(f.name == "meeting" for f in model._meta.fields):
            owners.add(("Meeting", model.objects.get(pk=pk).meeting_id))
        else:
            beyond.add(f"{table} {pk} ({what})")
    ours = {
        ("Referral", canary["referral"].pk),
        ("Person", canary["person"].pk),
        ("Meeting", canary["meeting"].pk),
    }
    seen_by = {"Referral": cases_seen_by, "Person": people_seen_by, "Meeting": meetings_seen_by}
    seen = []
    for name, pk in sorted(owners):
        label = f"{name.lower()} {pk}"
        if (name, pk) in ours:
            beyond.add(f"the canary's {label}")
        elif any(pk in seen_by[name](user, [pk]) for user in users):
            seen.append(label)
        else:
            beyond.add(label)
    return sorted(beyond), seen


def work_done(since_id: int, users) -> list[str]:
    """What the swept users' requests recorded in the audit log, but views and exports."""
    from django.db.models import Count

    from saferhub.audit.models import AuditEvent

    rows = (
        AuditEvent.objects.filter(id__gt=since_id, actor__in=users)
        .exclude(
            verb__regex=r"\.(\w*viewed|exported|searched|downloaded|signed_in|second_step_passed)$"
        )
        .values("actor__username", "verb", "target_type", "target_id")
        .annotate(n=Count("id"))
        .order_by("verb", "target_id")
    )
    return [
        f"{r['actor__username']}: {r['verb']} {r['target_type']} {r['target_id']}"
        + (f" x{r['n']}" if r["n"] > 1 else "")
        for r in rows
    ]


# -- Who takes part ----------------------------------------------------------------------------


def cast(partnership):
    """(coordinator, police domestic abuse officer, IDVA) to make the canary case."""
    from saferhub.access.roles import Role
    from saferhub.partnership.models import Agency, User

    users = (
        User.objects.filter(agency__partnership=partnership, is_active=True)
        .select_related("agency")
        .order_by("id")
    )
    coordinator = users.filter(role_assignments__role=Role.MARAC_COORDINATOR).first()
    referrer = users.filter(
        role_assignments__role=Role.POLICE_DA, agency__kind=Agency.Kind.POLICE
    ).first()
    idva = users.filter(role_assignments__role=Role.IDVA).first()
    if not (coordinator and referrer and idva):
        sys.exit(f"{partnership.name} needs a MARAC coordinator, a police DA officer and an IDVA.")
    return coordinator, referrer, idva


def swept_agency(partnership, involved: set[int], code: str | None):
    from saferhub.partnership.models import Agency

    agencies = Agency.objects.filter(partnership=partnership).exclude(pk__in=involved)
    agency = (agencies.filter(code=code) if code else agencies).order_by("id").first()
    if agency is None:
        sys.exit(f"No agency {code or ''} of {partnership.name} without a part in the canary.")
    return agency


def users_of_every_role(agency, password: str) -> tuple[dict, int]:
    """{role: user} in `agency`: its own active user holding just that role (with the
    synthetic data's password) where there is one, else one made. Returns also how many
    were made."""
    from saferhub.partnership.models import User
    from tests.security.canary_sweep import ROLES, make_users

    own = {}
    for user in User.objects.filter(agency=agency, is_active=True).order_by("id"):
        if len(user.role_codes) == 1:
            (role,) = user.role_codes
            if role in ROLES and role not in own and user.check_password(password):
                own[role] = user
    made = make_users(agency, password, [r for r in ROLES if r not in own])
    users = {role: own.get(role) or made[role] for role in ROLES}
    return users, len(made)


# -- The neighbours and their tell-tales -------------------------------------------------------


def neighbours(partnership, canary) -> dict:
    """The real records around the canary's own: by kind, the ids (tuples, as a route takes
    them) of the NEIGHBOURS records below each of the canary's, and the region referrals
    and people to look for."""
    from saferhub.safeguarding.models import (
        ListedCase,
        Meeting,
        Person,
        Referral,
        Research,
        SafetyAction,
    )

    def below(queryset, pk, *fields):
        return list(queryset.filter(pk__lt=pk).order_by("-pk").values_list(*fields)[:NEIGHBOURS])

    referrals = below(Referral.objects.filter(partnership=partnership), canary["referral"].pk, "pk")
    people = below(Person.objects.filter(partnership=partnership), canary["person"].pk, "pk")
    meetings = below(Meeting.objects.filter(partnership=partnership), canary["meeting"].pk, "pk")
    listed = below(
        ListedCase.objects.filter(meeting__partnership=partnership),
        canary["listed"].pk,
        "meeting_id",
        "pk",
        "referral_id",
    )
    actions = below(
        SafetyAction.objects.filter(referral__partnership=partnership),
        canary["action"].pk,
        "pk",
        "referral_id",
    )
    research = below(
        Research.objects.filter(listed_case__meeting__partnership=partnership),
        canary["research"].pk,
        "listed_case__meeting_id",
        "listed_case_id",
        "listed_case__referral_id",
    )
    pairs = list(dict.fromkeys([(m, pk) for m, pk, _ in listed + research]))
    case_ids = {pk for (pk,) in referrals}
    case_ids |= {r for *_, r in listed + research} | {r for _, r in actions}
    case_ids |= set(
        ListedCase.objects.filter(meeting_id__in=[pk for (pk,) in meetings]).values_list(
            "referral_id", flat=True
        )
    )
    victims = set(Referral.objects.filter(pk__in=case_ids).values_list("victim_id", flat=True))
    person_ids = sorted({pk for (pk,) in people} | victims)
    by_kind = {
        "referral": referrals,
        "meeting": meetings,
        "listed": pairs,
        "action": [(pk,) for pk, _ in actions],
        "person": [(pk,) for pk in sorted({pk for (pk,) in people}) + sorted(victims)][
            : 2 * NEIGHBOURS
        ],
    }
    return {
        "by_kind": by_kind,
        "referrals": sorted(case_ids),
        "people": person_ids,
        "counts": {
            "referrals": len(referrals),
            "people": len(people),
            "meetings": len(meetings),
            "listed cases": len(listed),
            "actions": len(actions),
            "research": len(research),
        },
    }


def cases_seen_by(user, referral_ids) -> set[int]:
    """Of these cases, those `user` has a part in by the rule docs/ARCHITECTURE.md gives,
    worked out here from its sources (the referring agency, the agencies invited to a meeting
    that listed the case, those owning one of its actions, its IDVA, a break-glass grant
    still running), not read from CaseAccess nor asked of access.scope: the benchmark's own
    answer, which the application's must not exceed. (The coordinator, who sees every case,
    is never swept.)"""
    from django.db.models import Q
    from django.utils import timezone

    from saferhub.safeguarding.models import BreakGlassAccess, ListedCase, Referral, SafetyAction

    ids = list(referral_ids)
    agency = user.agency_id
    parts = (
        Q(referring_agency_id=agency)
        | Q(idva_id=user.pk)
        | Q(
            pk__in=ListedCase.objects.filter(
                referral_id__in=ids, meeting__invited_agencies=agency
            ).values("referral_id")
        )
        | Q(
            pk__in=SafetyAction.objects.filter(referral_id__in=ids, agency_id=agency).values(
                "referral_id"
            )
        )
        | Q(
            pk__in=BreakGlassAccess.objects.filter(
                referral_id__in=ids, user_id=user.pk, expires_at__gt=timezone.now()
            ).values("referral_id")
        )
    )
    return set(
        Referral.objects.filter(pk__in=ids, partnership_id=user.agency.partnership_id)
        .filter(parts)
        .values_list("pk", flat=True)
    )


def people_seen_by(user, person_ids) -> set[int]:
    """Of these people, those with a case `user` has a part in."""
    from saferhub.safeguarding.models import Referral

    cases = dict(
        Referral.objects.filter(victim_id__in=list(person_ids)).values_list("pk", "victim_id")
    )
    return {cases[pk] for pk in cases_seen_by(user, cases)}


def meetings_seen_by(user, meeting_ids) -> set[int]:
    from saferhub.safeguarding.models import Meeting

    return set(
        Meeting.objects.filter(
            pk__in=list(meeting_ids), invited_agencies=user.agency_id
        ).values_list("pk", flat=True)
    )


def unseen(users, referral_ids: list[int], person_ids: list[int]) -> dict:
    """{user pk: {("referral" | "person", pk)}}: the watched records each user may not
    see."""
    found = {}
    for user in users:
        seen_cases = cases_seen_by(user, referral_ids)
        seen_people = people_seen_by(user, person_ids)
        found[user.pk] = {("referral", pk) for pk in referral_ids if pk not in seen_cases} | {
            ("person", pk) for pk in person_ids if pk not in seen_people
        }
    return found


def tell_tales(partnership, referral_ids, person_ids) -> dict:
    """{("referral" | "person", pk): [TellTale]}: what would give each record away. A case:
    its reference, a link to its page, its perpetrators' names; a person: their id among
    the people a search offers, their name and current address. Names and addresses only
    where nothing else in the data carries the same (the partnership's people and
    perpetrators, every user)."""
    from django.db.models import Count

    from saferhub.partnership.models import User
    from saferhub.safeguarding import people as matching
    from saferhub.safeguarding.models import Perpetrator, Person, Referral
    from tests.security.canary_sweep import TellTale

    def key(given: str, family: str) -> tuple[str, str]:
        return matching.fold(given), matching.fold(family)

    persons = list(Person.objects.filter(pk__in=person_ids))
    perpetrators = list(Perpetrator.objects.filter(referral_id__in=referral_ids))
    named = {key(p.given_name, p.family_name) for p in persons + perpetrators}
    counts: dict = {}
    for pair in Person.objects.filter(
        partnership=partnership,
        folded_given__in={g for g, _ in named},
        folded_family__in={f for _, f in named},
    ).values_list("folded_given", "folded_family"):
        counts[pair] = counts.get(pair, 0) + 1
    by_concatenation = {g + f: (g, f) for g, f in named}
    for name in Perpetrator.objects.filter(
        referral__partnership=partnership, folded_name__in=list(by_concatenation)
    ).values_list("folded_name", flat=True):
        pair = by_concatenation[name]
        counts[pair] = counts.get(pair, 0) + 1
    staff = {
        key(first, last) for first, last in User.objects.values_list("first_name", "last_name")
    }

    def unique(given: str, family: str) -> bool:
        pair = key(given, family)
        return all(pair) and counts.get(pair, 0) == 1 and pair not in staff

    addresses = dict(
        Person.objects.filter(
            partnership=partnership,
            current_address__in=[p.current_address for p in persons if p.current_address],
        )
        .values("current_address")
        .annotate(n=Count("id"))
        .values_list("current_address", "n")
    )
    found: dict = {}
    for pk in referral_ids:
        reference = Referral(pk=pk).reference
        found[("referral", pk)] = [
            TellTale(reference, f"referral {reference}", exact=False),
            TellTale(f'href="/safeguarding/referrals/{pk}/"', f"referral {reference}"),
        ]
    for perpetrator in perpetrators:
        if unique(perpetrator.given_name, perpetrator.family_name):
            label = f"referral {Referral(pk=perpetrator.referral_id).reference}"
            found[("referral", perpetrator.referral_id)].append(
                TellTale(f"{perpetrator.given_name} {perpetrator.family_name}", label, exact=False)
            )
    for person in persons:
        label = f"person {person.pk}"
        items = [TellTale(f'name="person" type="radio" value="{person.pk}"', label)]
        if unique(person.given_name, person.family_name):
            items.append(TellTale(f"{person.given_name} {person.family_name}", label, exact=False))
        if person.current_address and addresses.get(person.current_address) == 1:
            items.append(TellTale(person.current_address, label, exact=False))
        found[("person", person.pk)] = items
    return found


def searches(partnership, person_ids: list[int], referral_ids: list[int]) -> list:
    from django.urls import reverse

    from saferhub.safeguarding.models import Person, Referral

    found = []
    for person in Person.objects.filter(pk__in=person_ids).order_by("pk"):
        query = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": f"{person.date_of_birth:%-d/%-m/%Y}" if person.date_of_birth else "",
            "postcode": person.postcode,
        }
        found.append((reverse("people-similar"), query))
    for pk in referral_ids[:NEIGHBOURS]:
        found.append((reverse("referrals"), {"q": Referral(pk=pk).reference}))
    return found


def detector_check(coordinator, canary, found: dict, referral_ids: list[int]) -> str:
    """The tell-tales are found where they are shown: the coordinator (who may see every
    case) on the canary's case page and the neighbouring cases' pages."""
    from tests.security.canary_sweep import CANARY, TellTales, text_of

    client = SavepointClient(SERVER_NAME="localhost")
    harness.sign_in(client, coordinator)
    page = text_of(client.get(f"/safeguarding/referrals/{canary['referral'].pk}/"))
    markers = {t.text for t in CANARY.found_in(page)}
    shown = 0
    for pk in referral_ids:
        ours = TellTales(found[("referral", pk)])
        if ours.found_in(text_of(client.get(f"/safeguarding/referrals/{pk}/"))):
            shown += 1
    client.logout()
    return (
        f"the coordinator is shown {len(markers)} of {len(CANARY)} canary markers on its case "
        f"page, and a tell-tale on {shown} of {len(referral_ids)} neighbouring cases' pages"
    )


# -- The run -----------------------------------------------------------------------------------


def measure(options) -> None:
    from django.db.models import Max

    from saferhub.audit.models import AuditEvent
    from saferhub.partnership.demo import DEMO_PASSWORD
    from saferhub.partnership.models import Agency, User
    from saferhub.safeguarding.models import Person
    from tests.access.url_inventory import every_route
    from tests.security import canary_sweep

    partnership = harness.partnership_measured(options.existing)
    started = time.perf_counter()
    database = harness.database()
    people = Person.objects.filter(partnership=partnership).count()
    referrals = partnership.referrals.count()
    agencies = Agency.objects.filter(partnership=partnership).count()
    staff = User.objects.filter(agency__partnership=partnership).count()
    data = (
        f"{partnership.name}: {people:,} people, {referrals:,} referrals, {agencies} agencies, "
        f"{staff} users"
    )
    print(f"Data: {data}")
    print(f"Database: {database}")
    print(f"Machine: {harness.machine()}", flush=True)
    tables = safeguarding_tables()
    clock = time.perf_counter()
    original = table_state(tables)
    checksum_seconds = time.perf_counter() - clock
    client = SavepointClient(SERVER_NAME="localhost")
    with transaction.atomic():
        clock = time.perf_counter()
        coordinator, referrer, idva = cast(partnership)
        canary = canary_sweep.make_canary(
            referrer, coordinator, idva, [referrer.agency, idva.agency], today=date.today()
        )
        involved = {referrer.agency_id, idva.agency_id, coordinator.agency_id}
        agency = swept_agency(partnership, involved, options.agency)
        users, made = users_of_every_role(agency, DEMO_PASSWORD)
        near = neighbours(partnership, canary)
        hidden = unseen(users.values(), near["referrals"], near["people"])
        watched = set().union(*hidden.values())
        detector_cases = [pk for (pk,) in near["by_kind"]["referral"]]
        found = tell_tales(
            partnership,
            sorted({pk for kind, pk in watched if kind == "referral"} | set(detector_cases)),
            sorted(pk for kind, pk in watched if kind == "person"),
        )
        checks = {
            pk: canary_sweep.TellTales(t for record in records for t in found[record])
            for pk, records in hidden.items()
        }
        extra_searches = searches(partnership, near["people"], near["referrals"])
        routes_by_name = {r.name for r in canary_sweep.swept_routes()}
        by_route = {
            name: near["by_kind"][kind]
            for kind, names in ROUTES_BY_KIND.items()
            for name in names
            if name in routes_by_name
        }
        missing = sorted({n for names in ROUTES_BY_KIND.values() for n in names} - routes_by_name)
        detector = detector_check(coordinator, canary, found, detector_cases)
        setup_seconds = time.perf_counter() - clock
        print(
            f"Canary: referral {canary['referral'].reference} (person {canary['person'].pk}, "
            f"meeting {canary['meeting'].pk}) by {referrer.agency.code}, with "
            f"{idva.agency.code} invited; swept agency: {agency.code} ({agency.name}), "
            f"{len(users) - made} of its own users and {made} made"
        )
        print(
            "Neighbours: "
            + ", ".join(f"{n} {kind}" for kind, n in near["counts"].items())
            + f"; of the {len(near['referrals']):,} cases and {len(near['people']):,} "
            f"people they touch, {len(watched):,} are not visible to some swept user, "
            f"{min(map(len, hidden.values())):,} to {max(map(len, hidden.values())):,} per user "
            f"({min(map(len, checks.values())):,} to {max(map(len, checks.values())):,} "
            "tell-tales looked for)"
        )
        if missing:
            print(f"  (routes not found, so no neighbours tried there: {', '.join(missing)})")
        print(f"Detector check: {detector}", flush=True)
        own_ids = {
            name: [ids]
            for kind, ids in (
                ("referral", (canary["referral"].pk,)),
                ("meeting", (canary["meeting"].pk,)),
                ("listed", (canary["meeting"].pk, canary["listed"].pk)),
                ("action", (canary["action"].pk,)),
                ("person", (canary["person"].pk,)),
            )
            for name in ROUTES_BY_KIND[kind]
        }
        last_audit = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
        clock = time.perf_counter()
        snapshot = Snapshot(tables)
        checksum_seconds += time.perf_counter() - clock

        def progress(role, sweep) -> None:
            print(
                f"  {role.label:<32} done: {sweep.requests:>7,} requests so far, "
                f"{time.perf_counter() - sweep_started:6.0f} s",
                flush=True,
            )

        sweep_started = time.perf_counter()
        result = canary_sweep.sweep(
            client,
            users,
            canary,
            password=DEMO_PASSWORD,
            sign_in=harness.sign_in,
            tell_tales=lambda user: checks[user.pk],
            neighbours=by_route,
            people=[pk for (pk,) in near["by_kind"]["person"]],
            searches=extra_searches,
            missing_id=MISSING_ID,
            own_ids=own_ids,
            progress=progress,
        )
        clock = time.perf_counter()
        changes = snapshot.changes()
        checksum_seconds += time.perf_counter() - clock
        beyond, own_work = records_changed(changes, users.values(), canary)
        work = work_done(last_audit, users.values())
        transaction.set_rollback(True)
    clock = time.perf_counter()
    restored = table_state(tables)
    checksum_seconds += time.perf_counter() - clock
    wall = time.perf_counter() - started

    disclosed = sorted(result.records_disclosed)
    rows = sum(count for count, _ in original.values())
    pairs = len(result.tried)
    swept = {r.name for r in result.routes}
    every = every_route()
    left_out = sorted({r.name for r in every if r.name and r.name not in swept})
    unnamed = sum(not r.name for r in every)
    print(
        f"Routes: {len(result.routes)} (every URL the project defines but "
        f"{', '.join(left_out)} and {unnamed} unnamed)"
    )
    print(f"Roles: {len(result.roles)} ({', '.join(r.label for r in result.roles)})")
    print(
        f"Requests made: {result.requests:,} in {result.seconds:.0f} s "
        f"({result.seconds / max(1, result.requests) * 1000:.1f} ms each)"
    )
    print(f"Routes x roles tried: {pairs:,}")
    print(f"Records disclosed: {len(disclosed)} (target 0)")
    for record in disclosed:
        examples = [str(d) for d in result.disclosures if d.tell_tale.record == record][:3]
        print(f"  {record}: " + "; ".join(examples))
    touched = sorted({table for table, *_ in changes})
    print(
        f"Database changes: {len(beyond)} records the swept users may not see (or the "
        f"canary's) changed by the requests (target 0); {len(changes)} rows changed in all, in "
        f"{len(touched)} of the {len(tables)} safeguarding tables ({rows:,} rows, every row's "
        "hash compared)" + (f": {', '.join(touched)}" if touched else "")
    )
    for record in beyond[:10]:
        print(f"  beyond reach: {record}")
    if own_work:
        print(
            f"  the swept agency's own work on {len(own_work)} records its users may see: "
            + ", ".join(own_work[:10])
        )
    for line in work[:10]:
        print(f"  recorded: {line}")
    print(f"Canary ids answering unlike a missing id: {len(result.differing)}")
    for line in result.differing[:10]:
        print(f"  {line}")
    print(f"Server errors: {len(client.errors)}")
    for line in client.errors[:10]:
        print(f"  {line}")
    print(f"E-mails sent during the sweep: {result.mails}")
    undone = restored == original
    print(
        "Undone: the transaction was rolled back (canary, users, sign-ins, audit entries); "
        + (
            f"the safeguarding tables are as they were ({rows:,} rows, same checksums)"
            if undone
            else "the safeguarding tables DIFFER from before: "
            + ", ".join(changed(original, restored))
        )
    )
    print(
        f"Wall time: {wall:.0f} s (setting up {setup_seconds:.0f} s, sweep {result.seconds:.0f} "
        f"s, checksums {checksum_seconds:.0f} s)"
    )
    detail = (
        f"{pairs:,} routes x roles, {result.requests:,} requests as {len(result.roles)} roles "
        f"of {agency.code}"
    )
    for figure, value, unit in (
        ("records disclosed", len(disclosed), "records"),
        ("records beyond reach changed by the requests", len(beyond), "records"),
        ("canary ids answering unlike a missing id", len(result.differing), "routes"),
        ("requests answered with a server error", len(client.errors), "requests"),
    ):
        harness.result(
            "access_matrix",
            figure,
            value,
            unit,
            target=TARGET,
            data=data,
            database_text=database,
            detail=detail,
        )
    harness.result(
        "access_matrix",
        "sweep wall time",
        result.seconds,
        "s",
        data=data,
        database_text=database,
        detail=detail,
    )
    if not undone:
        sys.exit("The safeguarding tables were not restored: see above.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="region", choices=["city", "region"])
    parser.add_argument(
        "--existing",
        metavar="NAME",
        nargs="?",
        const="",
        help="Use the data already in the configured database (the partnership called NAME, "
        "by default the one with the most referrals) instead of generating it.",
    )
    parser.add_argument(
        "--agency", metavar="CODE", help="The agency to sweep as (default: the first with no part)"
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; run it under scripts/with-throwaway-postgres")
    setup_test_environment()  # e-mails kept in memory (and checked), the test client's host
    # Tens of thousands of 403s and 404s: their log lines would cost more than the requests
    # (a server error still reaches the report, through SavepointClient).
    for name in ("django.request", "saferhub.request"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    harness.measure_on_data_set("Access matrix", options, measure)
    return harness.exit_status()


if __name__ == "__main__":
    sys.exit(main())
