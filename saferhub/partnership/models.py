"""The partnership: its agencies, their teams, the wards it covers, and its users."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from saferhub.access.roles import Role


class Partnership(models.Model):
    """A Community Safety Partnership, such as Safer Leeds."""

    name = models.CharField(max_length=120, unique=True)
    area = models.CharField(max_length=120, help_text="The district it covers, e.g. Leeds.")

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="wards")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=12, help_text="ONS ward code, e.g. E05011111.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="ward_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A partner organisation: a police force, a council service, a charity..."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police force"
        COUNCIL = "council", "Council service"
        HEALTH = "health", "Health trust or board"
        HOUSING = "housing", "Housing provider"
        SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol service"
        PROBATION = "probation", "Probation"
        IDVA_SERVICE = "idva_service", "IDVA service"
        CHARITY = "charity", "Charity or voluntary sector"
        FIRE = "fire", "Fire and rescue"
        OTHER_PUBLIC = "other_public", "Other public body"

    class MaracSector(models.TextChoices):
        """The referring-agency sectors of SafeLives' quarterly MARAC return."""

        POLICE = "police", "Police"
        IDVA = "idva", "IDVA"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        HEALTH = "health", "Health"
        MENTAL_HEALTH = "mental_health", "Mental health"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
        HOUSING = "housing", "Housing"
        PROBATION = "probation", "Probation"
        EDUCATION = "education", "Education"
        VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=160)
    code = models.SlugField(
        max_length=20,
        help_text="Short code used in imports and returns, e.g. wyp.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    marac_sector = models.CharField(
        "MARAC sector",
        max_length=30,
        choices=MaracSector.choices,
        default=MaracSector.OTHER,
        help_text="How SafeLives' MARAC return counts referrals from this agency.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="agency_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=160)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.code})"


class User(AbstractUser):
    """A person who signs in. Belongs to exactly one agency; holds one or more roles."""

    # A user without an agency can exist only as a Django superuser created by hand
    # for break-in administration; every real user belongs to an agency.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    job_title = models.CharField(max_length=120, blank=True)

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.team.agency_id != self.agency_id:
            raise ValidationError({"team": "Choose a team of the user's own agency."})

    @property
    def role_codes(self) -> frozenset[str]:
        # Cached on the instance: role checks run several times per request.
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(self.role_assignments.values_list("role", flat=True))
        return self._role_codes

    def has_role(self, role: Role) -> bool:
        return role in self.role_codes

    def role_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.role_codes)]


class RoleAssignment(models.Model):
    """One role held by one user. What each role may do is decided in access.permissions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return Role(self.role).label
