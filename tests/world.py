"""The one test world every test shares: a partnership's agencies and a user of each role.

Besides the usual cast there is `outsider`, whose agency has nothing shared
with anyone, and `stranger`, who belongs to another partnership altogether.
"""

from dataclasses import dataclass

from saferhub.access.roles import Role
from saferhub.partnership.models import Agency, Partnership, Team, User
from saferhub.partnership.services import assign_roles

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    partnership: Partnership
    police: Agency
    council: Agency
    idva_service: Agency
    housing: Agency
    allotments: Agency  # an agency with nothing shared
    admin: User
    analyst: User
    police_lead: User
    police_officer: User
    coordinator: User
    idva: User
    housing_officer: User
    board_member: User
    outsider: User
    stranger: User

    def users_by_role(self) -> dict[str, User]:
        """Every signed-in user of the world, by a readable name."""
        return {
            name: getattr(self, name)
            for name in (
                "admin",
                "analyst",
                "police_lead",
                "police_officer",
                "coordinator",
                "idva",
                "housing_officer",
                "board_member",
                "outsider",
                "stranger",
            )
        }


def _user(username: str, agency: Agency, *roles: Role, team: Team | None = None) -> User:
    first, _, last = username.partition("_")
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first.title(),
        last_name=(last or "tester").title(),
        agency=agency,
        team=team,
    )
    assign_roles(user, list(roles))
    return user


def build_world() -> World:
    partnership = Partnership.objects.create(name="Safer Testford", area="Testford")

    def agency(code: str, name: str, kind: str, sector: str) -> Agency:
        return Agency.objects.create(
            partnership=partnership, code=code, name=name, kind=kind, marac_sector=sector
        )

    K, S = Agency.Kind, Agency.MaracSector
    police = agency("police", "Testford Police", K.POLICE, S.POLICE)
    council = agency("council", "Testford Council Community Safety", K.COUNCIL, S.OTHER)
    idva_service = agency("idva", "Testford IDVA Service", K.IDVA_SERVICE, S.IDVA)
    housing = agency("housing", "Testford Homes", K.HOUSING, S.HOUSING)
    allotments = agency("allotments", "Testford Allotments Society", K.CHARITY, S.VOLUNTARY_SECTOR)
    da_team = Team.objects.create(agency=police, name="Domestic Abuse Team")

    elsewhere = Partnership.objects.create(name="Safer Elsewhere", area="Elsewhere")
    elsewhere_police = Agency.objects.create(
        partnership=elsewhere, code="police", name="Elsewhere Police", kind=Agency.Kind.POLICE
    )
    return World(
        partnership=partnership,
        police=police,
        council=council,
        idva_service=idva_service,
        housing=housing,
        allotments=allotments,
        admin=_user("ada_admin", council, Role.CSP_ADMIN),
        analyst=_user("anil_analyst", council, Role.CSP_ANALYST),
        police_lead=_user("lena_lead", police, Role.AGENCY_LEAD),
        # A DA team officer: holds the police domestic abuse role (sees victims' addresses).
        police_officer=_user("owen_officer", police, Role.AGENCY_REP, Role.POLICE_DA, team=da_team),
        coordinator=_user("cora_coordinator", council, Role.MARAC_COORDINATOR),
        idva=_user("ivy_idva", idva_service, Role.IDVA),
        housing_officer=_user("hal_housing", housing, Role.AGENCY_REP),
        board_member=_user("bea_board", council, Role.BOARD_MEMBER),
        outsider=_user("otto_outsider", allotments, Role.AGENCY_REP),
        stranger=_user("sam_stranger", elsewhere_police, Role.CSP_ADMIN),
    )
