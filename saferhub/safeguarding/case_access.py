"""Who has a part in which cases (models.CaseAccess), kept in step with where that part
comes from: the agency that referred the case, the agencies invited to a meeting that
listed it, the agencies owning one of its actions, its IDVA, and anyone who broke glass.
scopes.py reads the rows; every service that changes a source calls refresh() for the
cases it touched, in its transaction.

The rows are rewritten from the sources, never patched: whatever changed, a refresh leaves
exactly what the sources say (tests/conftest.py checks it after every test).
"""

from django.db import connection
from django.db.models import QuerySet

from saferhub.safeguarding.models import (
    BreakGlassAccess,
    CaseAccess,
    ListedCase,
    Meeting,
    Referral,
    SafetyAction,
)

# Table names come from the models, the referral ids from a queryset's own SQL and
# parameters: nothing a user typed is put into these statements (hence the noqa: S608).
_SOURCES = (
    # The casts give the NULL columns their types (PostgreSQL types a UNION from its first
    # SELECT on).
    "SELECT referring_agency_id, CAST(NULL AS bigint), id,"
    " CAST(NULL AS timestamp with time zone) FROM {referral} WHERE {only_referral}"
    " UNION SELECT i.agency_id, NULL, l.referral_id, NULL FROM {listed} l"
    " JOIN {invited} i ON i.meeting_id = l.meeting_id WHERE {only_listed}"
    " UNION SELECT agency_id, NULL, referral_id, NULL FROM {action} WHERE {only_action}"
    " UNION SELECT NULL, idva_id, id, NULL FROM {referral}"
    " WHERE idva_id IS NOT NULL AND {only_referral}"
    " UNION SELECT NULL, user_id, referral_id, expires_at FROM {glass} WHERE {only_glass}"
)
_COLUMNS = "(agency_id, user_id, referral_id, until)"
_USES = 5  # how many times the ids' SQL (and its parameters) appears in _SOURCES


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def sources_sql(ids_sql: str = "") -> str:
    """SELECT (agency_id, user_id, referral_id, until) of every part someone has in a case,
    from the sources; `ids_sql`, a SELECT of referral ids, limits it to those cases."""
    return _SOURCES.format(
        referral=_table(Referral),
        listed=_table(ListedCase),
        invited=_table(Meeting.invited_agencies.through),
        action=_table(SafetyAction),
        glass=_table(BreakGlassAccess),
        only_referral=f"id IN ({ids_sql})" if ids_sql else "1 = 1",
        only_listed=f"l.referral_id IN ({ids_sql})" if ids_sql else "1 = 1",
        only_action=f"referral_id IN ({ids_sql})" if ids_sql else "1 = 1",
        only_glass=f"referral_id IN ({ids_sql})" if ids_sql else "1 = 1",
    )


def refresh(referrals: QuerySet) -> None:
    """Rewrite the access rows of `referrals` (a Referral queryset) from the sources."""
    ids_sql, params = referrals.values("pk").query.sql_with_params()
    access = _table(CaseAccess)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {access} WHERE referral_id IN ({ids_sql})", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {access} {_COLUMNS} {sources_sql(ids_sql)}",  # noqa: S608
            list(params) * _USES,
        )


def refresh_case(referral_id: int) -> None:
    refresh(Referral.objects.filter(pk=referral_id))


def mismatches() -> tuple[set[tuple], set[tuple]]:
    """(rows the sources give that are missing, rows present that the sources do not give),
    each (agency id, user id, case id, until): both empty when the table is in step."""
    with connection.cursor() as cursor:
        cursor.execute(sources_sql())
        wanted = {_comparable(row) for row in cursor.fetchall()}
        cursor.execute(f"SELECT agency_id, user_id, referral_id, until FROM {_table(CaseAccess)}")  # noqa: S608
        present = {_comparable(row) for row in cursor.fetchall()}
    return wanted - present, present - wanted


def _comparable(row) -> tuple:
    # SQLite hands back a column's time as a datetime, a UNION's as text: compare as text.
    agency, user, referral, until = row
    return agency, user, referral, None if until is None else str(until)
