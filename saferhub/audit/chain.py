"""The audit log's hash chain: each entry's hash covers its contents and the hash before it.

An entry's hash is the SHA-256 of a canonical JSON serialisation (sorted keys, no
spaces, ASCII) of its time (UTC, ISO 8601 to the microsecond), actor id, agency code,
verb, target type, target id, data and the previous entry's hash. The first entry
follows GENESIS.

The id is left out on purpose: the hash can then be computed before the row is
inserted, so appending is one INSERT. Order is still protected: `verify` walks the
table in id order and checks that each entry's `previous_hash` is the hash of the
entry before it, so a deleted, inserted or reordered entry breaks the chain there.

Changing this serialisation breaks every existing chain: it is a contract
(tests/audit/test_chain.py keeps the original definition and checks against it).

Verifying a million entries (issue #6: in under 10 s) is mostly reading them: on
PostgreSQL each id range is streamed with COPY, the server writing the time as its ISO
text and the actor as its JSON, and large logs are split into ranges checked by worker
processes at once. A break is a property of one entry and the one before it (its
contents against its hash, its previous hash against the stored hash before it), so
each range can be checked on its own, starting from the stored hash of the entry just
before it; the first broken entry of the log is the first broken entry of the first
range that has one.
"""

import json
import multiprocessing
import os
import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from itertools import repeat
from json.encoder import encode_basestring_ascii

from django.db import connections

GENESIS = "0" * 64
TABLE = "audit_auditevent"
# The non-PostgreSQL walk reads the table in chunks of this many rows.
CHUNK_SIZE = 20_000
# Below this many entries (by id span) one process checks the whole log: starting
# workers costs more than it saves.
PARALLEL_FROM = 200_000
# Worker processes for a large log on PostgreSQL: one per core, at most this many.
MAX_WORKERS = 4
# The canonical JSON of an entry's data is remembered by its stored text (the same
# text always gives the same value); forgotten past this many, to bound memory.
DATA_CACHE_SIZE = 50_000

# The canonical serialisation of a value inside the payload: json.dumps with sorted
# keys, no spaces, ASCII only. Strings go through the same C function it uses.
_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode
_string = encode_basestring_ascii


def _payload(
    previous_hash: str,
    at_iso: str,
    actor_json: str,
    agency_code: str,
    verb: str,
    target_type: str,
    target_id: str,
    data_json: str,
) -> bytes:
    """The canonical JSON of an entry, written out key by key in sorted order.

    Byte for byte what `_dumps` makes of the entry's dict (the contract above), without
    building the dict: `at_iso` is an ISO time (plain ASCII, needs no escaping),
    `actor_json` is "null" or the id's digits, `data_json` is `_dumps(data)`.
    """
    return "".join(
        (
            '{"actor_id":',
            actor_json,
            ',"agency_code":',
            _string(agency_code),
            ',"at":"',
            at_iso,
            '","data":',
            data_json,
            ',"previous_hash":',
            _string(previous_hash),
            ',"target_id":',
            _string(target_id),
            ',"target_type":',
            _string(target_type),
            ',"verb":',
            _string(verb),
            "}",
        )
    ).encode("ascii")


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


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
    payload = _payload(
        previous_hash,
        _iso(at),
        _actor_json(actor_id),
        agency_code,
        verb,
        target_type,
        target_id,
        _dumps(data),
    )
    return sha256(payload).hexdigest()


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
    workers: int = 1
    newest: tuple[int, str] | None = None  # the newest entry checked: (id, hash)

    @property
    def intact(self) -> bool:
        return self.broken_id is None

    def __str__(self) -> str:
        if self.intact:
            by = f" by {self.workers} processes" if self.workers > 1 else ""
            text = f"Audit log intact: {self.checked:,} entries checked in {self.seconds:.2f} s{by}"
            if self.newest:
                entry_id, entry_hash = self.newest
                text += (
                    f"\nCheckpoint (keep it outside the database): {entry_id}:{entry_hash}\n"
                    f"Later, `saferhub audit verify --expect {entry_id}:{entry_hash}` also "
                    "checks that the log still holds this entry unchanged."
                )
            return text
        return (
            f"Audit log broken at entry #{self.broken_id} "
            f"({self.broken_at.astimezone(UTC).isoformat()}, {self.broken_verb}): {self.reason}"
        )


NOT_AT_START = "the log does not start at the beginning of the chain"
NOT_FOLLOWING = (
    "it does not follow the entry before it (its previous hash does not match): "
    "an entry was removed, inserted or reordered here"
)
ALTERED = "its hash does not match its contents: the entry was altered"


@dataclass(frozen=True)
class Stretch:
    """What checking one id range found: entries intact before the first break, and it."""

    checked: int
    broken_id: int | None = None
    broken_at_iso: str = ""
    broken_verb: str = ""
    reason: str = ""


