"""Writing a checked activity import: all rows or none, in large batches (``ledger.bulk``), each
with a history entry that says where it came from.

A million-row file takes about as long to check as the database takes to write what was checked,
so the two go on at once: ``imports.plan_import`` hands an ``ActivityWriter`` each batch of checked
rows, a second thread writes it into the caller's transaction on the caller's connection while
the next batch is checked (SQLite's C code and psycopg wait without the GIL), and at the first
problem in the file the writing stops and the caller rolls everything back. What a clerk sees is
the same as when checking came first: every problem by cell, and nothing written.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from taizhang.core import collector
from taizhang.core.cells import typed_text
from taizhang.ledger import bulk, rollup
from taizhang.ledger.imports import Plan, PlannedActivity
from taizhang.ledger.models import Activity, Attendance, AttendanceStatus
from taizhang.org.models import Unit

# From this many rows on (the file's rows, known before checking) PostgreSQL's foreign keys of the
# four tables an import fills are dropped for the import and added back validated, one join each,
# instead of the ~14 million deferred checks, one a row and key, of a million-row import (a third
# of the server's time). The price is the lock: dropping a foreign key takes ACCESS EXCLUSIVE on
# its table and on the table it refers to (people, units, kinds, users), so every page reading
# those waits until the import commits, a minute at most. Worth it for a 100,000-row import, run
# from the command by an administrator; never done for the upload page (``activities_import``).
#
# From the same size on, PostgreSQL's secondary indexes of those tables (two dozen: the foreign
# keys' own, ``deleted``, the history's ``history_date`` …) are dropped as well and made again from
# their own definitions before the commit: one sorted build per index instead of keeping each of
# them up to date row by row, which was most of what the server did for an import (its CPU for a
# million rows 131 → 86 s). Made again inside the transaction, so a failure leaves them as they
# were. Not when the ledger already holds more activities than the import adds (the builds would
# then read more than the import writes). Primary keys and unique constraints stay, enforced row by
# row. On SQLite only the activities' indexes that begin with or follow their date are dropped: a
# clerk's rows come in any order of date, so each row's entry goes to a random place of a growing
# index, which SQLite's writing thread paid about 5 µs for, two such indexes a row (a million
# activities alone: 14.1 s of CPU written with them, 3.4 s without and 2.7 s to make them
# afterwards). The other indexes' keys come in order or in a few runs (ids, a person, a kind, the
# same history date): SQLite appends to them for less than a sorted build costs (a million rows:
# 92.8 s with every index kept, 113.9 s all dropped and made again, measured on 2026-12-07).
KEYS_REBUILT_FROM = 100_000
INDEXES_REBUILT_UP_TO = 1  # activities already in the ledger per activity imported
KEYED_TABLES = (Activity, Attendance, Activity.history.model, Attendance.history.model)


def import_plan(
    plan: Plan,
    unit: Unit,
    *,
    progress: Callable[[int, int], None] | None = None,
    writer: ActivityWriter | None = None,
) -> int:
    """Write a plan with no problems, all or nothing (``activities_import``); with the ``writer``
    that ``plan_import`` was given, only the rows it has not written yet, then finish.

    ``progress(rows_written, rows_total)`` is called after each batch."""
    if plan.problems:
        raise ValueError("a plan with problems is not written")
    if writer is None:
        return activities_import(unit=unit, activities=plan.activities, progress=progress)
    writer.write(plan.activities[writer.sent :])
    writer.finish()
    return len(plan.activities)


@transaction.atomic
def activities_import(
    *,
    unit: Unit,
    activities: Sequence[PlannedActivity],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write a checked import (``imports.plan_import``) into ``unit``: all rows or none.

    A clerk's ledger can hold a million rows, so the rows go in as plain tuples in large batches
    (``ledger.bulk``: multi-row INSERTs on SQLite, ``COPY`` on PostgreSQL), each activity and each
    attendance row with its history entry, whose change reason says the file, sheet and row it came
    from; the monthly rollup's triggers are off meanwhile and the unit's buckets are rebuilt in one
    statement at the end (``rollup.suspended_for``), all in this one transaction. The rows were
    checked by the import against the rules ``activity_create`` applies (``check_date``, people of
    the unit's organisation, a kind, a topic, the fields' lengths, ``check_time_true``).

    ``progress(rows written, rows to write)`` is called after each batch.
    """
    # (called by the upload page and by ``record_imports.apply`` without a writer): the foreign keys
    # and indexes stay, so that a request never locks the people and units of the whole site
    with ActivityWriter(
        unit, expected=len(activities), progress=progress, thread=False, rebuild_keys=False
    ) as writer:
        for start in range(0, len(activities), bulk.BATCH):
            writer.write(activities[start : start + bulk.BATCH])
        writer.finish()
    return len(activities)


