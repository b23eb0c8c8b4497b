"""Rows into a table by the hundred thousand: what a bulk import writes, without the ORM per row.

``bulk_create`` builds a model instance and prepares every field of every row (about 0.2 ms a row
with its history, most of a million-row import); these helpers take plain tuples instead. On SQLite
they go in as INSERTs of hundreds of rows each, on PostgreSQL through ``COPY``; history entries are
copies the database makes of the rows just written (``insert_history``). All are statements of the
caller's transaction: call them inside ``transaction.atomic``.

A table's columns come from its model: the caller names the columns that vary by row, and every
other column gets the value the caller gives or the field's default, so a field added later to a
model is filled (or the import fails loudly in its tests) rather than left out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice

from django.db import connection
from django.db.models import NOT_PROVIDED

BATCH = 50_000  # rows between two progress reports
# rows of one INSERT on SQLite at most, fewer when its limits on variables and statement length say
# so (a million attendance rows: 2.1 s of CPU at 500 a statement, 1.6 s at 4,000 or 8,000)
ROWS_PER_STATEMENT = 10_000


class Layout:
    """The columns of ``model``'s table a bulk insert fills: ``varying`` (attnames, in the order of
    each row's tuple) and then every other column with one value for all rows."""

    def __init__(self, model, varying: Sequence[str], constant: dict[str, object]):
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = (set(varying) | set(constant)) - set(by_attname)
        if unknown:
            raise TypeError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.table = model._meta.db_table
        self.columns = [by_attname[name].column for name in varying]
        fixed = []
        for field in model._meta.concrete_fields:
            if field.attname in varying:
                continue
            if field.attname in constant:
                value = constant[field.attname]
            elif (
                field.primary_key or field.db_default is not NOT_PROVIDED
            ):  # a history table's own key: the database numbers it
                continue
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise TypeError(f"{model.__name__}.{field.name} needs a value for a bulk insert")
            self.columns.append(field.column)
            fixed.append(field.get_db_prep_save(value, connection))
        self.fixed = tuple(fixed)


@contextmanager
def large_cache(mebibytes: int = 256, *, db=connection) -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes a bulk insert grows (the default 2 MB
    spills dirty pages to the write-ahead log again and again before the commit), for the
    duration; PostgreSQL's shared buffers are the server's."""
    if db.vendor != "sqlite":
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:  # on the driver's connection: also in a transaction Django will only roll back now
        db.connection.execute(f"PRAGMA cache_size = {int(before)}")


def reserve_ids(model, count: int, *, db=connection) -> int:
    """The first of ``count`` consecutive primary keys of ``model`` nobody else will take.

    Only inside a transaction that already holds the table against other writers: on SQLite any
    write does (one writer at a time), on PostgreSQL ``rollup.suspended_for``'s ``DISABLE TRIGGER``
    (a SHARE ROW EXCLUSIVE lock: another INSERT waits for the commit before it draws its id).
    """
    table = model._meta.db_table
    column = model._meta.pk.column
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
            return first
        # AUTOINCREMENT: never reuse a number, not even one of a row deleted since
        cursor.execute(
            f'SELECT MAX(n) FROM (SELECT MAX("{column}") AS n FROM "{table}" '
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        return (cursor.fetchone()[0] or 0) + 1


ORIGIN = "taizhang_import_origin"


@contextmanager
def origins(rows: Iterable[tuple[int, str]], *, db=connection) -> Iterator[str]:
    """A temporary table of (record id, where it came from) for ``insert_history``; its name
    (more rows are added with ``insert(ORIGIN_LAYOUT, rows)``)."""
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE {ORIGIN} (id bigint PRIMARY KEY, reason text) ON COMMIT DROP"
            )
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{ORIGIN}")
            cursor.execute(f"CREATE TEMPORARY TABLE {ORIGIN} (id integer PRIMARY KEY, reason text)")
    insert(ORIGIN_LAYOUT, rows, db=db)
    yield ORIGIN
    # not on a failure: the rollback takes the table with it (and an aborted PostgreSQL
    # transaction would refuse the DROP, hiding the failure)
    with db.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ORIGIN}")


class _OriginLayout:
    table, columns, fixed = ORIGIN, ["id", "reason"], ()


ORIGIN_LAYOUT = _OriginLayout()


def last_id(model, *, db=connection) -> int:
    """The largest primary key of ``model``'s rows: the rows a bulk insert adds next come after it
    (under the same lock as ``reserve_ids``)."""
    with db.cursor() as cursor:
        cursor.execute(f'SELECT MAX("{model._meta.pk.column}") FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0] or 0


def insert_history(
    model,
    *,
    after: int,
    origin_of: str,
    when,
    upto: int | None = None,
    origins_after: int = 0,
    origins_upto: int | None = None,
    db=connection,
) -> None:
    """The creation entries ('+') of ``model``'s rows numbered above ``after`` (up to ``upto``) in its
    history table, in one INSERT … SELECT: each is a copy of its row, with the change reason of the
    row's origin (``origins``; ``origin_of`` is the column whose value the origin table is keyed by).

    An import written in batches says which rows and origins are the batch's, both ends
    (``origins_after``, ``upto``, ``origins_upto``): PostgreSQL would otherwise hash every origin so
    far for every batch, and with one end only it plans from the statistics of the tables before
    the import (a third of the rows above ``after``) a scan of the whole table for every batch
    (a million-row import read 125 million attendance rows so); with both ends, the keys' ranges."""
    history = model.history.model
    own = {f.attname: f.column for f in model._meta.concrete_fields}
    targets, sources, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.primary_key:
            continue
        targets.append(f'"{field.column}"')
        if field.attname in own:
            sources.append(f'r."{own[field.attname]}"')
        elif field.attname == "history_change_reason":
            sources.append("o.reason")
        elif field.attname == "history_date":
            sources.append("%s")
            params.append(field.get_db_prep_save(when, db))
        elif field.attname == "history_type":
            sources.append("'+'")
        elif field.null:
            sources.append("NULL")
        else:
            raise TypeError(f"{history.__name__}.{field.name} needs a value for a bulk insert")
    pk = model._meta.pk.column
    where, bounds = [f'r."{pk}" > %s', "o.id > %s"], [after, origins_after]
    for condition, bound in ((f'r."{pk}" <= %s', upto), ("o.id <= %s", origins_upto)):
        if bound is not None:
            where.append(condition)
            bounds.append(bound)
    with db.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{history._meta.db_table}" ({", ".join(targets)}) '
            f'SELECT {", ".join(sources)} FROM "{model._meta.db_table}" r '
            f'JOIN {ORIGIN} o ON o.id = r."{origin_of}" WHERE {" AND ".join(where)}',
            [*params, *bounds],
        )


