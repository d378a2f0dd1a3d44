"""The audit log's hash chain: each entry's hash covers its contents and the hash before it.

An entry's hash is the SHA-256 of a canonical JSON serialisation (sorted keys, no
spaces, ASCII) of its time (UTC, ISO 8601 to the microsecond), actor id, agency code,
verb, target type, target id, data and the previous entry's hash. The first entry
follows GENESIS.

The id is left out on purpose: the hash can then be computed before the row is
inserted, so appending is one INSERT. Order is still protected: `verify` walks the
table in id order and checks that each entry's `previous_hash` is the hash of the
entry before it, so a deleted, inserted or reordered entry breaks the chain there.

Changing this serialisation breaks every existing chain: it is a contract.
"""

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, transaction

GENESIS = "0" * 64
# Verify reads the table in chunks of this many rows.
CHUNK_SIZE = 20_000
# The columns entry_hash() needs, in its argument order, then the stored hashes.
COLUMNS = (
    "id",
    "at",
    "actor_id",
    "agency_code",
    "verb",
    "target_type",
    "target_id",
    "data",
    "previous_hash",
    "hash",
)

_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode
_sha256 = hashlib.sha256


def entry_hash(
    previous_hash: str,
    at: datetime,
    actor_id: int | None,
    agency_code: str,
    verb: str,
    target_type: str,
    target_id: str,
    data,
) -> str:
    """The hex SHA-256 an entry with these contents, following `previous_hash`, carries."""
    payload = _dumps(
        {
            "actor_id": actor_id,
            "agency_code": agency_code,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "data": data,
            "previous_hash": previous_hash,
            "target_id": target_id,
            "target_type": target_type,
            "verb": verb,
        }
    )
    return _sha256(payload.encode("ascii")).hexdigest()


def hash_of(event) -> str:
    """The hash an AuditEvent instance should carry."""
    return entry_hash(
        event.previous_hash,
        event.at,
        event.actor_id,
        event.agency_code,
        event.verb,
        event.target_type,
        event.target_id,
        event.data,
    )


@dataclass(frozen=True)
class Verdict:
    checked: int
    seconds: float
    broken_id: int | None = None
    broken_at: datetime | None = None
    broken_verb: str = ""
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None

    def __str__(self) -> str:
        if self.intact:
            return f"Audit log intact: {self.checked:,} entries checked in {self.seconds:.2f} s"
        return (
            f"Audit log broken at entry #{self.broken_id} "
            f"({self.broken_at.astimezone(UTC).isoformat()}, {self.broken_verb}): {self.reason}"
        )


def check(rows: Iterable[tuple]) -> tuple[int, tuple | None, str]:
    """Walk rows (COLUMNS, in id order); the count checked and the first broken row, if any."""
    expected_previous = GENESIS
    checked = 0
    for row in rows:
        _, at, actor_id, agency_code, verb, target_type, target_id, data, previous, stored = row
        if previous != expected_previous:
            return (
                checked,
                row,
                (
                    "it does not follow the entry before it (its previous hash does not match): "
                    "an entry was removed, inserted or reordered here"
                    if checked
                    else "the log does not start at the beginning of the chain"
                ),
            )
        if stored != entry_hash(
            previous, at, actor_id, agency_code, verb, target_type, target_id, data
        ):
            return checked, row, "its hash does not match its contents: the entry was altered"
        expected_previous = stored
        checked += 1
    return checked, None, ""


def _check_postgresql(connection) -> tuple[int, tuple | None, str]:
    """The same walk through a server-side cursor, without the ORM's per-row work."""
    columns = ", ".join(COLUMNS)
    loads = json.loads  # Django has psycopg hand over jsonb as text
    with (
        transaction.atomic(using=connection.alias),
        connection.connection.cursor(name="audit_verify") as cursor,
    ):
        cursor.itersize = CHUNK_SIZE
        cursor.execute(f"SELECT {columns} FROM audit_auditevent ORDER BY id")  # noqa: S608
        rows = (
            row[:7] + (loads(row[7]) if isinstance(row[7], str) else row[7],) + row[8:]
            for row in cursor
        )
        return check(rows)


def verify(using: str = "default") -> Verdict:
    """Recompute the whole chain, oldest entry first; name the first broken entry."""
    from saferhub.audit.models import AuditEvent

    started = time.perf_counter()
    connection = connections[using]
    if connection.vendor == "postgresql":
        checked, broken, reason = _check_postgresql(connection)
    else:
        rows = (
            AuditEvent.objects.using(using)
            .order_by("id")
            .values_list(*COLUMNS)
            .iterator(chunk_size=CHUNK_SIZE)
        )
        checked, broken, reason = check(rows)
    seconds = time.perf_counter() - started
    if broken is None:
        return Verdict(checked, seconds)
    return Verdict(checked, seconds, broken[0], broken[1], broken[4], reason)
