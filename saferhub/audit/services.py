"""The one audit service: every app records what users do through `record`."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router, transaction
from django.utils import timezone

from saferhub.audit import chain
from saferhub.audit.append_only import maintenance
from saferhub.audit.models import AuditEvent

# pg_advisory_xact_lock's key for "appending to the audit chain" ("saferhub").
CHAIN_LOCK = 0x5AFE_4B0B


def record(actor, verb: str, target: models.Model | None = None, **data) -> AuditEvent:
    """Log that `actor` did `verb` (a namespaced verb such as "user.signed_in") to `target`.

    Pass identifiers and context in `data`, never names, addresses or free text
    about a person.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    agency = getattr(actor, "agency", None) if is_user else None
    event = AuditEvent(
        actor=actor if is_user else None,
        agency_code=agency.code if agency else "",
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        lock_the_chain(using)
        # Read the last hash and take the time inside the lock: the entries' times
        # then follow their order in the chain.
        event.previous_hash = last_hash(using)
        event.at = timezone.now()
        event.hash = chain.hash_of(event)
        event.save(using=using)
    return event


def lock_the_chain(using: str = "default") -> None:
    """Hold the chain until this transaction ends, so no two entries follow the same one.

    PostgreSQL: a transaction-level advisory lock. SQLite: transactions begin
    IMMEDIATE (settings.DATABASES), so a writer already holds the database's one
    write lock. Either way, the unique previous_hash refuses a second follower.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("lock_the_chain() must run inside transaction.atomic().")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def last_hash(using: str = "default") -> str:
    latest = AuditEvent.objects.using(using).order_by("-id").values_list("hash", flat=True)
    return latest.first() or chain.GENESIS


def backdate_for_demo(events: list[AuditEvent], using: str = "default") -> None:
    """Move demo entries to invented times and re-chain the log after them.

    Only the demo's invented history may do this: it refuses in production.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Audit entries can never be backdated in production.")
    if not events:
        return
    plain = models.QuerySet(AuditEvent, using=using)
    with transaction.atomic(using=using), maintenance(using):
        lock_the_chain(using)
        plain.bulk_update(events, ["at"], batch_size=500)
        _rechain_from(min(event.pk for event in events), plain)


def _rechain_from(first_id: int, plain: models.QuerySet) -> None:
    before = plain.filter(id__lt=first_id).order_by("-id").values_list("hash", flat=True)
    previous = before.first() or chain.GENESIS
    changed = []
    for event in plain.filter(id__gte=first_id).order_by("id"):
        event.previous_hash = previous
        event.hash = chain.hash_of(event)
        previous = event.hash
        changed.append(event)
    plain.bulk_update(changed, ["previous_hash", "hash"], batch_size=500)
