"""The monthly activity rollup (``ActivityMonth``): the triggers that keep it, its rebuild, its check.

A city's compliance check needs, for each unit, activity kind and month, how many live activities
carry which evidence and how their attendance went. Aggregating that from a year of a city's
activities (a million rows, each tested for attendance and attachments) costs more than judging
it; the rollup keeps the aggregate as the ledger changes, one (unit, kind, month) at a time.

It is kept by database triggers rather than by the application so that no write path can forget
it: forms, the admin, bulk imports, ``QuerySet.update`` and raw SQL all go through them. Every
figure a trigger writes is read from the ledger, never guessed from the change. On SQLite, which
has one writer at a time and fires a row's triggers around that row alone, a change takes its
activity's contribution out of its bucket before the row changes and puts it back, read again,
after: recording an activity with five attendance rows no longer aggregates its whole bucket six
times (bench/load.py puts hundreds of activities into one bucket; holding SQLite's write lock for
that made every other writer wait). On PostgreSQL, whose row triggers of one statement see the rows
that statement changed before them, a trigger recomputes the whole bucket it touches, so a bucket
is always what the ledger says it is; a recomputation first takes the rollup's transaction-level
advisory lock, so transactions that write to the ledger keep the rollup one after another, from
their first ledger write to their commit, and the second one's recomputations (each statement of a
trigger function takes a fresh snapshot under READ COMMITTED, Django's isolation level) see the
first one's rows. A lock per bucket would let more writers through at once, but a transaction that
touches thousands of buckets (deleting a unit tree, a large import) would exhaust PostgreSQL's lock
table (max_locks_per_transaction).

``install`` is idempotent (a later migration that changes the triggers calls it again);
``rebuild`` recomputes every bucket; ``stale`` lists the buckets that differ from a fresh aggregate
(``taizhang ledger rollup`` prints them, and the tests assert there are none after every kind of write).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from taizhang.core import stamps

TABLE = "ledger_activitymonth"
_COLUMNS = "unit_id, kind_id, month, mask, activities, present, due"

# What each live activity adds to its bucket: its month, its evidence (EVIDENCE_BITS of
# rules.engine: 1 minutes, 2 attendance, 4 attachment) and its attendance. ``{where}`` narrows it;
# ``{month}`` is the database's own 'YYYY-MM' of the date, as ``core.db.month_of`` computes it for
# the months a check reads from the ledger itself.
_MONTH = {"sqlite": "SUBSTR(a.date, 1, 7)", "postgresql": "to_char(a.date, 'YYYY-MM')"}
_CONTRIBUTION = """
    SELECT a.unit_id AS unit_id, a.kind_id AS kind_id, {month} AS month,
        (CASE WHEN a.minutes <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN EXISTS (SELECT 1 FROM ledger_attendance t
                             WHERE t.activity_id = a.id AND NOT t.deleted) THEN 2 ELSE 0 END)
        + (CASE WHEN EXISTS (SELECT 1 FROM ledger_attachment f
                             WHERE f.activity_id = a.id AND NOT f.deleted) THEN 4 ELSE 0 END) AS mask,
        (SELECT COUNT(*) FROM ledger_attendance t
         WHERE t.activity_id = a.id AND NOT t.deleted AND t.status = 'present') AS present,
        (SELECT COUNT(*) FROM ledger_attendance t WHERE t.activity_id = a.id AND NOT t.deleted) AS due
    FROM ledger_activity a
    WHERE NOT a.deleted {where}
"""
_AGGREGATE = f"""
    SELECT unit_id, kind_id, month, mask, COUNT(*), SUM(present), SUM(due)
    FROM ({_CONTRIBUTION}) c
    GROUP BY unit_id, kind_id, month, mask
"""


# The same contributions for many activities at once: one pass over their attendance (a join)
# instead of three lookups an activity; what a bulk write's rebuild of a unit reads. ``stale``
# compares with ``_CONTRIBUTION`` itself.
_CONTRIBUTION_JOINED = """
    SELECT a.unit_id AS unit_id, a.kind_id AS kind_id, {month} AS month,
        (CASE WHEN a.minutes <> '' THEN 1 ELSE 0 END)
        + (CASE WHEN COUNT(t.id) > 0 THEN 2 ELSE 0 END)
        + (CASE WHEN EXISTS (SELECT 1 FROM ledger_attachment f
                             WHERE f.activity_id = a.id AND NOT f.deleted) THEN 4 ELSE 0 END) AS mask,
        SUM(CASE WHEN t.status = 'present' THEN 1 ELSE 0 END) AS present,
        COUNT(t.id) AS due
    FROM ledger_activity a
    LEFT JOIN ledger_attendance t ON t.activity_id = a.id AND NOT t.deleted
    WHERE NOT a.deleted {where}
    GROUP BY a.id
