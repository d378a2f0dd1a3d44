"""The one audit service: every app records what users do through `record`."""

from django.db import models

from saferhub.audit.models import AuditEvent


def record(actor, verb: str, target: models.Model | None = None, **data) -> AuditEvent:
    """Log that `actor` did `verb` (a namespaced verb such as "user.signed_in") to `target`.

    Pass identifiers and context in `data`, never names, addresses or free text
    about a person.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    agency = getattr(actor, "agency", None) if is_user else None
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        agency_code=agency.code if agency else "",
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )
