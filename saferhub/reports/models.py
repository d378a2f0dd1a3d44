"""The reports app's records: narrative highlights written for the annual report, and
the reports generated in the background."""

from django.conf import settings
from django.db import models

from saferhub.partnership.models import Agency
from saferhub.strategy.models import Priority


class Highlight(models.Model):
    """A short, dated account of progress against a priority, written by an agency.

    The CSP team chooses which highlights go into the annual report (`included`); a
    report shows the included highlights written on a day of its reporting year.
    The text is plain: paragraphs, "- " bullets and **bold** (reports.formatting).
    """

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="highlights")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="highlights")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="highlights"
    )
    written_on = models.DateField(help_text="The day the progress is reported as of.")
    title = models.CharField(max_length=150, blank=True)
    text = models.TextField()
    included = models.BooleanField(
        default=False, help_text="Chosen by the CSP team for the annual report."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["priority__number", "-written_on", "id"]
        indexes = [
            models.Index(fields=["priority", "written_on"], name="highlight_priority_day_idx"),
        ]

    def __str__(self) -> str:
        return self.title or f"Highlight of {self.written_on:%d %B %Y}"


class GeneratedReport(models.Model):
    """One generation of the annual report: asked for on the web page, made by the task
    worker, and kept with who asked for it and when."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF (for printing and the board paper)"
        DOCX = "docx", "Word (to edit into a board paper)"
        HTML = "html", "Web page (HTML)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being generated"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    strategy = models.ForeignKey(
        "strategy.Strategy", on_delete=models.CASCADE, related_name="generated_reports"
    )
    year_ending = models.DateField()
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Kept in the database, not on a server's disk: any application server can hand
    # it out, and retention and erasure reach it with everything else.
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Annual report {self.strategy.slug} {self.year_ending} ({self.format})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def filename(self) -> str:
        return f"annual-report-{self.strategy.slug}-{self.year_ending.isoformat()}.{self.format}"
