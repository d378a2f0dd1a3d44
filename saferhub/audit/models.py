from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone


class AppendOnlyQuerySet(models.QuerySet):
    """The log is append-only: no bulk change or removal through the ORM either."""

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only: entries cannot be changed.")

    def delete(self):
        raise PermissionError("The audit log is append-only: entries cannot be removed.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEvent(models.Model):
    """One logged act (Data Protection Act 2018 s62): who did what to which record, when.

    Rows are only ever added, through audit.services.record(), and each carries a
    hash chained to the entry before it (audit/chain.py); `saferhub audit verify`
    checks the chain. The database refuses UPDATE and DELETE (audit/append_only.py).
    `data` holds identifiers and context, never the personal data itself.
    """

    # Set by record() inside the chain's lock, so it is part of the hash before the INSERT.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The actor's agency at the time: users move agencies, the log must not.
    agency_code = models.CharField(max_length=20, blank=True)
    verb = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Unique: two entries can never follow the same one, even if the lock were bypassed.
    previous_hash = models.CharField(max_length=64, unique=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Who has done what to this record?"
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx"),
            # "What has this user done?"
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            # The log search by verb, newest first, and the verbs present for its
            # filter (audit.queries.verbs_present walks this index, not the table).
            models.Index(fields=["verb", "id"], name="audit_verb_idx"),
            # "Who has viewed this person?" (audit.queries.viewers_of): entries that name
            # a referral or a person in their data rather than as their target.
            models.Index(KeyTransform("referral", "data"), name="audit_data_referral_idx"),
            models.Index(KeyTransform("person", "data"), name="audit_data_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only: entries cannot be changed.")
        if not self.hash:
            raise ValueError("Add audit entries through saferhub.audit.services.record().")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only: entries cannot be removed.")
