"""A large import writes its rows while the rest of the file is checked (``import_writes.ActivityWriter``):
what a clerk sees must stay as when checking came first. Batches are made tiny here, so that a file
of a dozen rows is written in several batches on the second thread before its last row is read."""

from __future__ import annotations

import gc
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection, transaction

from taizhang.core.management.base import UsageError
from taizhang.ledger import bulk, import_writes, imports, rollup
from taizhang.ledger.models import Activity, Attendance
from taizhang.ledger.services import AttendanceEntry, activity_create
from taizhang.org.queries import organisation_people

ROWS = 12


@pytest.fixture
def names(cppcc) -> list[str]:
    people = list(organisation_people(cppcc))
    return [p.name for p in people if sum(q.name == p.name for q in people) == 1][:3]


@pytest.fixture
def small_batches(monkeypatch):
    """Rows handed to the writing thread two at a time; counts the batches it wrote."""
    monkeypatch.setattr(imports, "WRITE_EVERY", 2)
    written = []
    write = import_writes.ActivityWriter._write

    def counted(self, activities):
        write(self, activities)
        written.append(len(activities))

    monkeypatch.setattr(import_writes.ActivityWriter, "_write", counted)
    return written


def ledger_csv(path, names, *, last_date="2021-03-31"):
    """``ROWS`` activities on March 2021's working days; the last one dated ``last_date``."""
    lines = ["日期,主题,类型,参会人员,主持人"]
    for i in range(1, ROWS + 1):
        day = f"2021-03-{i + 1:02d}" if i < ROWS else last_date
        lines.append(f"{day},第{i}次集中学习,集中学习,{'、'.join(names)},{names[0]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def counts() -> tuple[int, int, int, int]:
    return (
        Activity.objects.count(),
        Attendance.objects.count(),
        Activity.history.count(),
        Attendance.history.count(),
    )


def foreign_keys() -> set[tuple]:
    """The foreign keys of the tables an import fills, as PostgreSQL has them: name, definition, valid."""
    tables = [model._meta.db_table for model in import_writes.KEYED_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        return set(cursor.fetchall())


def indexes() -> set[tuple]:
    """The indexes of the tables an import fills, as the database has them: name and definition."""
    tables = [model._meta.db_table for model in import_writes.KEYED_TABLES]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s, %s, %s)",
                tables,
            )
        return set(cursor.fetchall())


@pytest.fixture
def rebuilt(monkeypatch):
    """Every import counts as large: foreign keys and secondary indexes dropped and made again (on
    SQLite the activities' indexes on their date)."""
    monkeypatch.setattr(import_writes, "KEYS_REBUILT_FROM", 1)
    monkeypatch.setattr(import_writes, "INDEXES_REBUILT_UP_TO", 10**9)
    dropped = []
    drop = import_writes.ActivityWriter._drop_indexes

    def counted(self):
        drop(self)
        dropped.extend(self._indexes)

    monkeypatch.setattr(import_writes.ActivityWriter, "_drop_indexes", counted)
    return dropped


def still_counted_at_once(cppcc, names) -> None:
    """The rollup's triggers are on: an activity written the ordinary way is counted at once."""
    person = organisation_people(cppcc).get(name=names[0])
    activity_create(unit=cppcc, kind=Activity.objects.filter(unit=cppcc).first().kind, date=date(2021, 7, 1),
                    topic="导入之后的学习", attendance=[AttendanceEntry(person=person, status="present")])  # fmt: skip
    assert rollup.stale(connection) == []


def test_a_file_written_while_checked_imports_every_row_with_its_origin(
    cppcc, names, small_batches, tmp_path
):
    path = tmp_path / "台账.csv"
    ledger_csv(path, names)
    before = counts()
    call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=io.StringIO())
    assert len(small_batches) >= 3  # written on the second thread, batch by batch
    assert counts() == (before[0] + ROWS, before[1] + 3 * ROWS, before[2] + ROWS, before[3] + 3 * ROWS)
    last = Activity.objects.get(unit=cppcc, topic=f"第{ROWS}次集中学习")
    assert last.history.get().history_change_reason == f"导入：台账.csv!台账 第{ROWS + 1}行"
    assert sorted(a.person.name for a in last.attendances.all()) == sorted(names)
    assert rollup.stale(connection) == []
    still_counted_at_once(cppcc, names)