"""


def _aggregate(where: str, vendor: str) -> str:
    return _AGGREGATE.format(where=where, month=_MONTH[vendor])


def _fill(where: str, vendor: str) -> str:
    return f"INSERT INTO {TABLE} ({_COLUMNS}) {_aggregate(where, vendor)}"


# The changes that can move a row's contribution (an edited topic or a new sign-in time cannot).
_ACTIVITY_CHANGED = (
    "OLD.unit_id IS NOT NEW.unit_id OR OLD.kind_id IS NOT NEW.kind_id OR OLD.date IS NOT NEW.date"
    " OR OLD.deleted IS NOT NEW.deleted OR (OLD.minutes <> '') IS NOT (NEW.minutes <> '')"
)
_ATTENDANCE_CHANGED = (
    "OLD.activity_id IS NOT NEW.activity_id OR OLD.deleted IS NOT NEW.deleted OR OLD.status IS NOT NEW.status"
)
_ATTACHMENT_CHANGED = "OLD.activity_id IS NOT NEW.activity_id OR OLD.deleted IS NOT NEW.deleted"

# The tables whose rows move the rollup (``ledger_<table>``), the column naming a row's activity,
# and what in an update can move it; the triggers of both databases are made from this.
_TRIGGERED = (
    ("activity", "id", _ACTIVITY_CHANGED),
    ("attendance", "activity_id", _ATTENDANCE_CHANGED),
    ("attachment", "activity_id", _ATTACHMENT_CHANGED),
)


def _one_activity(activity: str, only_if: str) -> str:
    """The contribution of the activity ``activity`` (an SQL expression for its id) as the ledger has
    it now: one row, or none for a deleted or missing one (or when ``only_if`` fails)."""
    return _CONTRIBUTION.format(where=f"AND a.id = {activity} {only_if}", month=_MONTH["sqlite"])


def _sqlite_take(activity: str, only_if: str = "") -> str:
    """Statements (inside a SQLite trigger body) taking the activity out of its bucket (``_one_activity``)."""
    mine = _one_activity(activity, only_if)
    key = "unit_id, kind_id, month, mask"
    return (
        f"UPDATE {TABLE} SET activities = activities - 1, present = {TABLE}.present - c.present,"
        f" due = {TABLE}.due - c.due FROM ({mine}) c WHERE ({TABLE}.unit_id, {TABLE}.kind_id,"
        f" {TABLE}.month, {TABLE}.mask) = (c.unit_id, c.kind_id, c.month, c.mask);\n"
        f"DELETE FROM {TABLE} WHERE activities = 0 AND ({key}) IN (SELECT {key} FROM ({mine}));"
    )


def _sqlite_put(activity: str, only_if: str = "") -> str:
    """…putting it (back) into its bucket."""
    mine = _one_activity(activity, only_if)
    return (
        f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT unit_id, kind_id, month, mask, 1, present, due"
        f" FROM ({mine}) WHERE true ON CONFLICT (unit_id, month, kind_id, mask) DO UPDATE SET"
        " activities = activities + 1, present = present + excluded.present, due = due + excluded.due;"
    )


# SQLite has one writer at a time and fires a statement's row triggers row by row (before, the
# change, after), so each change of a row moves only its activity: out of its bucket before the
# change, back in after it, both read from the ledger; a bucket of hundreds of activities is not
# aggregated again for each of an activity's attendance rows.
def _sqlite_triggers() -> list[str]:
    statements = []
    for table, column, changed in _TRIGGERED:
        name, table = f"ledger_activitymonth_{table}", f"ledger_{table}"
        moved = f"AND NEW.{column} IS NOT OLD.{column}"  # an update that moved a row to another activity
        for op, when, rows in (
            ("insert", "", (("NEW", ""),)),
            ("delete", "", (("OLD", ""),)),
            ("update", f"WHEN {changed} ", (("OLD", ""), ("NEW", moved))),
        ):
            take = " ".join(_sqlite_take(f"{row}.{column}", only_if) for row, only_if in rows)
            put = " ".join(_sqlite_put(f"{row}.{column}", only_if) for row, only_if in rows)
            statements += [
                f"CREATE TRIGGER {name}_{op}_before BEFORE {op.upper()} ON {table} {when}BEGIN {take} END",
                f"CREATE TRIGGER {name}_{op} AFTER {op.upper()} ON {table} {when}BEGIN {put} END",
            ]
    return statements


def _postgres_statements() -> list[str]:
    where = (
        "AND a.unit_id = u AND a.kind_id = k"
        " AND a.date >= month_start AND a.date < (month_start + interval '1 month')::date"
    )
    refresh = f"""
        CREATE OR REPLACE FUNCTION ledger_activitymonth_refresh(u bigint, k bigint, d date) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            month_start date := date_trunc('month', d)::date;
        BEGIN
            IF u IS NULL OR k IS NULL OR d IS NULL THEN
                RETURN;
            END IF;
            PERFORM pg_advisory_xact_lock(hashtext('{TABLE}'));
            DELETE FROM {TABLE} WHERE unit_id = u AND kind_id = k AND month = to_char(d, 'YYYY-MM');
            {_fill(where, "postgresql")};
        END $$"""
    refresh_activity = """
        CREATE OR REPLACE FUNCTION ledger_activitymonth_refresh_activity(activity bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            r record;
        BEGIN
            SELECT unit_id, kind_id, date INTO r FROM ledger_activity WHERE id = activity;
            IF FOUND THEN
                PERFORM ledger_activitymonth_refresh(r.unit_id, r.kind_id, r.date);
            END IF;
        END $$"""
    on_activity = """
        CREATE OR REPLACE FUNCTION ledger_activitymonth_on_activity() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM ledger_activitymonth_refresh(OLD.unit_id, OLD.kind_id, OLD.date);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM ledger_activitymonth_refresh(NEW.unit_id, NEW.kind_id, NEW.date);
            END IF;
            RETURN NULL;
        END $$"""
    on_evidence = """
        CREATE OR REPLACE FUNCTION ledger_activitymonth_on_evidence() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                PERFORM ledger_activitymonth_refresh_activity(OLD.activity_id);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                PERFORM ledger_activitymonth_refresh_activity(NEW.activity_id);
            END IF;
            RETURN NULL;
        END $$"""
    statements = [refresh, refresh_activity, on_activity, on_evidence]
    for table, column, changed in _TRIGGERED:
        name, table = f"ledger_activitymonth_{table}", f"ledger_{table}"
        function = "on_activity" if column == "id" else "on_evidence"
        changed = changed.replace(" IS NOT ", " IS DISTINCT FROM ")
        statements += [
            f"DROP TRIGGER IF EXISTS {name}_write ON {table}",
            f"DROP TRIGGER IF EXISTS {name}_update ON {table}",
            f"CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_activitymonth_{function}()",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} FOR EACH ROW WHEN ({changed}) "
            f"EXECUTE FUNCTION ledger_activitymonth_{function}()",
        ]
    return statements


def _sqlite_drops() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS ledger_activitymonth_{table}_{op}{when}"
        for table, _, _ in _TRIGGERED
        for op in ("insert", "delete", "update")
        for when in ("", "_before")
    ]


def install(connection) -> None:
    """Create (or re-create) the triggers that keep the rollup, on ``connection``'s database."""
    if connection.vendor == "postgresql":
        statements = _postgres_statements()
    elif connection.vendor == "sqlite":
        statements = _sqlite_drops() + _sqlite_triggers()
    else:  # pragma: no cover - settings only allow the two
        raise NotImplementedError(f"活动月度汇总不支持数据库 {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, _, _ in _TRIGGERED:
                for suffix in ("write", "update"):
                    cursor.execute(
                        f"DROP TRIGGER IF EXISTS ledger_activitymonth_{table}_{suffix} ON ledger_{table}"
                    )
            for function in (
                "on_activity()",
                "on_evidence()",
                "refresh_activity(bigint)",
                "refresh(bigint, bigint, date)",
            ):
                cursor.execute(f"DROP FUNCTION IF EXISTS ledger_activitymonth_{function}")
        else:
            for statement in _sqlite_drops():
                cursor.execute(statement)


def rebuild(connection) -> int:
    """Recompute every bucket from the ledger; returns the number of buckets."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # writers wait while the table is refilled, so no write falls between the two statements
            cursor.execute("LOCK TABLE ledger_activity, ledger_attendance, ledger_attachment IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_fill("", connection.vendor))
        stamps.forget_everything()  # a rollup that was wrong made wrong results
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


@contextmanager
def suspended_for(connection, unit_id: int) -> Iterator[None]:
    """A bulk write into one unit: no per-row trigger work, then the unit's buckets in one statement.

    Only inside the bulk write's transaction (``transaction.atomic``): switching the triggers off is
    part of it, so other connections never see the rollup unkept, and on PostgreSQL the lock that
    ``DISABLE TRIGGER`` takes holds other writers of the ledger back until the commit (SQLite has
    one writer at a time anyway). A failure rolls the switch back with the rows.
    """
    with suspended_for_units(connection, [unit_id]):
        yield


@contextmanager
def suspended_for_units(connection, unit_ids: list[int]) -> Iterator[None]:
    """``suspended_for`` over several units at once (the demo's generated ledgers): the same
    conditions, and every bucket of those units recomputed in one statement afterwards."""
    ids = ", ".join(str(int(unit_id)) for unit_id in unit_ids)  # formatted into SQL: numbers only
    with connection.cursor() as cursor:
        _switch(cursor, connection.vendor, on=False)
    yield
    with connection.cursor() as cursor:
        _switch(cursor, connection.vendor, on=True)
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT pg_advisory_xact_lock(hashtext('{TABLE}'))")
        cursor.execute(f"DELETE FROM {TABLE} WHERE unit_id IN ({ids})")
        joined = _AGGREGATE.replace(_CONTRIBUTION, _CONTRIBUTION_JOINED)
        where = f"AND a.unit_id IN ({ids})"
        cursor.execute(
            f"INSERT INTO {TABLE} ({_COLUMNS}) {joined.format(where=where, month=_MONTH[connection.vendor])}"
        )
    # Every bulk write of the ledger comes through here (its history rows written in SQL, without
    # django-simple-history's signal): the results kept for these units and those above them go.
    stamps.changed(unit_ids=unit_ids)


@contextmanager
def bulk_load(connection) -> Iterator[None]:
    """Filling an empty database in bulk (the benchmark city): the triggers off while the rows go
    in, then every bucket rebuilt once. Nobody else may write meanwhile: only a loader that owns
    the database (a benchmark's own) uses this."""
    with connection.cursor() as cursor:
        _switch(cursor, connection.vendor, on=False)
    try:
        yield
    finally:
        from django.db import transaction

        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                _switch(cursor, connection.vendor, on=True)
            rebuild(connection)


def _switch(cursor, vendor: str, *, on: bool) -> None:
    """The insert and delete triggers on or off (SQLite has no switch: they are dropped and made)."""
    if vendor == "sqlite":
        for statement in _sqlite_triggers() if on else _sqlite_drops():
            cursor.execute(statement)
        return
    # ALTER TABLE refuses while deferred foreign-key checks are pending: run them first
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, _, _ in _TRIGGERED:
        action = "ENABLE" if on else "DISABLE"
        cursor.execute(f"ALTER TABLE ledger_{table} {action} TRIGGER ledger_activitymonth_{table}_write")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def stale(connection) -> list[tuple]:
    """Buckets where the rollup differs from a fresh aggregate of the ledger, as
    ``(unit_id, kind_id, month, mask, stored figures or None, fresh figures or None)``."""
    with connection.cursor() as cursor:
        cursor.execute(_aggregate("", connection.vendor))
        fresh = {tuple(row[:4]): tuple(int(x) for x in row[4:]) for row in cursor.fetchall()}
        cursor.execute(f"SELECT {_COLUMNS} FROM {TABLE}")
        stored = {tuple(row[:4]): tuple(row[4:]) for row in cursor.fetchall()}
    return sorted(
        (*key, stored.get(key), fresh.get(key))
        for key in stored.keys() | fresh.keys()
        if stored.get(key) != fresh.get(key)
    )
