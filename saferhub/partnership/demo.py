"""The demo partnership: a Leeds-like city, its partner agencies and a user for every role.

Agencies and wards are public bodies and places; every person is invented.
Loading is idempotent: a second run updates what is there and adds nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from saferhub.access.roles import Role
from saferhub.partnership import mfa
from saferhub.partnership.models import Agency, Partnership, Team, User, Ward
from saferhub.partnership.services import assign_roles

DEMO_PASSWORD = "saferhub-demo"  # noqa: S105  (published on purpose: demo only)
# Every demo user's authenticator app has this key (published too: README.md), so the code
# step needs no phone: `saferhub demo-code USERNAME` prints the current code.
DEMO_AUTHENTICATOR_KEY = "SAFERHUBDEMOTOTPSECRETPUBLISHED2"  # noqa: S105

PARTNERSHIP = ("Safer Leeds", "Leeds")

WARDS = [
    "Adel & Wharfedale",
    "Alwoodley",
    "Ardsley & Robin Hood",
    "Armley",
    "Beeston & Holbeck",
    "Bramley & Stanningley",
    "Burmantofts & Richmond Hill",
    "Calverley & Farsley",
    "Chapel Allerton",
    "Cross Gates & Whinmoor",
    "Farnley & Wortley",
    "Garforth & Swillington",
    "Gipton & Harehills",
    "Guiseley & Rawdon",
    "Harewood",
    "Headingley & Hyde Park",
    "Horsforth",
    "Hunslet & Riverside",
    "Killingbeck & Seacroft",
    "Kippax & Methley",
    "Kirkstall",
    "Little London & Woodhouse",
    "Middleton Park",
    "Moortown",
    "Morley North",
    "Morley South",
    "Otley & Yeadon",
    "Pudsey",
    "Rothwell",
    "Roundhay",
    "Temple Newsam",
    "Weetwood",
    "Wetherby",
]

K = Agency.Kind
# code, name, kind, teams
AGENCIES = [
    (
        "wyp",
        "West Yorkshire Police",
        K.POLICE,
        ["Leeds District Safeguarding Unit", "Domestic Abuse Team", "Serious Organised Crime Unit"],
    ),
    (
        "lcc-cs",
        "Leeds City Council – Community Safety",
        K.COUNCIL,
        [
            "Safer Leeds Partnership Team",
            "Front Door Safeguarding Hub",
            "Anti-social Behaviour Team",
        ],
    ),
    (
        "lcc-csc",
        "Leeds City Council – Children's Social Work",
        K.COUNCIL,
        ["Duty and Advice", "Early Help"],
    ),
    (
        "lcc-ash",
        "Leeds City Council – Adults and Health",
        K.COUNCIL,
        ["Adult Safeguarding", "Public Health"],
    ),
    ("housing-leeds", "Housing Leeds", K.HOUSING, ["Tenancy Management", "Housing Options"]),
    ("lfha", "Leeds Federated Housing Association", K.HOUSING, ["Neighbourhood Services"]),
    (
        "forward-leeds",
        "Forward Leeds (drug and alcohol service)",
        K.SUBSTANCE_MISUSE,
        ["Criminal Justice Team", "Young People's Service"],
    ),
    (
        "ltht",
        "Leeds Teaching Hospitals NHS Trust",
        K.HEALTH,
        ["Safeguarding Team", "Emergency Department"],
    ),
    (
        "lypft",
        "Leeds and York Partnership NHS Foundation Trust",
        K.HEALTH,
        ["Community Mental Health"],
    ),
    (
        "wy-icb",
        "NHS West Yorkshire Integrated Care Board (Leeds)",
        K.HEALTH,
        ["Designated Safeguarding Professionals"],
    ),
    ("probation", "Probation Service – Leeds", K.PROBATION, ["Public Protection"]),
    ("ldvs", "Leeds Domestic Violence Service", K.IDVA_SERVICE, ["IDVA Team", "Refuge"]),
    ("lwa", "Leeds Women's Aid", K.CHARITY, ["Outreach"]),
    ("wyfrs", "West Yorkshire Fire and Rescue Service", K.FIRE, ["Community Safety"]),
    (
        "wyca",
        "West Yorkshire Combined Authority (Policing and Crime)",
        K.OTHER_PUBLIC,
        ["Policing and Crime Team"],
    ),
]

S = Agency.MaracSector
# The sector SafeLives' MARAC return counts each agency's referrals under.
MARAC_SECTORS = {
    "wyp": S.POLICE,
    "lcc-cs": S.OTHER,
    "lcc-csc": S.CHILDRENS_SOCIAL_CARE,
    "lcc-ash": S.ADULT_SOCIAL_CARE,
    "housing-leeds": S.HOUSING,
    "lfha": S.HOUSING,
    "forward-leeds": S.SUBSTANCE_MISUSE,
    "ltht": S.HEALTH,
    "lypft": S.MENTAL_HEALTH,
    "wy-icb": S.HEALTH,
    "probation": S.PROBATION,
    "ldvs": S.IDVA,
    "lwa": S.VOLUNTARY_SECTOR,
    "wyfrs": S.OTHER,
    "wyca": S.OTHER,
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    job_title: str
    agency: str
    team: str
    roles: tuple[Role, ...]


# One sign-in per role, printed by `saferhub demo`.
SIGN_INS = [
    DemoUser(
        "admin",
        "Helen",
        "Marsh",
        "Partnership Manager",
        "lcc-cs",
        "Safer Leeds Partnership Team",
        (Role.CSP_ADMIN,),
    ),
    DemoUser(
        "analyst",
        "Tomasz",
        "Okafor-Reid",
        "Senior Intelligence Analyst",
        "lcc-cs",
        "Safer Leeds Partnership Team",
        (Role.CSP_ANALYST,),
    ),
    DemoUser(
        "police.lead",
        "Sarah",
        "Whitcombe",
        "Detective Chief Inspector",
        "wyp",
        "Leeds District Safeguarding Unit",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "coordinator",
        "Amira",
        "Haddad",
        "MARAC Coordinator",
        "lcc-cs",
        "Front Door Safeguarding Hub",
        (Role.MARAC_COORDINATOR,),
    ),
    DemoUser("idva", "Rachel", "Dunmore", "Senior IDVA", "ldvs", "IDVA Team", (Role.IDVA,)),
    DemoUser(
        "police.da",
        "Kieran",
        "Matthews-Boyle",
        "Detective Constable, Domestic Abuse",
        "wyp",
        "Domestic Abuse Team",
        (Role.AGENCY_REP, Role.POLICE_DA),
    ),
    DemoUser(
        "housing.rep",
        "Daniel",
        "Pryce-Owen",
        "Tenancy Enforcement Officer",
        "housing-leeds",
        "Tenancy Management",
        (Role.AGENCY_REP,),
    ),
    DemoUser(
        "board",
        "Margaret",
        "Ellisworth",
        "Executive Board Member",
        "lcc-cs",
        "Safer Leeds Partnership Team",
        (Role.BOARD_MEMBER,),
    ),
]

# Leads for most other agencies; two are left without one on purpose, so the
# administrator's home page shows a real gap to close.
OTHER_LEADS = [
    DemoUser(
        "lead.lcc-csc",
        "Joanne",
        "Kettlewell",
        "Head of Service",
        "lcc-csc",
        "Duty and Advice",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.lcc-ash",
        "Imran",
        "Bashir-Cole",
        "Safeguarding Manager",
        "lcc-ash",
        "Adult Safeguarding",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.housing-leeds",
        "Claire",
        "Oldroyd",
        "Area Housing Manager",
        "housing-leeds",
        "Housing Options",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.forward-leeds",
        "Marcus",
        "Ashdown",
        "Service Manager",
        "forward-leeds",
        "Criminal Justice Team",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.ltht",
        "Fiona",
        "Gillbanks",
        "Named Nurse, Safeguarding Adults",
        "ltht",
        "Safeguarding Team",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.lypft",
        "Adebayo",
        "Thornton",
        "Clinical Lead",
        "lypft",
        "Community Mental Health",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.wy-icb",
        "Katherine",
        "Rowntree",
        "Designated Nurse",
        "wy-icb",
        "Designated Safeguarding Professionals",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.probation",
        "Gareth",
        "Feeney",
        "Head of Public Protection",
        "probation",
        "Public Protection",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.ldvs",
        "Nadia",
        "Prescott",
        "IDVA Service Manager",
        "ldvs",
        "IDVA Team",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.lwa", "Bethany", "Varley", "Outreach Manager", "lwa", "Outreach", (Role.AGENCY_LEAD,)
    ),
    DemoUser(
        "lead.lcc-cs",
        "Stephen",
        "Lockwood",
        "Head of Community Safety",
        "lcc-cs",
        "Safer Leeds Partnership Team",
        (Role.AGENCY_LEAD,),
    ),
    DemoUser(
        "lead.wyca",
        "Yasmin",
        "Chaudhry-Hale",
        "Policing and Crime Officer",
        "wyca",
        "Policing and Crime Team",
        (Role.AGENCY_LEAD,),
    ),
]


@transaction.atomic
def load_demo_partnership() -> Partnership:
    """Create or update the demo partnership; safe to run again."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "The demo partnership publishes its passwords: it cannot be loaded in production."
        )
    name, area = PARTNERSHIP
    partnership, _ = Partnership.objects.update_or_create(name=name, defaults={"area": area})
    for number, ward_name in enumerate(WARDS, start=1):
        # Invented codes in the ONS pattern: the demo makes no claim to real boundaries.
        Ward.objects.update_or_create(
            partnership=partnership, code=f"E0599{number:04d}", defaults={"name": ward_name}
        )
    agencies: dict[str, Agency] = {}
    for code, agency_name, kind, teams in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            partnership=partnership,
            code=code,
            defaults={"name": agency_name, "kind": kind, "marac_sector": MARAC_SECTORS[code]},
        )
        for team_name in teams:
            Team.objects.get_or_create(agency=agency, name=team_name)
        agencies[code] = agency
    for person in SIGN_INS + OTHER_LEADS:
        _load_user(person, agencies[person.agency])
    return partnership


def _load_user(person: DemoUser, agency: Agency) -> None:
    user, created = User.objects.update_or_create(
        username=person.username,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": f"{person.username}@demo.saferhub.invalid",
            "job_title": person.job_title,
            "agency": agency,
            "team": Team.objects.get(agency=agency, name=person.team),
            "is_active": True,
        },
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    assign_roles(user, list(person.roles))
    mfa.set_up_published_authenticator(user, DEMO_AUTHENTICATOR_KEY)
