"""Inserting many rows in one go: PostgreSQL's COPY, else bulk_create.

Importing 100,000 referrals writes about 2.8 million rows (24 DASH answers each). Through
bulk_create the import took 64 s on PostgreSQL, most of it making model instances and
preparing their SQL, against a target of 60 s; COPY takes plain values. COPY cannot give
back the new rows' ids, so a caller that needs them reserves them first (`reserve_ids`),
which also lets a row refer to another inserted in the same batch.

Fields not given take their defaults, as a new model instance would (auto_now_add: now).
Values must be plain ones the driver adapts: numbers, text, dates, booleans, None.
Model.save() is not called: a caller sets any field save() would have worked out.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connections, models, router
from django.utils import timezone

# Rows per INSERT where COPY is not available (SQLite).
BULK_CREATE_BATCH = 1000


def _connection(model: type[models.Model]):
    return connections[router.db_for_write(model)]


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for the model, for rows about to be inserted with them."""
    if count == 0:
        return []
    connection = _connection(model)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"reserve_ids does not know {connection.vendor}")
        # SQLite's one write lock is held from the transaction's start (transaction_mode
        # IMMEDIATE), so nobody else takes these ids meanwhile. AUTOINCREMENT never gives an
        # id twice, even a deleted row's: sqlite_sequence remembers the highest given.
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids() must run inside transaction.atomic().")
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk)}) FROM {table}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
        found = cursor.fetchone()
        highest = max(highest, found[0] if found else 0)
    return list(range(highest + 1, highest + 1 + count))


def insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows of values for the fields named in `columns` (attnames, e.g. referral_id)."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    unknown = [name for name in columns if name not in fields]
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
    connection = _connection(model)
    if connection.vendor != "postgresql":
        for chunk in _chunks(rows, BULK_CREATE_BATCH):
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in chunk]
            )
        return
    rest = [
        field
        for name, field in fields.items()
        if name not in columns and not (field.primary_key and isinstance(field, models.AutoField))
    ]
    fixed = tuple(field.get_db_prep_save(_default(field), connection) for field in rest)
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[name].column) for name in columns)
    names += "".join(f", {quote(field.column)}" for field in rest)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row((*row, *fixed) if fixed else row)


def insert_dicts(model: type[models.Model], rows: Iterable[dict]) -> None:
    """Insert rows given as {attname: value}, every row with the same keys in the same order."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = tuple(first)
    insert(model, columns, (tuple(row.values()) for row in _chain(first, rows)))


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.has_default() or not field.null:
        return field.get_default()
    return None


def _chain(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk
