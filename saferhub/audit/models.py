from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One logged act (Data Protection Act 2018 s62): who did what to which record, when.

    Rows are only ever added, through audit.services.record(). `data` holds
    identifiers and context, never the personal data itself.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The actor's agency at the time: users move agencies, the log must not.
    agency_code = models.CharField(max_length=20, blank=True)
    verb = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who has done what to this record?"
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx"),
            # "What has this user done?"
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"