def walk(rows: Iterable, expected_previous: str, at_start: bool) -> Stretch:
    """Check rows in id order, the first following `expected_previous`.

    Each row is (id, at as ISO text, actor as JSON, agency code, verb, target type,
    target id, data as JSON text, previous hash, hash). `at_start`: the first row is the
    log's first entry (a mismatch there means the log does not start at GENESIS).
    """
    canonical: dict[str, str] = {}
    checked = 0
    for row in rows:
        (
            id_,
            at_iso,
            actor_json,
            agency_code,
            verb,
            target_type,
            target_id,
            data,
            previous,
            stored,
        ) = row
        if previous != expected_previous:
            reason = NOT_AT_START if at_start and not checked else NOT_FOLLOWING
            return Stretch(checked, int(id_), at_iso, verb, reason)
        data_json = canonical.get(data)
        if data_json is None:
            if len(canonical) >= DATA_CACHE_SIZE:
                canonical.clear()
            data_json = canonical[data] = _dumps(json.loads(data))
        payload = _payload(
            previous, at_iso, actor_json, agency_code, verb, target_type, target_id, data_json
        )
        if sha256(payload).hexdigest() != stored:
            return Stretch(checked, int(id_), at_iso, verb, ALTERED)
        expected_previous = stored
        checked += 1
    return Stretch(checked)


def _actor_json(actor_id) -> str:
    return "null" if actor_id is None else str(int(actor_id))


# --- Reading a range of the log -------------------------------------------------------

# PostgreSQL writes the time and the actor as the payload needs them: the time as
# isoformat(timespec="microseconds") writes it in UTC, the actor as JSON (its digits or
# null). The rest is read as stored; data as jsonb's text, whose value is re-serialised.
_POSTGRESQL_COLUMNS = (
    "id, "
    "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'), "
    "coalesce(actor_id::text, 'null'), "
    "agency_code, verb, target_type, target_id, data, previous_hash, hash"
)
# COPY's text format escapes these (and writes NULL as \N, which no column here is).
_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_COPY_ESCAPE = re.compile(r"\\(.)")


def _copy_field(text: str) -> str:
    return _COPY_ESCAPE.sub(lambda match: _COPY_ESCAPES.get(match[1], match[1]), text)


def _copy_rows(blocks: Iterable) -> Iterator[list[str]]:
    """The rows of COPY ... TO STDOUT (text format) as lists of fields."""
    # PostgreSQL sends a row per message, so a block is usually whole rows; a row split
    # across blocks is put back together first (a character may be split too).
    pending = b""
    for block in blocks:
        if pending or block[-1:] != b"\n":
            complete, newline, pending = (pending + bytes(block)).rpartition(b"\n")
            if not newline:
                continue
            text = complete.decode()
        else:
            text = str(block[:-1], "utf-8")
        for line in text.split("\n"):
            if "\\" in line:
                yield [_copy_field(field) for field in line.split("\t")]
            else:
                yield line.split("\t")
    if pending:
        raise ValueError("COPY ended in the middle of a row")


def _anchor(cursor, lo: int) -> str | None:
    """The stored hash of the last entry before id `lo`; None if there is none."""
    cursor.execute(f"SELECT hash FROM {TABLE} WHERE id < %s ORDER BY id DESC LIMIT 1", [lo])  # noqa: S608
    row = cursor.fetchone()
    return row[0] if row else None


def _check_range_postgresql(pg, lo: int, hi: int) -> Stretch:
    """Check ids lo <= id < hi through a psycopg connection, streaming them with COPY."""
    with pg.cursor() as cursor:
        anchor = _anchor(cursor, lo)
        query = (
            f"COPY (SELECT {_POSTGRESQL_COLUMNS} FROM {TABLE} "  # noqa: S608
            f"WHERE id >= {int(lo)} AND id < {int(hi)} ORDER BY id) TO STDOUT"
        )
        with cursor.copy(query) as copy:
            found = walk(_copy_rows(copy), anchor or GENESIS, at_start=anchor is None)
            # Stopped at a break: read COPY to its end, leaving the connection usable
            # (cancelling instead would abort a transaction the caller may be in).
            for _ in copy:
                pass
            return found


def _check_range_in_worker(params: dict, bounds: tuple[int, int]) -> Stretch:
    """A worker process: its own connection (the parent's is never touched), one range."""
    import psycopg

    with psycopg.connect(**params) as pg:
        return _check_range_postgresql(pg, *bounds)


