"""Writing synthetic rows fast: ids are given up front (so rows can point at one another
before they are saved), then PostgreSQL's COPY or SQLite's executemany in batches, with a
progress callback. One ORM save per row would take hours for a region.

Rows skip Model.save(): whoever builds them computes what save() would (Person's matching
keys, Perpetrator's folded name) and fills auto_now fields. Concrete fields a caller leaves
out get their default, so a field added later with a default does not break the writer.
"""

import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

Progress = Callable[[int, int], None]  # (rows written, rows to write)

BATCH = 20_000


class Writer:
    def __init__(self, total: int = 0, progress: Progress | None = None) -> None:
        self.total, self.done = total, 0
        self.progress = progress
        self.written: dict[str, int] = {}
        self._models: list[type[models.Model]] = []

    @staticmethod
    def first_id(model: type[models.Model]) -> int:
        """The id the next row of the model is given (the writer must be the only writer)."""
        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def write(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]
    ) -> int:
        """Write rows of values for `fields` (field names, the primary key first); returns
        how many."""
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        rest = [f for f in meta.concrete_fields if f not in given]
        constants = tuple(_default(f) for f in rest)
        columns = [f.column for f in given + rest]
        adapting = [(i, _adapter(f)) for i, f in enumerate(given) if _adapter(f)]
        insert = _copy if connection.vendor == "postgresql" else _executemany
        table = meta.db_table
        if model not in self._models:
            self._models.append(model)
        count = 0
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, BATCH)):
            values = [tuple(row) + constants for row in batch]
            if connection.vendor != "postgresql" and adapting:
                values = [_adapt(row, adapting) for row in values]
            with transaction.atomic(savepoint=False):
                insert(table, columns, values)
            count += len(batch)
            self.done += len(batch)
            if self.progress:
                self.progress(self.done, max(self.total, self.done))
        self.written[meta.label] = self.written.get(meta.label, 0) + count
        return count

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given."""
        if connection.needs_rollback:
            return  # the rows are being rolled back, and the ids with them
        statements = connection.ops.sequence_reset_sql(no_style(), self._models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # Fresh statistics, as autovacuum would gather later: the pages that read
                # these tables should plan with them at once.
                for model in self._models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _default(field: models.Field):
    """The field's default ("" for text without one), ready for the database."""
    value = field.get_default()
    if value is None and not field.null:
        label = field.model._meta.label
        raise ValueError(f"Synthetic rows of {label} need a value for {field.name}")
    return field.get_db_prep_save(value, connection)


def _adapter(field: models.Field):
    """How SQLite stores the field's values, as Django's adapt_*field_value would, but fast
    (those look the time zone up on every call)."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _sqlite_datetime
    if kind == "DateField":
        return date.isoformat
    return None


def _sqlite_datetime(value: datetime) -> str:
    # Django keeps SQLite's datetimes as naive UTC text when USE_TZ is on.
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _adapt(row: tuple, adapting: list[tuple[int, Callable]]) -> tuple:
    values = list(row)
    for index, adapt in adapting:
        if values[index] is not None:
            values[index] = adapt(values[index])
    return tuple(values)


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(table: str, columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    # Table and column names come from the models, never from input.
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
