"""Reading the audit log: the administrators' search, and who has consulted a person's records.

The log holds identifiers, never personal data; these queries return its entries as they
are. A partnership's administrators see the entries made by its own users (the log has no
partnership column: an entry belongs to the partnership of the user who made it, so
entries made by no user, such as the system's own notices, are not searched here).
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connections, router
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from saferhub.audit.models import AuditEvent
from saferhub.partnership.models import User

PERSON = "safeguarding.person"
REFERRAL = "safeguarding.referral"

# Consultation (DPA 2018 s62): seeing a record, finding it in a search, exporting it.
CONSULTATION_ENDINGS = (".viewed", ".searched", ".exported", ".downloaded")
CONSULTATION_VERBS = frozenset(
    {
        "research.saved",  # an agency's research on the case, written with the case open
        "referral.break_glass",  # the case opened outside the user's access
        "subject_access.produced",  # everything held, disclosed to the person
        "person.viewers_viewed",  # this list, which names the person, seen by an administrator
    }
)
# Searches that return people record their ids as a list under "people"; case-list searches
# and exports record the cases they showed or held under "referrals".
PEOPLE_LISTED_BY = frozenset({"person.searched"})
REFERRALS_LISTED_BY = frozenset({"referral.searched", "referrals.exported"})


@dataclass(frozen=True)
class Filters:
    """What the administrator searched for; every part optional. Days are UTC."""

    start: date | None = None
    end: date | None = None
    actor_id: int | None = None
    agency_code: str = ""
    verb: str = ""
    target_type: str = ""
    target_id: str = ""

    def as_data(self) -> dict:
        """For the audit entry that records the search: identifiers only, as JSON."""
        found = {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "user": self.actor_id,
            "agency": self.agency_code,
            "verb": self.verb,
            "target_type": self.target_type,
            "target_id": self.target_id,
        }
        return {key: value for key, value in found.items() if value not in (None, "")}


def of_partnership(partnership_id: int) -> QuerySet:
    """The entries made by the partnership's users."""
    # A subquery, not a join: newest first then reads the log backwards by id, keeping
    # the partnership's entries, and stops at a page's worth.
    users = User.objects.filter(agency__partnership_id=partnership_id).values("pk")
    return AuditEvent.objects.filter(actor_id__in=users)


def _with_actors(entries: QuerySet) -> QuerySet:
    """Entries with the names of the users who made them (and nothing else about them)."""
    fields = [field.name for field in AuditEvent._meta.concrete_fields]
    names = ["actor__username", "actor__first_name", "actor__last_name"]
    return entries.select_related("actor").only(*fields, *names)


def search(partnership_id: int, filters: Filters) -> QuerySet:
    """The partnership's entries matching `filters`, newest first (by id: the chain's order)."""
    found = of_partnership(partnership_id)
    if filters.start:
        found = found.filter(at__gte=_midnight(filters.start))
    if filters.end:
        found = found.filter(at__lt=_midnight(filters.end + timedelta(days=1)))
    if filters.actor_id:
        found = found.filter(actor_id=filters.actor_id)
    if filters.agency_code:
        found = found.filter(agency_code=filters.agency_code)
    if filters.verb:
        found = found.filter(verb=filters.verb)
    if filters.target_type:
        found = found.filter(target_type=filters.target_type)
    if filters.target_id:
        found = found.filter(target_id=filters.target_id)
    return _with_actors(found).order_by("-id")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def verbs_present() -> list[str]:
    """Every verb in the log, in order, one index lookup per verb (not a scan of the log)."""
    return _distinct("verb")


def target_types_present() -> list[str]:
    """Every target type in the log, in order (audit_target_idx leads with it)."""
    return [value for value in _distinct("target_type") if value]


def _distinct(column: str) -> list[str]:
    # A "loose index scan": from the smallest value, repeatedly the next greater one.
    # Both databases run this recursive query; each step is one probe of an index.
    if column not in {"verb", "target_type"}:
        raise ValueError(column)
    table = AuditEvent._meta.db_table
    sql = f"""
        WITH RECURSIVE present(value) AS (
            SELECT min({column}) FROM {table}
            UNION ALL
            SELECT (SELECT min({column}) FROM {table} WHERE {column} > present.value)
            FROM present WHERE present.value IS NOT NULL
        )
        SELECT value FROM present WHERE value IS NOT NULL
    """  # noqa: S608 (the column is one of two names, the table the model's)
    with connections[router.db_for_read(AuditEvent)].cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def is_consultation(verb: str) -> bool:
    return verb.endswith(CONSULTATION_ENDINGS) or verb in CONSULTATION_VERBS


def _consultation() -> Q:
    consulted = Q(verb__in=CONSULTATION_VERBS)
    for ending in CONSULTATION_ENDINGS:
        consulted |= Q(verb__endswith=ending)
    return consulted


def viewers_of(person) -> QuerySet:
    """Who has consulted a person's records: the entries viewing, finding, exporting or
    researching the person or any of their referrals, newest first.

    An entry is about the person if its target is the person or one of their referrals,
    if its data names the person ("person") or one of the referrals ("referral", as a
    safety-plan action viewed does), if it is a search whose results ("people") included
    the person, or if it is a case-list search or export whose cases ("referrals") included
    one of theirs.
    """
    referral_ids = list(person.referrals.values_list("pk", flat=True))
    about = (
        Q(target_type=PERSON, target_id=str(person.pk))
        | Q(data__person=person.pk)
        | lists_naming(person.pk, referral_ids)
    )
    if referral_ids:
        about |= Q(target_type=REFERRAL, target_id__in=[str(pk) for pk in referral_ids])
        about |= Q(data__referral__in=referral_ids)
    return _with_actors(AuditEvent.objects.filter(about & _consultation())).order_by("-id")


def lists_naming(person_id: int, referral_ids: list[int]) -> Q:
    """Entries whose lists name the person: a person search that found them ("people"), and
    a case-list search or export that showed or held one of their referrals ("referrals")."""
    found = Q(verb__in=PEOPLE_LISTED_BY) & Q(_list_holds("people", person_id))
    held = Q()
    for pk in referral_ids:
        held |= Q(_list_holds("referrals", pk))
    return found | (Q(verb__in=REFERRALS_LISTED_BY) & held) if referral_ids else found


def _list_holds(key: str, value: int) -> RawSQL:
    """The entry's data holds a list under `key` that contains the integer `value`."""
    table = AuditEvent._meta.db_table
    if connections[router.db_for_read(AuditEvent)].vendor == "postgresql":
        return RawSQL(  # noqa: S611 (the key and value are parameters)
            f'("{table}"."data" -> %s) @> %s::jsonb',
            [key, json.dumps([int(value)])],
            output_field=BooleanField(),
        )
    return RawSQL(  # noqa: S611 (the key and value are parameters)
        f'EXISTS (SELECT 1 FROM json_each("{table}"."data", %s) AS item WHERE item.value = %s)',  # noqa: S608
        [f"$.{key}", int(value)],
        output_field=BooleanField(),
    )