def _check_range_generic(connection, lo: int, hi: int) -> Stretch:
    """Check ids lo <= id < hi through Django's cursor (SQLite)."""

    def rows(cursor) -> Iterator[tuple]:
        while chunk := cursor.fetchmany(CHUNK_SIZE):
            for id_, at, actor_id, *strings, data, previous, stored in chunk:
                if isinstance(at, str):
                    at = datetime.fromisoformat(at)
                if at.tzinfo is None:  # stored as naive UTC
                    at = at.replace(tzinfo=UTC)
                if not isinstance(data, str):
                    data = json.dumps(data)
                yield (id_, _iso(at), _actor_json(actor_id), *strings, data, previous, stored)

    with connection.cursor() as cursor:
        anchor = _anchor(cursor, lo)
        cursor.execute(
            "SELECT id, at, actor_id, agency_code, verb, target_type, target_id, data, "  # noqa: S608
            f"previous_hash, hash FROM {TABLE} WHERE id >= %s AND id < %s ORDER BY id",
            [lo, hi],
        )
        return walk(rows(cursor), anchor or GENESIS, at_start=anchor is None)


# --- Verifying the whole log ----------------------------------------------------------


def _ranges(first: int, last: int, count: int) -> list[tuple[int, int]]:
    """`count` consecutive id ranges [lo, hi) covering first..last."""
    span = last - first + 1
    count = max(1, min(count, span))
    edges = [first + span * n // count for n in range(count + 1)]
    return list(zip(edges, edges[1:], strict=False))


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _workers(connection, requested: int | None, span: int) -> int:
    """How many processes check the log: more than one only on PostgreSQL, outside a
    transaction (a worker's connection cannot see this one's uncommitted entries)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block or not _can_fork():
        return 1
    if requested is not None:
        return max(1, requested)
    if span < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def verify(
    using: str = "default", workers: int | None = None, ranges: int | None = None
) -> Verdict:
    """Recompute the whole chain and name the first broken entry (the lowest id).

    `workers`: processes checking ranges at once (PostgreSQL only; by default one per
    core for a large log). `ranges`: how many id ranges to split the log into (by
    default one per worker); ranges a single process checks are checked one after the
    other, each from the entry before it, exactly as workers would.
    """
    started = time.perf_counter()
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {TABLE}")  # noqa: S608
        first, last = cursor.fetchone()
        cursor.execute(f"SELECT hash FROM {TABLE} WHERE id = %s", [last])  # noqa: S608
        newest = (last, cursor.fetchone()[0]) if last is not None else None
    if first is None:
        return Verdict(0, time.perf_counter() - started)
    processes = _workers(connection, workers, last - first + 1)
    bounds = _ranges(first, last, ranges or processes)
    if processes > 1 and len(bounds) > 1:
        connection.ensure_connection()
        # Plain connection settings only: Django's adapters and cursor class stay behind
        # (the workers read COPY's text, which needs neither).
        params = {
            key: value
            for key, value in connection.get_connection_params().items()
            if isinstance(value, str | int | float | bool | None)
        }
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(processes, len(bounds)), mp_context=context) as pool:
            stretches = pool.map(_check_range_in_worker, repeat(params), bounds)
            verdict = _combine(stretches)
    else:
        processes = 1
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            stretches = (_check_range_postgresql(connection.connection, *b) for b in bounds)
        else:
            stretches = (_check_range_generic(connection, *b) for b in bounds)
        verdict = _combine(stretches)
    checked, broken = verdict
    seconds = time.perf_counter() - started
    if broken is None:
        return Verdict(checked, seconds, workers=processes, newest=newest)
    return Verdict(
        checked,
        seconds,
        broken.broken_id,
        datetime.fromisoformat(broken.broken_at_iso),
        broken.broken_verb,
        broken.reason,
        workers=processes,
    )


def _combine(stretches: Iterable[Stretch]) -> tuple[int, Stretch | None]:
    """Ranges in id order: the first with a break holds the log's first broken entry."""
    checked = 0
    for stretch in stretches:
        checked += stretch.checked
        if stretch.broken_id is not None:
            return checked, stretch
    return checked, None


def checkpoint_problem(entry_id: int, expected_hash: str, using: str = "default") -> str:
    """What is wrong with a checkpoint taken earlier (an entry's id and hash, kept outside
    the database), or "" if the log still holds that entry with that hash.

    The chain alone shows a change to any entry but the newest; it cannot show the newest
    entries removed, or every hash after a change recomputed, by someone able to write the
    table (the application's role cannot: append_only.py). A checkpoint can: the entry is
    gone, or its hash is no longer the one recorded."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT hash FROM {TABLE} WHERE id = %s", [entry_id])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return f"entry #{entry_id} of the checkpoint is missing: entries were removed"
    if row[0] != expected_hash:
        return (
            f"entry #{entry_id} no longer has the checkpoint's hash: the chain was rewritten "
            "up to it"
        )
    return ""
