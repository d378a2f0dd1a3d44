"""High-risk domestic abuse: the area's MARAC settings, people, referrals and DASH answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from saferhub.partnership.models import Agency, Partnership
from saferhub.safeguarding import dash


class AreaSettings(models.Model):
    """A partnership's MARAC thresholds: areas differ, so each is a setting (SafeLives defaults)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="marac_settings"
    )
    high_risk_score = models.PositiveSmallIntegerField(
        "Visible high risk: DASH score of at least",
        default=14,
        help_text="The number of 'yes' answers that makes a referral visible high risk.",
    )
    escalation_incidents = models.PositiveSmallIntegerField(
        "Potential escalation: police incidents in 12 months of at least",
        default=3,
        help_text="Some areas use 5.",
    )
    reassessment_weeks = models.PositiveSmallIntegerField(
        "Reassessment due after (weeks)", default=8
    )
    adult_female_population = models.PositiveIntegerField(
        "Adult female population (16 and over)",
        null=True,
        blank=True,
        help_text="From the ONS mid-year estimates; the SafeLives return's cases per 10,000 "
        "adult females is left blank until it is set.",
    )
    confidentiality_statement = models.TextField(
        default=(
            "The information discussed at this meeting is shared in confidence, for the "
            "purpose of reducing the risk of serious harm to victims of domestic abuse and "
            "their children. It must not be shared outside the agencies present without the "
            "agreement of the chair, except to protect a person from serious harm. Each "
            "agency records the actions it agrees in its own systems."
        ),
        help_text="Printed at the top of every case list and read out at the start of a meeting.",
    )

    class Meta:
        verbose_name = "area MARAC settings"
        verbose_name_plural = "area MARAC settings"

    def __str__(self) -> str:
        return f"MARAC settings for {self.partnership}"

    def thresholds(self) -> dash.Thresholds:
        return dash.Thresholds(self.high_risk_score, self.escalation_incidents)


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_IRISH_TRAVELLER = "white_gypsy_irish_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean", "Mixed: White and Black Caribbean"
    MIXED_OTHER = "mixed_other", "Mixed: any other mixed or multiple background"
    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black: Caribbean"
    BLACK_OTHER = "black_other", "Black: any other Black, Black British or Caribbean background"
    OTHER_ARAB = "other_arab", "Other: Arab"
    OTHER_ANY = "other_any", "Other: any other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class AnswerSource(models.TextChoices):
    """Who gave the DASH answers: one source per checklist."""

    VICTIM = "victim", "The victim"
    REFERRER = "referrer", "The referrer's observation"
    OTHER_AGENCY = "other_agency", "Another agency"