def insert(
    layout: Layout, rows: Iterable[tuple], *, progress: Callable[[int], None] | None = None, db=connection
) -> int:
    """Insert ``rows`` (tuples of the layout's varying columns); returns how many.

    ``progress(rows so far)`` is called after every batch. ``db``: the connection (a thread writing on
    another thread's connection, inside its transaction, passes that connection, shared)."""
    fixed = layout.fixed
    columns = ", ".join(f'"{c}"' for c in layout.columns)
    rows = iter(rows)
    done = 0
    db.ensure_connection()
    raw = db.connection  # the driver's own connection, in the caller's transaction
    if db.vendor == "postgresql":
        # in binary: the server then reads the two timestamps and the numbers of each row as they
        # are stored, instead of parsing text (a tenth of its time on an attendance row)
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                [f'"{layout.table}"'],
            )
            types = dict(cursor.fetchall())
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{layout.table}" ({columns}) FROM STDIN (FORMAT BINARY)') as copy,
        ):
            copy.set_types([types[column] for column in layout.columns])
            for row in rows:
                copy.write_row(row + fixed if fixed else row)
                done += 1
                if progress and done % BATCH == 0:
                    progress(done)
    else:
        # the values every row shares are written into the statement, and as many rows go to one
        # statement as SQLite's limit on variables allows (thousands): one call into SQLite for
        # thousands of rows rather than one a row (executemany's per-row binding and stepping is most
        # of the cost). A writing thread gives up the interpreter lock for each call and waits for it
        # back until the checking thread's turn ends (up to 5 ms): at 500 rows a call, a million
        # rows' attendance took 10,000 calls and waits, at 8,191 about 600.
        values = ["?"] * (len(layout.columns) - len(fixed)) + [_sqlite_literal(v) for v in fixed]
        one = f"({', '.join(values)})"
        head = f'INSERT INTO "{layout.table}" ({columns}) VALUES '
        limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        length = raw.getlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH) - len(head)
        per_statement = max(
            1, min(ROWS_PER_STATEMENT, limit // max(1, values.count("?")), length // (len(one) + 2))
        )
        statements: dict[int, str] = {}  # rows → the statement of that many (the last may be short)
        taken = per_statement * max(1, BATCH // per_statement)
        cursor = raw.cursor()
        try:
            while batch := list(islice(rows, taken)):
                for start in range(0, len(batch), per_statement):
                    part = batch[start : start + per_statement]
                    statement = statements.get(len(part))
                    if statement is None:
                        statement = statements[len(part)] = head + ", ".join([one] * len(part))
                    cursor.execute(statement, list(chain.from_iterable(part)))
                done += len(batch)
                if progress:
                    progress(done)
        finally:
            cursor.close()
    if progress:
        progress(done)
    return done


def _sqlite_literal(value) -> str:
    """A value every row shares, as SQL (the few types ``Layout`` produces on SQLite)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQLite literal for {value!r}")
