"""A synthetic partnership for scale tests (`saferhub generate --scale city|region`): the
demo's Leeds agencies and more, staffed with invented people in every role.

Every user gets the demo's published password, so load tests can sign in as anyone; like
the demo, it refuses to load in production.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from saferhub.access.roles import Role
from saferhub.partnership.demo import AGENCIES, DEMO_PASSWORD, MARAC_SECTORS
from saferhub.partnership.models import Agency, Partnership, RoleAssignment, Team, User
from saferhub.safeguarding import people
from saferhub.safeguarding.synthetic_people import names

K, S = Agency.Kind, Agency.MaracSector
# Beyond the demo's fifteen: more of a city's partners (public bodies and kinds of service).
MORE_AGENCIES = [
    ("lcc-education", "Leeds City Council – Learning and Schools", K.COUNCIL, S.EDUCATION),
    ("lchp", "Leeds Community Healthcare NHS Trust", K.HEALTH, S.HEALTH),
    ("yas", "Yorkshire Ambulance Service NHS Trust", K.HEALTH, S.HEALTH),
    ("gp-confed", "Leeds GP Confederation", K.HEALTH, S.HEALTH),
    ("btp", "British Transport Police", K.POLICE, S.POLICE),
    ("connect-housing", "Connect Housing", K.HOUSING, S.HOUSING),
    ("unity-homes", "Unity Homes and Enterprise", K.HOUSING, S.HOUSING),
    ("basis", "Basis Yorkshire", K.CHARITY, S.VOLUNTARY_SECTOR),
    ("cab-leeds", "Citizens Advice Leeds", K.CHARITY, S.VOLUNTARY_SECTOR),
    ("barca", "Barca-Leeds", K.CHARITY, S.VOLUNTARY_SECTOR),
    ("touchstone", "Touchstone", K.CHARITY, S.MENTAL_HEALTH),
    ("st-annes", "St Anne's Community Services", K.CHARITY, S.ADULT_SOCIAL_CARE),
    ("witness-service", "Citizens Advice Witness Service", K.CHARITY, S.VOLUNTARY_SECTOR),
    ("dwp", "Department for Work and Pensions (Leeds)", K.OTHER_PUBLIC, S.OTHER),
    ("lbu", "Leeds Beckett University", K.OTHER_PUBLIC, S.EDUCATION),
    (
        "bradford-csc",
        "Bradford Council – Children's Social Care",
        K.COUNCIL,
        S.CHILDRENS_SOCIAL_CARE,
    ),
    ("bradford-ash", "Bradford Council – Adult Social Care", K.COUNCIL, S.ADULT_SOCIAL_CARE),
    (
        "wakefield-csc",
        "Wakefield Council – Children's Services",
        K.COUNCIL,
        S.CHILDRENS_SOCIAL_CARE,
    ),
    ("wakefield-ash", "Wakefield Council – Adult Social Care", K.COUNCIL, S.ADULT_SOCIAL_CARE),
    ("kirklees-csc", "Kirklees Council – Children's Services", K.COUNCIL, S.CHILDRENS_SOCIAL_CARE),
    (
        "calderdale-csc",
        "Calderdale Council – Children's Services",
        K.COUNCIL,
        S.CHILDRENS_SOCIAL_CARE,
    ),
    ("bdct", "Bradford District Care NHS Foundation Trust", K.HEALTH, S.MENTAL_HEALTH),
    ("swyft", "South West Yorkshire Partnership NHS Foundation Trust", K.HEALTH, S.MENTAL_HEALTH),
    ("incommunities", "Incommunities", K.HOUSING, S.HOUSING),
    ("wdh", "Wakefield District Housing", K.HOUSING, S.HOUSING),
    ("kirklees-homes", "Kirklees Homes and Neighbourhoods", K.HOUSING, S.HOUSING),
    ("wy-cps", "Crown Prosecution Service Yorkshire and Humberside", K.OTHER_PUBLIC, S.OTHER),
    ("humankind", "Humankind (drug and alcohol services)", K.SUBSTANCE_MISUSE, S.SUBSTANCE_MISUSE),
    ("staying-put", "Staying Put (Bradford)", K.IDVA_SERVICE, S.IDVA),
    ("pennine-da", "Pennine Domestic Abuse Partnership", K.IDVA_SERVICE, S.IDVA),
]
TEAMS = {
    K.POLICE: "Safeguarding Unit",
    K.IDVA_SERVICE: "IDVA Team",
    K.COUNCIL: "Safeguarding",
    K.HEALTH: "Safeguarding Team",
    K.HOUSING: "Tenancy Services",
}


@dataclass(frozen=True)
class Size:
    agencies: int
    users: int


def build_partnership(name: str, area: str, size: Size, seed: int) -> Partnership:
    """A new partnership of `size.agencies` agencies (the demo's first) and `size.users`
    users: a CSP administrator, an analyst, a board member, MARAC coordinators, a lead for
    every agency, and case workers (police domestic abuse officers, IDVAs, agency
    representatives) for the rest. An existing partnership of that name is returned as it
    is."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Synthetic partnerships publish their passwords: they cannot be made in production."
        )
    found = Partnership.objects.filter(name=name).first()
    if found:
        return found
    templates = [
        (code, title, kind, MARAC_SECTORS[code]) for code, title, kind, _ in AGENCIES
    ] + MORE_AGENCIES
    if size.agencies > len(templates):
        raise ValueError(f"At most {len(templates)} agencies can be made.")
    rng = random.Random(f"{seed}:staff")  # noqa: S311  (synthetic data, not secrets)
    with transaction.atomic():
        partnership = Partnership.objects.create(name=name, area=area)
        agencies = Agency.objects.bulk_create(
            Agency(partnership=partnership, code=code, name=title, kind=kind, marac_sector=sector)
            for code, title, kind, sector in templates[: size.agencies]
        )
        teams = Team.objects.bulk_create(
            Team(agency=agency, name=TEAMS.get(agency.kind, "Operations")) for agency in agencies
        )
        _staff(rng, agencies, {team.agency_id: team for team in teams}, size.users)
    return partnership