class Person(models.Model):
    """A victim, known once to the partnership however many times they are referred."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    ethnicity = models.CharField(max_length=30, choices=Ethnicity.choices)
    lgbt = models.CharField("LGBT+", max_length=10, choices=YesNoNotKnown.choices)
    disabled = models.CharField(max_length=10, choices=YesNoNotKnown.choices)
    # Restricted: shown only to those whose roles allow Action.SEE_RESTRICTED_ADDRESS,
    # never on lists, in match offers or in exports.
    current_address = models.TextField(blank=True)
    # Keys for finding the same person again (people.keys), kept in step on save.
    folded_given = models.CharField(max_length=100, editable=False)
    folded_family = models.CharField(max_length=100, editable=False)
    given_sound = models.CharField(max_length=4, editable=False)
    family_sound = models.CharField(max_length=4, editable=False)
    postcode_district = models.CharField(max_length=4, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            # people.find_similar: same family name, a family name that sounds the same,
            # the same date of birth (or with day and month swapped), the same postcode district.
            models.Index(fields=["partnership", "folded_family"], name="person_family"),
            models.Index(fields=["partnership", "family_sound"], name="person_family_sound"),
            models.Index(fields=["partnership", "date_of_birth"], name="person_dob"),
            models.Index(fields=["partnership", "postcode_district"], name="person_district"),
            # The same, narrowed by a similar given name, for a city's common family names.
            models.Index(
                fields=["partnership", "family_sound", "given_sound"], name="person_sounds"
            ),
            models.Index(
                fields=["partnership", "postcode_district", "given_sound"],
                name="person_district_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs) -> None:
        from saferhub.safeguarding import people

        keys = people.keys(self.given_name, self.family_name, self.postcode)
        self.folded_given, self.folded_family = keys.given, keys.family
        self.given_sound, self.family_sound = keys.given_sound, keys.family_sound
        self.postcode_district = keys.district
        super().save(*args, **kwargs)


class Referral(models.Model):
    """A referral of a victim of high-risk domestic abuse to the partnership's MARAC."""

    class Status(models.TextChoices):
        REFERRED = "referred", "Referred: to be heard"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        # Heard at a meeting: the safety plan's actions are being carried out.
        OPEN = "open", "Heard: safety plan open"
        # Every action of the safety plan is complete. A repeat referral reopens it.
        CLOSED = "closed", "Closed"

    class LawfulBasis(models.TextChoices):
        VITAL_INTERESTS = "vital_interests", "Vital interests: to protect someone's life"
        PREVENTION_OF_CRIME = "prevention_of_crime", "Prevention or detection of crime"
        SAFEGUARDING = "safeguarding", "Safeguarding of children and individuals at risk"
        PUBLIC_TASK = "public_task", "Public task (a statutory function)"
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField()
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="marac_referrals"
    )
    # Copied from the agency when referred: the SafeLives return counts the sector as it was.
    marac_sector = models.CharField(max_length=30, choices=Agency.MaracSector.choices)
    referring_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="marac_referrals"
    )
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idva_referrals",
        verbose_name="IDVA",
    )
    children_in_household = models.PositiveSmallIntegerField()
    victim_informed = models.BooleanField("The victim knows of the referral")
    victim_consented = models.BooleanField("The victim consented to sharing")
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)
    sharing_reason = models.TextField("Reason for sharing without consent", blank=True)
    police_incidents = models.PositiveSmallIntegerField("Police incidents in the last 12 months")
    dash_source = models.CharField(
        "Who gave the checklist's answers", max_length=20, choices=AnswerSource.choices
    )
    professional_judgement = models.BooleanField()
    judgement_reason = models.TextField(blank=True)
    dash_score = models.PositiveSmallIntegerField()
    visible_high_risk = models.BooleanField()
    potential_escalation = models.BooleanField()
    is_repeat = models.BooleanField("Repeat")
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    why_not_eligible = models.TextField(blank=True)
    reassessment_due = models.DateField()
    # The first meeting that heard the case: the SafeLives return counts cases by it.
    heard_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Optimistic locking: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # The referral_ref of an imported referral: importing the same file again skips it.
    import_ref = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [
            # The referrals list: a partnership's, newest first, by status.
            models.Index(fields=["partnership", "status", "referred_on"], name="referral_list"),
            # The same list unfiltered, newest first: read in order, it stops at a page.
            models.Index(fields=["partnership", "referred_on", "id"], name="referral_newest"),
            # repeats.earlier_referral: a victim's referrals by date.
            models.Index(fields=["victim", "referred_on"], name="referral_victim_date"),
            # The SafeLives return and the strategy's measures: cases heard in a date range.
            models.Index(fields=["partnership", "heard_on"], name="referral_heard"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(victim_consented=True) | ~models.Q(lawful_basis=""),
                name="referral_without_consent_has_lawful_basis",
            ),
            models.UniqueConstraint(
                fields=["partnership", "import_ref"],
                condition=~models.Q(import_ref=""),
                name="referral_import_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}"

    @property
    def is_marac_case(self) -> bool:
        """Met a MARAC criterion (anything but not eligible)."""
        return self.status != self.Status.NOT_ELIGIBLE

    def reasons(self) -> list[str]:
        """The MARAC criteria met, in words."""
        met = {
            dash.VISIBLE_HIGH_RISK: self.visible_high_risk,
            dash.POTENTIAL_ESCALATION: self.potential_escalation,
            dash.PROFESSIONAL_JUDGEMENT: self.professional_judgement,
            dash.REPEAT: self.is_repeat,
        }
        return [dash.REASON_LABELS[code] for code, yes in met.items() if yes]


class DashAnswer(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="dash_answers")
    number = models.PositiveSmallIntegerField()
    answer = models.CharField(max_length=10, choices=dash.ANSWERS)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="dash_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.answer}"

    @property
    def question(self) -> str:
        return dash.QUESTIONS[self.number - 1]


class Perpetrator(models.Model):
    """An alleged perpetrator named in a referral.

    Kept per referral, not as a Person: the perpetrator is never told and never searched
    for. "The same perpetrator" for repeats is the same folded name with no conflicting
    date of birth (repeats.same_perpetrator).
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="perpetrators")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    folded_name = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs) -> None:
        from saferhub.safeguarding import people

        self.folded_name = people.fold(self.given_name) + people.fold(self.family_name)
        super().save(*args, **kwargs)


class Meeting(models.Model):
    """A daily meeting or a monthly MARAC: a case list, the agencies invited, and what
    was agreed. Its life: planned (the coordinator draws up the list), confirmed (the
    list is fixed, agencies invited and researching), open (in session: research is
    shared), closed (the safety plans are agreed)."""

    class Kind(models.TextChoices):
        DAILY = "daily", "Daily meeting"
        MONTHLY = "monthly", "Monthly MARAC"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned: case list being drawn up"
        CONFIRMED = "confirmed", "Case list confirmed: research under way"
        OPEN = "open", "In session"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField("Date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings"
    )
    invited_agencies = models.ManyToManyField(Agency, related_name="marac_invitations")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "held_on"], name="meeting_one_per_kind_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"

    @property
    def research_shared(self) -> bool:
        """Each agency sees the others' research only once the meeting is open."""
        return self.status in (self.Status.OPEN, self.Status.CLOSED)


class ListedCase(models.Model):
    """A referral on a meeting's case list, and what the meeting said about it."""

    class Why(models.TextChoices):
        NEW = "new", "New referral"
        REPEAT = "repeat", "Repeat referral"
        OVERDUE_ACTIONS = "overdue_actions", "Actions overdue"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="listed_cases")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="listings")
    position = models.PositiveSmallIntegerField()
    why = models.CharField("Why listed", max_length=20, choices=Why.choices)
    discussion = models.TextField(blank=True)
    heard = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "referral"], name="listed_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.referral} at {self.meeting}"


