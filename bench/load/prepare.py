"""The load test's data and its plan: who the simulated users sign in as, and what they
may ask for.

`prepare(scale)` fills the configured (throwaway) database: `saferhub generate --scale
SCALE --seed 1` (its partnership's users all have the demo's password), then the demo's
Safer Leeds strategies loaded into the same partnership (with the demo's named staff, who
own its returns' history and actions), so that dashboards and partner returns run against
the same partnership as the casework. `plan()` then picks the users for each kind of
simulated user and writes what the locust process needs (it never touches the database):
usernames, each one's authenticator key where signing in takes a code, the strategy, people
to search for, and each agency lead's returns that can still be edited.
"""

import random
import sys
from datetime import date

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from saferhub.access.roles import Role
from saferhub.partnership.demo import DEMO_PASSWORD, OTHER_LEADS, SIGN_INS
from saferhub.partnership.management.commands.generate import PARTNERSHIPS
from saferhub.partnership.models import Partnership, RoleAssignment, User

SEED = 1
# How many of each kind of user the plan offers (more than any run signs in at once, so
# that no two simulated users share an account: a code is accepted once per account).
POOL = 60
PEOPLE_TO_SEARCH = 500


def prepare(scale: str) -> Partnership:
    """Migrate, generate `scale`, and give its partnership the demo strategies."""
    call_command("migrate", verbosity=0)
    call_command("generate", scale=scale, seed=SEED, stdout=sys.stdout)
    partnership = Partnership.objects.get(name=PARTNERSHIPS[scale][0])
    _demo_strategies(partnership)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    return partnership


@transaction.atomic
def _demo_strategies(partnership: Partnership) -> None:
    """The demo's named staff (the strategies' lead officers, action owners and the
    returns' authors) in the partnership's agencies of the same codes, then the demo's
    two strategies with their figures, returns and actions."""
    from saferhub.strategy.demo import describe, load_demo_strategy

    agencies = {agency.code: agency for agency in partnership.agencies.all()}
    password = make_password(DEMO_PASSWORD)
    for person in SIGN_INS + OTHER_LEADS:
        user = User.objects.create(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@demo.saferhub.invalid",
            job_title=person.job_title,
            agency=agencies[person.agency],
            password=password,
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=role) for role in person.roles
        )
    for strategy, loaded in load_demo_strategy(partnership):
        print(describe(strategy, loaded))


def _users(partnership: Partnership, *roles: Role, without: tuple[Role, ...] = ()):
    """Generated users (not the demo's named staff) holding one of `roles`."""
    demo_names = [person.username for person in SIGN_INS + OTHER_LEADS]
    found = User.objects.filter(
        agency__partnership=partnership, is_active=True, role_assignments__role__in=roles
    ).exclude(username__in=demo_names)
    for role in without:
        found = found.exclude(role_assignments__role=role)
    return found.distinct().select_related("agency").order_by("id")


def plan(partnership: Partnership) -> dict:
    """Everything the simulated users need, as plain data."""
    from saferhub.safeguarding.models import Person, SafetyAction

    rng = random.Random(SEED)  # noqa: S311 (choosing test users, not secrets)
    open_actions = SafetyAction.objects.filter(
        agency=OuterRef("agency"), status=SafetyAction.Status.OPEN
    )
    with_actions = User.objects.annotate(has_actions=Exists(open_actions)).filter(has_actions=True)
    police = _users(partnership, Role.POLICE_DA).filter(agency__kind="police")
    idvas = _users(partnership, Role.IDVA).filter(pk__in=with_actions.values("pk"))
    reps = _users(partnership, Role.AGENCY_REP, without=(Role.POLICE_DA,)).filter(
        pk__in=with_actions.values("pk")
    )
    coordinators = _users(partnership, Role.MARAC_COORDINATOR)
    strategy, leads = _returns(partnership)
    readers = list(_users(partnership, Role.CSP_ANALYST, Role.BOARD_MEMBER, Role.CSP_ADMIN))
    # The partnership has one analyst and one board member: the agency leads who owe no
    # return read the dashboards too.
    readers += [u for u in _users(partnership, Role.AGENCY_LEAD) if u.username not in leads]
    pools = {
        "police_officer": _sample(rng, police),
        "idva": _sample(rng, idvas),
        "agency_rep": _sample(rng, reps),
        "coordinator": _sample(rng, coordinators),
        "agency_lead": sorted(leads),
        "dashboard_reader": _sample(rng, readers),
    }
    chosen = {name for names in pools.values() for name in names}
    people = list(
        Person.objects.filter(partnership=partnership)
        .order_by("?")
        .values_list("given_name", "family_name", "date_of_birth", "postcode")[:PEOPLE_TO_SEARCH]
    )
    return {
        "partnership": partnership.name,
        "password": DEMO_PASSWORD,
        "users": pools,
        "codes": _authenticators(chosen),
        "strategy": {
            "slug": strategy.slug,
            "priorities": list(strategy.priorities.values_list("number", flat=True)),
            "measures": list(
                strategy.measures.filter(is_headline=True).values_list("code", flat=True)
            ),
        },
        "returns": leads,
        "people": [
            [given, family, born.strftime("%d/%m/%Y") if born else "", postcode or ""]
            for given, family, born, postcode in people
        ],
    }


def _sample(rng: random.Random, users) -> list[str]:
    names = [user.username for user in users]
    rng.shuffle(names)
    return names[:POOL]


def _returns(partnership: Partnership):
    """The current strategy, and for each generated agency lead whose agency owes it a
    return that can still be edited: the quarters (as in the return's address)."""
    from saferhub.strategy import returns
    from saferhub.strategy.models import PartnerReturn, Strategy

    today = date.today()
    strategy = (
        Strategy.objects.filter(partnership=partnership, starts_on__lte=today)
        .order_by("-starts_on")
        .first()
    )
    statuses = {
        (r.agency_id, r.quarter_start): r.status
        for r in PartnerReturn.objects.filter(strategy=strategy)
    }
    ended = [q for q in returns.quarters_of(strategy) if q.end < today]
    editable: dict[int, list[str]] = {}
    for agency, period_types in returns.agencies_owing(strategy).items():
        quarters = [
            q.code_slug
            for q in ended
            if returns.owes_in(period_types, q)
            and statuses.get((agency.id, q.start), PartnerReturn.Status.DRAFT) in returns.EDITABLE
            and returns.owed_figures(strategy, agency, q)
        ]
        if quarters:
            editable[agency.id] = quarters
    leads = {
        user.username: editable[user.agency_id]
        for user in _users(partnership, Role.AGENCY_LEAD)
        if user.agency_id in editable
    }
    return strategy, leads


def _authenticators(usernames: set[str]) -> dict[str, dict]:
    """Each user's authenticator (TOTP) settings, where signing in asks for a code: the
    one the user set up or, for a generated user who has none, the demo's published one
    (as their password is the demo's: `saferhub demo-code USERNAME` prints their code too).
    Empty where the project has no second step."""
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from saferhub.partnership import mfa
    from saferhub.partnership.demo import DEMO_AUTHENTICATOR_KEY

    codes = {}
    for user in User.objects.filter(username__in=usernames):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
        if device is None:
            device = mfa.set_up_published_authenticator(user, DEMO_AUTHENTICATOR_KEY)
        codes[user.username] = {
            "key": device.key,
            "step": device.step,
            "t0": device.t0,
            "digits": device.digits,
            "drift": device.drift,
        }
    return codes