def test_a_mistake_in_the_last_row_after_batches_were_written_leaves_nothing(
    cppcc, names, small_batches, tmp_path
):
    path = tmp_path / "台账.csv"
    ledger_csv(path, names, last_date="2021-02-30")
    before = counts()
    keys = foreign_keys() if connection.vendor == "postgresql" else None
    with pytest.raises(UsageError) as refused:
        call_command(
            "import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=(err := io.StringIO())
        )
    assert small_batches  # rows were written before the mistake was read
    assert err.getvalue().splitlines() == [f"台账!A{ROWS + 1}: 日期“2021-02-30”不存在"]
    assert "1 处问题，未写入任何记录" in str(refused.value)
    assert counts() == before
    assert gc.isenabled()  # paused while the rows were checked and written (``core.collector``)
    assert rollup.stale(connection) == []
    if keys is not None:
        assert foreign_keys() == keys
    still_counted_at_once(cppcc, names)


def test_a_failure_on_the_writing_thread_is_raised_and_leaves_nothing(
    cppcc, names, small_batches, monkeypatch, tmp_path
):
    """The disk filling up while the second thread writes the third batch's history: the command
    fails with that error (it does not wait for ever), and nothing of the import stays."""
    path = tmp_path / "台账.csv"
    ledger_csv(path, names)
    before = counts()
    history = bulk.insert_history

    def disk_full(model, **kwargs):
        if len(small_batches) == 2:
            raise OperationalError("database or disk is full")
        history(model, **kwargs)

    monkeypatch.setattr(bulk, "insert_history", disk_full)
    with pytest.raises(OperationalError):
        call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=io.StringIO())
    assert counts() == before
    assert gc.isenabled()
    assert rollup.stale(connection) == []
    still_counted_at_once(cppcc, names)


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="only PostgreSQL's foreign keys are dropped for a large import",
)
def test_a_large_import_on_postgresql_puts_its_foreign_keys_back_validated(
    cppcc, names, small_batches, monkeypatch, tmp_path
):
    """Above ``KEYS_REBUILT_FROM`` rows the foreign keys are dropped for the import and added back:
    afterwards the same keys (names and definitions, as the migrations made them) hold, validated."""
    monkeypatch.setattr(import_writes, "KEYS_REBUILT_FROM", 1)
    path = tmp_path / "台账.csv"
    ledger_csv(path, names)
    keys = foreign_keys()
    assert len(keys) >= 8 and all(valid for *_, valid in keys)
    call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=io.StringIO())
    assert foreign_keys() == keys
    with (
        pytest.raises(IntegrityError, match="foreign key"),  # and they are enforced
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "UPDATE ledger_attendance SET person_id = -1 WHERE id = (SELECT MAX(id) FROM ledger_attendance)"
        )


def test_a_large_import_makes_the_indexes_it_dropped_again(cppcc, names, small_batches, rebuilt, tmp_path):
    path = tmp_path / "台账.csv"
    ledger_csv(path, names)
    before, counted = indexes(), counts()
    call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=io.StringIO())
    if connection.vendor == "postgresql":
        assert len(rebuilt) >= 20  # the history's, attendance's and the activities' own
    else:
        assert sorted(name for name, _ in rebuilt) == ["activity_date_kind", "activity_unit_date_live"]
    assert indexes() == before
    assert counts() == (counted[0] + ROWS, counted[1] + 3 * ROWS, counted[2] + ROWS, counted[3] + 3 * ROWS)
    assert rollup.stale(connection) == []
    with (  # one attendance row per person and activity: still enforced
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO ledger_attendance (created, updated, version, deleted, status, reason, activity_id, person_id) "
            "SELECT created, updated, 1, deleted, status, reason, activity_id, person_id FROM ledger_attendance "
            "WHERE id = (SELECT MAX(id) FROM ledger_attendance)"
        )
    still_counted_at_once(cppcc, names)


def test_a_mistake_after_the_indexes_were_dropped_leaves_them_and_the_rows_as_they_were(
    cppcc, names, small_batches, rebuilt, tmp_path
):
    path = tmp_path / "台账.csv"
    ledger_csv(path, names, last_date="2021-02-30")
    before, counted = indexes(), counts()
    with pytest.raises(UsageError):
        call_command("import", str(path), "--unit", "cppcc", stdout=io.StringIO(), stderr=io.StringIO())
    assert rebuilt and small_batches  # dropped, and rows written, before the mistake was read
    assert indexes() == before
    assert counts() == counted
    assert rollup.stale(connection) == []
    still_counted_at_once(cppcc, names)