class Research(models.Model):
    """What one invited agency holds on a listed case, recorded before the meeting."""

    listed_case = models.ForeignKey(ListedCase, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="marac_research")
    holds_information = models.BooleanField("The agency holds information on the case")
    summary = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="marac_research"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "research"
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["listed_case", "agency"], name="research_once_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} on {self.listed_case}"


class SafetyAction(models.Model):
    """One action of a victim's multi-agency safety plan, owned by an agency."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETE = "complete", "Complete"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="safety_actions")
    agreed_at = models.ForeignKey(
        ListedCase, on_delete=models.PROTECT, related_name="actions_agreed"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="safety_actions")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safety_actions",
    )
    description = models.TextField()
    due_on = models.DateField("Due")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    update = models.TextField("Latest update", blank=True)
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # Overdue actions of a partnership's cases; an agency's actions, the completed
            # newest first.
            models.Index(fields=["status", "due_on"], name="safety_action_due"),
            models.Index(
                fields=["agency", "status", "completed_on"], name="safety_action_agency_done"
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class SafetyActionUpdate(models.Model):
    """One update of a safety-plan action, as its owner saved it: the action's history.

    SafetyAction.update holds the latest text; these rows keep every one, with who saved it
    and the action's version it made, so a save refused as stale can show what changed
    since the version its writer opened (safety_plans.StaleSafetyAction). The text is free
    text about a victim: erased with the action (deletion.py), checked on erasure and given
    in a subject access copy like the action's own text (governance)."""

    action = models.ForeignKey(SafetyAction, on_delete=models.CASCADE, related_name="updates")
    # The action's version once this update was saved.
    version = models.PositiveIntegerField()
    # Users are disabled, never deleted: who wrote an update is kept.
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_action_updates"
    )
    by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="safety_action_updates"
    )
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=SafetyAction.Status.choices)
    text = models.TextField()

    class Meta:
        verbose_name = "safety-plan action update"
        ordering = ["-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "version"], name="safety_action_update_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Update {self.version} of action {self.action_id}"


class CaseAccess(models.Model):
    """Who has a part in a case, which lets them see it (scopes.py): an agency that referred
    the case, was invited to a meeting that listed it, or owns one of its actions; or one
    user, its IDVA or someone who broke glass to open it (until a time).

    Derived, never edited: case_access.refresh() rewrites a case's rows from those sources
    whenever one changes, and a test checks after every test that the rows match them. Kept
    as rows because the scope asked of the sources meant working out every listing of every
    meeting an agency was invited to, on every page; one table lets the case list read the
    newest cases in order and look each up, and stop at a page."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="access")
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, related_name="case_access", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        related_name="case_access",
        db_index=False,
    )
    until = models.DateTimeField(null=True)  # a break-glass grant's end

    class Meta:
        verbose_name_plural = "case access"
        constraints = [
            models.UniqueConstraint(fields=["agency", "referral"], name="case_access_agency"),
            models.CheckConstraint(
                condition=Q(agency__isnull=True, user__isnull=False)
                | Q(agency__isnull=False, user__isnull=True),
                name="case_access_agency_or_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "referral"], name="case_access_user")]

    def __str__(self) -> str:
        return f"{self.agency or self.user} on {self.referral}"


class ReferralImport(models.Model):
    """A spreadsheet of past referrals uploaded by the coordinator, imported by the task
    worker all-or-nothing (importing.py). The file is kept in the row, never on disk under
    a name the user chose, and emptied once the import has finished."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Not imported: problems found"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="referral_imports"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referral_imports"
    )
    filename = models.CharField(max_length=200)  # shown back to the user, never used as a path
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # Each problem: {"line": n, "column": name, "message": text}.
    problems = models.JSONField(default=list)
    # On success: {"referrals": n, "people": n, "meetings": n}.
    created = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.filename}"


class BreakGlassAccess(models.Model):
    """A user opened a case outside their scope in an emergency, giving a reason. The access
    lasts a few hours (breakglass.HOURS); the coordinator and the case's referring agency are
    told, and administrators see every one on a report."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass"
    )
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user")]

    def __str__(self) -> str:
        return f"Break-glass access to {self.referral}"