class ActivityWriter:
    """Checked activities into ``unit``, batch by batch, inside the caller's transaction.

    ``write(batch)`` queues a batch for a second thread (``thread=True``) or writes it at once;
    ``wait()`` returns when every queued batch is written (the connection is the caller's again);
    ``finish()`` writes nothing more: it adds back what the import took away (the rollup's
    triggers; for a large import on PostgreSQL the indexes and foreign keys) and rebuilds the unit's
    rollup once. A writer left unfinished (a problem found, an exception) leaves the connection as only a rollback may leave
    it: the caller's transaction must then be rolled back, which undoes the switches too.
    """

    def __init__(
        self,
        unit: Unit,
        *,
        expected: int = 0,
        progress: Callable[[int, int], None] | None = None,
        thread: bool = True,
        rebuild_keys: bool = True,
    ):
        self.db = connections[DEFAULT_DB_ALIAS]  # this thread's: the writing thread shares it
        if not self.db.in_atomic_block:
            raise RuntimeError("an ActivityWriter writes inside the caller's transaction.atomic")
        self.unit, self.expected, self.progress, self.threaded = unit, expected, progress, thread
        self.rebuild_keys = rebuild_keys  # foreign keys and indexes, from ``KEYS_REBUILT_FROM`` rows
        self.sent = 0  # activities handed to ``write``
        self.written = 0  # activities written
        self.cpu_seconds = 0.0  # this process's CPU time spent writing batches (the benchmark reports it)
        self.now = timezone.now()
        self.started = self.finished = False
        self._undo = ExitStack()  # the switches a finished import turns back
        # SQLite's page cache and the cycle collector (paused: the rows written are tuples made and
        # dropped by the million), made as they were in any case
        self._cache = ExitStack()
        self._keys: list[tuple[str, str, str]] = []  # (table, name, definition) of the dropped keys
        self._indexes: list[tuple[str, str]] = []  # (name, definition) of the dropped indexes
        self._queue: queue.Queue[list[PlannedActivity] | _Rows | None] = queue.Queue(maxsize=2)
        self._next_id: int | None = None  # on SQLite: the id the next batch's first activity gets
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        record = {"created": self.now, "updated": self.now, "version": 1, "deleted": False}
        self.activity_table = bulk.Layout(
            Activity,
            ("id", "date", "topic", "materials", "location", "minutes", "host_id", "recorder_id", "kind_id",
             "holiday_reason"),
            {**record, "unit_id": unit.pk, "highlight": ""},
        )  # fmt: skip
        self.attendance_table = bulk.Layout(
            Attendance, ("activity_id", "person_id", "status", "reason"), {**record, "signed_in_at": None}
        )
        # On SQLite every attendance row goes in as present without a reason, two values a row
        # bound instead of four (most rows are so; binding is a third of the Python time their
        # writing takes, with the interpreter lock held), and the others are corrected by id after
        self.present_table = bulk.Layout(
            Attendance,
            ("activity_id", "person_id"),
            {**record, "signed_in_at": None, "status": AttendanceStatus.PRESENT, "reason": ""},
        )

    def __enter__(self) -> ActivityWriter:
        return self

    def __exit__(self, *failure) -> None:
        self.stop()
        if not self.finished:  # the switches are left to the rollback (an unfinished import is undone)
            self._undo.pop_all()
        self._cache.close()

    # -- the caller's thread --------------------------------------------------------------------

    def write(self, batch: Sequence[PlannedActivity]) -> None:
        if not batch:
            return
        self._raise_failure()
        if not self.started:
            self._start()
        self.sent += len(batch)
        ready = self._rows(batch) if self._next_id is not None else list(batch)
        if self._thread is None:
            self._write(ready)
        else:
            self._queue.put(ready)
            self._raise_failure()

    def wait(self) -> None:
        """Every batch handed over is written; the connection is this thread's alone again."""
        self.stop()
        self._raise_failure()

    def finish(self) -> None:
        if not self.started:
            self._start()
        self.wait()
        if self._indexes:
            with self.db.cursor() as cursor:
                if self.db.vendor == "postgresql":  # each index sorted in memory rather than in files
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for _, definition in self._indexes:
                    cursor.execute(definition)
        if self._keys:
            with self.db.cursor() as cursor:
                # the planner's statistics of tables that were empty or a fraction of their size when
                # last analyzed: else each key's check and the rollup's rebuild below, planned for a
                # few thousand rows, sort millions on disk (a million rows: rollup 17 → 4 s, the keys'
                # checks 9 → 3 s, for about a second of ANALYZE; autovacuum's would come after the commit)
                for model in KEYED_TABLES:
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
                for table, name, definition in self._keys:  # as they were, checked in one join each
                    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition} NOT VALID')
                    cursor.execute(f'ALTER TABLE "{table}" VALIDATE CONSTRAINT "{name}"')
        self.finished = True
        self._undo.close()  # the rollup's triggers back on, the unit's buckets rebuilt once

    def _start(self) -> None:
        self.started = True
        db = self.db
        self._cache.enter_context(bulk.large_cache(db=db))
        self._cache.enter_context(collector.paused())
        self._undo.enter_context(rollup.suspended_for(db, self.unit.pk))
        if self.rebuild_keys and self.expected >= KEYS_REBUILT_FROM:
            if db.vendor == "postgresql":
                self._drop_keys()
            if self.expected * INDEXES_REBUILT_UP_TO >= bulk.last_id(Activity, db=db):
                self._drop_indexes()
        self._undo.enter_context(bulk.origins(()))
        if db.vendor == "sqlite":  # numbered here from now on (``_rows``), checked by the writing thread
            self._next_id = bulk.reserve_ids(Activity, 1, db=db)
        if self.threaded:
            db.inc_thread_sharing()
            self._thread = threading.Thread(target=self._run, name="taizhang-import-writer", daemon=True)
            self._thread.start()

    def _drop_keys(self) -> None:
        """The foreign keys of the tables the import fills, as the database has them (the names and
        definitions Django's migrations gave them), dropped until ``finish`` adds them back."""
        tables = [model._meta.db_table for model in KEYED_TABLES]
        with self.db.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conname",
                [tables],
            )
            self._keys = cursor.fetchall()
            for table, name, _ in self._keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')

    def _drop_indexes(self) -> None:
        """The secondary indexes of the tables the import fills (neither a primary key nor a
        constraint's), with the statements that make them as they are, dropped until ``finish``: on
        PostgreSQL all of them, on SQLite the activities' indexes on their date."""
        tables = [model._meta.db_table for model in KEYED_TABLES]
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ANY(%s::regclass[]) "
                    "AND NOT i.indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
                    [tables],
                )
            else:  # the indexes a statement made (a constraint's have no SQL), on the date column
                date = Activity._meta.get_field("date").column
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND EXISTS "
                    "(SELECT 1 FROM pragma_index_info(sqlite_master.name) WHERE name = %s) ORDER BY name",
                    [Activity._meta.db_table, date],
                )
            self._indexes = cursor.fetchall()
            for name, _ in self._indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def stop(self) -> None:
        """The writing thread ended (what it was given written, or given up after a failure)."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        self._thread = None
        self.db.dec_thread_sharing()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            self.stop()
            raise failure

    # -- the writing thread ---------------------------------------------------------------------

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._failure is None:
                try:
                    self._write(batch)
                except BaseException as exc:  # handed to the caller's thread, raised there
                    self._failure = exc

    def _rows(self, activities: Sequence[PlannedActivity]) -> _Rows:
        """(SQLite, in the caller's thread, which would otherwise wait for the writing one) the batch's
        rows as they are inserted: the activities numbered on from the last batch, their attendance
        as (activity, person) pairs written as present without a reason (``present_table``, two
        values bound a row instead of four) with the places of the others, and their origins."""
        first = self._next_id
        self._next_id += len(activities)
        present = AttendanceStatus.PRESENT
        rows, pairs, others, origins = [], [], [], []
        for number, a in enumerate(activities, start=first):
            rows.append(_activity_row(number, a, a.date.isoformat()))
            for entry in a.attendance:
                if entry.status != present or entry.reason:
                    others.append((entry.status, entry.reason, len(pairs)))
                pairs.append((number, entry.person.id))
            origins.append((number, a.source))
        return _Rows(first, rows, pairs, others, origins)

    def _insert_rows(self, batch: _Rows) -> tuple[int, int, int]:
        """(SQLite) a batch made by ``_rows``: (its first activity's id, its size, the last
        attendance id before it)."""
        db, count = self.db, len(batch.activities)
        first = bulk.reserve_ids(Activity, count, db=db)
        if first != batch.first:  # nobody else adds activities within the transaction meanwhile
            raise RuntimeError(f"activities would be numbered from {first}, not {batch.first}")
        bulk.insert(self.activity_table, batch.activities, db=db)
        attendance_after = bulk.last_id(Attendance, db=db)
        added = bulk.insert(self.present_table, batch.attendance, db=db)
        if batch.others:  # absent, on leave or with a reason: corrected by id
            before = bulk.last_id(Attendance, db=db) - added + 1  # the batch's first attendance row
            with db.cursor() as cursor:
                cursor.executemany(
                    f'UPDATE "{Attendance._meta.db_table}" SET "status" = %s, "reason" = %s WHERE "id" = %s',
                    [(status, reason, before + place) for status, reason, place in batch.others],
                )
        bulk.insert(bulk.ORIGIN_LAYOUT, batch.origins, db=db)
        return first, count, attendance_after

    def _insert_planned(self, batch: Sequence[PlannedActivity]) -> tuple[int, int, int]:
        """(PostgreSQL) each row made here, as COPY takes it; returns what ``_insert_rows`` does."""
        db, count = self.db, len(batch)
        first = bulk.reserve_ids(Activity, count, db=db)
        numbered = list(enumerate(batch, start=first))
        bulk.insert(self.activity_table, (_activity_row(n, a, a.date) for n, a in numbered), db=db)
        attendance_after = bulk.last_id(Attendance, db=db)
        bulk.insert(
            self.attendance_table,
            ((n, entry.person.id, entry.status, entry.reason) for n, a in numbered for entry in a.attendance),
            db=db,
        )
        bulk.insert(bulk.ORIGIN_LAYOUT, ((n, a.source) for n, a in numbered), db=db)
        return first, count, attendance_after

    def _write(self, batch: list[PlannedActivity] | _Rows) -> None:
        """One batch: the activities, their attendance, and the history entries of both."""
        started = time.thread_time()
        db = self.db
        if isinstance(batch, _Rows):
            first, count, attendance_after = self._insert_rows(batch)
        else:
            first, count, attendance_after = self._insert_planned(batch)
        # the history entries are copies of the rows just written, made by the database, with the
        # file, sheet and row each came from as the change reason
        last = first + count - 1
        for model, after, upto, origin_of in (
            (Activity, first - 1, last, "id"),
            (Attendance, attendance_after, bulk.last_id(Attendance, db=db), "activity_id"),
        ):
            bulk.insert_history(
                model,
                after=after,
                upto=upto,
                origin_of=origin_of,
                when=self.now,
                origins_after=first - 1,
                origins_upto=last,
                db=db,
            )
        if isinstance(batch, _Rows):  # its origins are used: SQLite's temporary tables cache 2 MB
            with db.cursor() as cursor:
                cursor.execute(f"DELETE FROM temp.{bulk.ORIGIN}")
        self.written += count
        self.cpu_seconds += time.thread_time() - started
        if self.progress:
            self.progress(self.written, self.expected)


def _activity_row(number: int, a: PlannedActivity, day) -> tuple:
    """An activity's columns as ``ActivityWriter.activity_table`` lists them (``day``: its date as
    the database takes it)."""
    host, recorder = a.host.id if a.host else None, a.recorder.id if a.recorder else None
    return (
        number, day, typed_text(a.topic), a.materials, a.location, a.minutes, host, recorder, a.kind.id,
        a.holiday_reason,
    )  # fmt: skip


class _Rows(NamedTuple):
    """A batch made ready for SQLite's multi-row INSERTs (``ActivityWriter._rows``)."""

    first: int  # the first activity's id
    activities: list[tuple]
    attendance: list[tuple[int, int]]  # (activity, person), each as present without a reason
    others: list[tuple[str, str, int]]  # (status, reason, place among ``attendance``) of the rest
    origins: list[tuple[int, str]]  # (activity, where it came from)