def _staff(rng: random.Random, agencies: list[Agency], teams: dict, count: int) -> None:
    core = next(a for a in agencies if a.code == "lcc-cs")
    police = [a for a in agencies if a.kind == K.POLICE]
    idva = [a for a in agencies if a.kind == K.IDVA_SERVICE]
    coordinators = max(1, count // 60)
    posts: list[tuple[Agency, tuple[Role, ...]]] = [
        (core, (Role.CSP_ADMIN,)),
        (core, (Role.CSP_ANALYST,)),
        (core, (Role.BOARD_MEMBER,)),
        *[(core, (Role.MARAC_COORDINATOR,))] * coordinators,
        *[(agency, (Role.AGENCY_LEAD,)) for agency in agencies],
    ]
    workers = max(0, count - len(posts))
    # The police and the IDVA services do most of the casework.
    for n in range(workers):
        share = n / max(1, workers)
        if share < 0.3:
            posts.append((police[n % len(police)], (Role.AGENCY_REP, Role.POLICE_DA)))
        elif share < 0.5 and idva:
            posts.append((idva[n % len(idva)], (Role.IDVA,)))
        else:
            posts.append((agencies[n % len(agencies)], (Role.AGENCY_REP,)))
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    taken: set[str] = set(User.objects.values_list("username", flat=True))
    users, roles = [], []
    for agency, held in posts[:count]:
        given = rng.choice(
            names(
                rng.choice(("british", "british", "south_asian", "african")),
                rng.choice(("female", "male")),
            )
        )
        family = rng.choice(
            names(rng.choice(("british", "british", "irish", "south_asian")), "family")
        )
        username = base = f"{people.fold(given)}.{people.fold(family)}"
        number = 1
        while username in taken:
            number += 1
            username = f"{base}{number}"
        taken.add(username)
        users.append(
            User(
                username=username,
                first_name=given,
                last_name=family,
                email=f"{username}@synthetic.saferhub.invalid",
                job_title=Role(held[0]).label,
                agency=agency,
                team=teams[agency.pk],
                password=password,
            )
        )
        roles.append(held)
    created = User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role)
        for user, held in zip(created, roles, strict=True)
        for role in held
    )
