"""The partnership's strategy: priorities, measures with targets, partner returns and actions."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from saferhub.partnership.models import Agency, Partnership
from saferhub.strategy.periods import Period, PeriodType


class Strategy(models.Model):
    """A multi-year plan, such as the Safer Leeds Strategy 2021-24."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="strategies"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    ambition = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="strategy_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="strategy_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    aligned_objectives = models.ManyToManyField(
        "ExternalObjective", blank=True, related_name="priorities"
    )

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="priority_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Outcome(models.Model):
    """What the partnership wants to be true when a priority succeeds."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="outcomes")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["priority", "order", "id"]

    def __str__(self) -> str:
        return self.text


class ExternalPlan(models.Model):
    """A plan the strategy aligns with, such as a Police and Crime Plan."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="external_plans"
    )
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ExternalObjective(models.Model):
    plan = models.ForeignKey(ExternalPlan, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Measure(models.Model):
    """A performance measure. Its values are submitted by a partner, computed by a
    formula over other measures on read, or derived from saferhub's own records."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
        MONEY = "money", "Money (£)"
        DAYS = "days", "Days"

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"

    class Source(models.TextChoices):
        SUBMITTED = "submitted", "Submitted by a partner"
        FORMULA = "formula", "Formula over other measures"
        DERIVED = "derived", "Derived from saferhub's records"

    # The strategy is the priority's; kept here so that codes are unique per strategy.
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(max_length=40, help_text="Used in uploads, e.g. da-repeat-rate.")
    name = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=4, choices=Direction.choices)
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="measures")
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_label = models.CharField(
        max_length=60, blank=True, help_text="What the baseline is, e.g. 2020/21 outturn."
    )
    tolerance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text="How far from target still counts as amber rather than red.",
    )
    is_headline = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SUBMITTED)
    # (b) formula: numerator / denominator x factor, recomputed on read.
    numerator = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    factor = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    # (c) derived: the key of a function registered in strategy.derived.
    derived_key = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["priority__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="measure_code_unique"),
            models.CheckConstraint(
                name="measure_source_fields",
                violation_error_message=(
                    "Fill in what the way the measure is obtained needs: a formula needs a "
                    "numerator, a denominator and a factor; a derived measure needs its source."
                ),
                condition=(
                    Q(source="submitted", numerator=None, denominator=None, derived_key="")
                    | Q(
                        source="formula",
                        numerator__isnull=False,
                        denominator__isnull=False,
                        factor__isnull=False,
                        derived_key="",
                    )
                    | (Q(source="derived", numerator=None, denominator=None) & ~Q(derived_key=""))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.strategy_id = self.priority.strategy_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.source == self.Source.FORMULA:
            parts = [self.numerator, self.denominator]
            if None in parts or self.factor is None:
                raise ValidationError("A formula needs a numerator, a denominator and a factor.")
            if any(part.period_type != self.period_type for part in parts):
                raise ValidationError(
                    "The numerator and denominator must be reported for the same periods "
                    "(monthly, quarterly or yearly) as the measure itself."
                )
            if any(part.source == self.Source.FORMULA for part in parts):
                raise ValidationError("A formula may use submitted or derived measures only.")
        if self.source == self.Source.DERIVED and not self.derived_key:
            raise ValidationError("Choose which of saferhub's records the measure is derived from.")

    def period(self, code: str) -> Period:
        return Period.parse(code, self.period_type)

    def figure_problem(self, value: Decimal) -> str | None:
        """Why a figure cannot be right for this measure's unit ("is below 0: ..."), or None.
        The return form and the upload both check figures here."""
        unit = self.Unit(self.unit)
        if value < 0 and unit != self.Unit.MONEY:
            kind = unit.label.lower()
            return f"is below 0: {self.code} is a {kind} figure, which cannot be negative"
        if unit == self.Unit.PERCENTAGE and value > 100:
            return f"is over 100: {self.code} is a percentage (0 to 100)"
        if unit == self.Unit.COUNT and value != value.to_integral_value():
            return f"is not a whole number: {self.code} is a count"
        return None

    def period_of(self, day) -> Period:
        return Period.containing(day, self.period_type)


class Target(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["measure", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_start"], name="target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period_start}: {self.value}"


class PartnerReturn(models.Model):
    """One agency's figures for one quarter, submitted then approved or sent back."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="returns")
    quarter_start = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    return_reason = models.TextField(blank=True)
    # Optimistic locking: a save states the version it read.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-quarter_start", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "agency", "quarter_start"], name="return_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} return for {self.quarter.code}"

    @property
    def quarter(self) -> Period:
        return Period(self.quarter_start, PeriodType.QUARTERLY)


class MeasureValue(models.Model):
    """One revision of one figure. Nothing is overwritten: a correction adds a revision
    and the latest revision is current."""

    class Entry(models.TextChoices):
        FORM = "form", "Return form"
        UPLOAD = "upload", "Spreadsheet upload"
        CORRECTION = "correction", "Correction after approval"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    comment = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    partner_return = models.ForeignKey(
        PartnerReturn, on_delete=models.PROTECT, related_name="values"
    )
    entry = models.CharField(max_length=10, choices=Entry.choices, default=Entry.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "period_start", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start", "revision"], name="value_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["measure", "period_start"],
                condition=Q(is_current=True),
                name="value_one_current",
            ),
        ]
        indexes = [
            # Dashboards: the current values of many measures over a run of periods.
            models.Index(
                fields=["measure", "period_start"],
                condition=Q(is_current=True),
                name="value_current_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.period_start} r{self.revision}: {self.value}"


class Action(models.Model):
    """A commitment an agency owns under a priority."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DONE = "done", "Done"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # "Overdue actions": not done and past due, by agency.
            models.Index(fields=["owning_agency", "status", "due_on"], name="action_overdue_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        """Overdue is derived, never stored: it cannot go stale."""
        return self.status != self.Status.DONE and self.due_on < today

    def display_status(self, today) -> str:
        return "Overdue" if self.is_overdue(today) else self.get_status_display()


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    written_on = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return f"{self.written_on}: {self.text[:40]}"


class ReminderSent(models.Model):
    """One reminder e-mail, kept so that running send-reminders again sends nothing twice."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=100, help_text="What it was about, e.g. return:12:2023-04-01")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
