"""The monthly activity rollup stays what the ledger says after every kind of write.

Each test changes the ledger the way some path of the application does (a form's save, a soft
delete and restore, a bulk insert, ``QuerySet.update``, a hard delete with its cascade) and then
compares every bucket of the rollup with a fresh aggregate of the ledger.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from taizhang.ledger import rollup
from taizhang.ledger.models import Activity, ActivityKind, ActivityMonth, Attachment, Attendance


def bucket(unit, kind_code: str, month: str) -> dict[int, tuple[int, int, int]]:
    kind = ActivityKind.objects.get(code=kind_code)
    return {
        row.mask: (row.activities, row.present, row.due)
        for row in ActivityMonth.objects.filter(unit=unit, kind=kind, month=month)
    }


@pytest.fixture
def new_activity(cppcc):
    def make(**fields):
        values = {
            "unit": cppcc,
            "kind": ActivityKind.objects.get(code="seminar"),
            "date": date(2031, 5, 10),
            "topic": "专题研讨",
            "minutes": "会议记录",
            **fields,
        }
        return Activity.objects.create(**values)

    return make


def test_the_demo_ledger_and_its_rollup_agree(db):
    assert ActivityMonth.objects.exists()
    assert rollup.stale(connection) == []


def test_a_new_activity_and_its_evidence_move_it_between_evidence_buckets(cppcc, new_activity):
    activity = new_activity(minutes="")
    assert bucket(cppcc, "seminar", "2031-05") == {0: (1, 0, 0)}
    person = cppcc.people.first()
    Attendance.objects.create(activity=activity, person=person, status="present")
    assert bucket(cppcc, "seminar", "2031-05") == {2: (1, 1, 1)}
    activity.minutes = "补记的会议记录"
    activity.save()
    assert bucket(cppcc, "seminar", "2031-05") == {3: (1, 1, 1)}
    Attachment.objects.create(activity=activity, name="签到表.pdf", file="x.pdf")
    new_activity()  # a second one, with minutes only
    assert bucket(cppcc, "seminar", "2031-05") == {7: (1, 1, 1), 1: (1, 0, 0)}
    assert rollup.stale(connection) == []


def test_an_attendance_status_change_and_a_soft_delete_are_counted_again(cppcc, new_activity):
    activity = new_activity()
    people = list(cppcc.people.all()[:2])
    rows = [Attendance.objects.create(activity=activity, person=p, status="present") for p in people]
    assert bucket(cppcc, "seminar", "2031-05") == {3: (1, 2, 2)}
    rows[0].status = "leave"
    rows[0].save()
    assert bucket(cppcc, "seminar", "2031-05") == {3: (1, 1, 2)}
    Attendance.objects.filter(pk__in=[r.pk for r in rows]).update(deleted=True)
    assert bucket(cppcc, "seminar", "2031-05") == {1: (1, 0, 0)}
    assert rollup.stale(connection) == []


def test_moving_deleting_and_restoring_an_activity(cppcc, school, new_activity):
    activity = new_activity()
    activity.date = date(2031, 6, 1)
    activity.save()
    assert bucket(cppcc, "seminar", "2031-05") == {}
    assert bucket(cppcc, "seminar", "2031-06") == {1: (1, 0, 0)}
    Activity.objects.filter(pk=activity.pk).update(
        unit=school, kind=ActivityKind.objects.get(code="theme_day")
    )
    assert bucket(cppcc, "seminar", "2031-06") == {}
    assert bucket(school, "theme_day", "2031-06") == {1: (1, 0, 0)}
    Activity.objects.filter(pk=activity.pk).update(deleted=True)
    assert bucket(school, "theme_day", "2031-06") == {}
    Activity.all_objects.filter(pk=activity.pk).update(deleted=False)
    assert bucket(school, "theme_day", "2031-06") == {1: (1, 0, 0)}
    assert rollup.stale(connection) == []


def test_bulk_inserts_and_a_hard_delete_with_its_cascade(cppcc, new_activity):
    kind = ActivityKind.objects.get(code="seminar")
    made = Activity.objects.bulk_create(
        Activity(unit=cppcc, kind=kind, date=date(2031, 7, d), topic="研讨", minutes="记录")
        for d in range(1, 6)
    )
    person = cppcc.people.first()
    Attendance.objects.bulk_create(Attendance(activity=a, person=person, status="present") for a in made[:2])
    assert bucket(cppcc, "seminar", "2031-07") == {3: (2, 2, 2), 1: (3, 0, 0)}
    Activity.all_objects.filter(pk__in=[a.pk for a in made]).delete()  # attendance goes with them
    assert bucket(cppcc, "seminar", "2031-07") == {}
    assert rollup.stale(connection) == []


def test_one_statement_changing_rows_of_several_activities(cppcc, new_activity):
    """A statement may change attendance rows of several activities at once, move a row from one
    activity to another, or change two rows of one activity: each activity is counted once, in the
    bucket its rows leave it in."""
    first, second = new_activity(minutes=""), new_activity(date=date(2031, 6, 2))
    people = list(cppcc.people.all()[:4])
    rows = Attendance.objects.bulk_create(
        Attendance(activity=activity, person=person, status="present")
        for activity, some in ((first, people[:3]), (second, people[1:]))
        for person in some
    )
    assert bucket(cppcc, "seminar", "2031-05") == {2: (1, 3, 3)}
    assert bucket(cppcc, "seminar", "2031-06") == {3: (1, 3, 3)}
    for row in rows[:2] + rows[3:5]:
        row.status = "leave"
    Attendance.objects.bulk_update(rows[:2] + rows[3:5], ["status"])  # one UPDATE … CASE
    assert bucket(cppcc, "seminar", "2031-05") == {2: (1, 1, 3)}
    assert bucket(cppcc, "seminar", "2031-06") == {3: (1, 1, 3)}
    Attendance.objects.filter(activity=first, person=people[0]).update(activity=second)  # a row moves
    assert bucket(cppcc, "seminar", "2031-05") == {2: (1, 1, 2)}
    assert bucket(cppcc, "seminar", "2031-06") == {3: (1, 1, 4)}
    Attendance.objects.filter(pk__in=[r.pk for r in rows]).update(deleted=True)
    assert bucket(cppcc, "seminar", "2031-05") == {0: (1, 0, 0)}
    assert bucket(cppcc, "seminar", "2031-06") == {1: (1, 0, 0)}
    Attendance.all_objects.filter(pk__in=[r.pk for r in rows[:3]]).update(deleted=False, activity=first)
    assert bucket(cppcc, "seminar", "2031-05") == {2: (1, 1, 3)}
    assert bucket(cppcc, "seminar", "2031-06") == {1: (1, 0, 0)}
    assert rollup.stale(connection) == []


def test_a_stale_rollup_is_found_and_rebuilt(cppcc, new_activity):
    new_activity()
    ActivityMonth.objects.filter(unit=cppcc, month="2031-05").update(activities=99)
    stale = rollup.stale(connection)
    assert [(row[2], row[4][0], row[5][0]) for row in stale] == [("2031-05", 99, 1)]
    rollup.rebuild(connection)
    assert rollup.stale(connection) == []
    assert bucket(cppcc, "seminar", "2031-05") == {1: (1, 0, 0)}


def test_the_rollup_command_reports_a_difference_and_rebuild_repairs_it(cppcc, new_activity, capsys):
    from django.core.management import CommandError, call_command

    call_command("ledger", "rollup")
    assert "一致" in capsys.readouterr().out
    new_activity()
    ActivityMonth.objects.filter(unit=cppcc, month="2031-05").delete()
    with pytest.raises(CommandError, match="1 处与台账不一致"):
        call_command("ledger", "rollup")
    assert f"{cppcc.name} 专题研讨 2031-05" in capsys.readouterr().out
    call_command("ledger", "rollup", "--rebuild")
    call_command("ledger", "rollup")
    assert "一致" in capsys.readouterr().out.splitlines()[-1]
    assert bucket(cppcc, "seminar", "2031-05") == {1: (1, 0, 0)}


def test_two_transactions_writing_into_one_bucket_are_both_counted(transactional_db):
    """On PostgreSQL two clerks may save activities of the same unit, kind and month at once; the
    second recomputation waits for the first transaction and sees its row (without the advisory
    lock it would fail on the bucket's unique key, or count one activity)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite admits one writer at a time: no two transactions write at once")
    import threading

    from django.db import connections, transaction

    from taizhang.ledger import services
    from taizhang.org.models import UnitKind
    from taizhang.org.services import unit_create

    services.activity_kinds_sync_from_default_framework()
    unit = unit_create(code="two-writers", name="并发测试单位", kind=UnitKind.ORGAN)
    kind = ActivityKind.objects.get(code="seminar")
    first_written, first_may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write(topic: str, before=None, after=None) -> None:
        try:
            if before:
                before.wait(10)
            with transaction.atomic():
                Activity.objects.create(
                    unit=unit, kind=kind, date=date(2031, 5, 10), topic=topic, minutes="记录"
                )
                if after:
                    after.set()
                    first_may_commit.wait(10)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=write, args=("第一次研讨",), kwargs={"after": first_written})
    second = threading.Thread(target=write, args=("第二次研讨",), kwargs={"before": first_written})
    first.start()
    second.start()
    second.join(1.0)  # the second writer is now waiting for the first one's bucket
    first_may_commit.set()
    first.join(10)
    second.join(10)
    assert errors == []
    assert bucket(unit, "seminar", "2031-05") == {1: (2, 0, 0)}
    assert rollup.stale(connection) == []


def test_one_transaction_may_touch_thousands_of_buckets(db):
    """Deleting a unit tree or importing years of records touches a bucket per unit, kind and month
    in one transaction: far more than PostgreSQL's lock table holds (64 locks × 100 connections by
    default), so the rollup must not take a lock per bucket."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no lock table to exhaust")
    from taizhang.org.models import UnitKind
    from taizhang.org.services import unit_create

    units = [unit_create(code=f"bulk-{i}", name=f"批量测试单位{i}", kind=UnitKind.ORGAN) for i in range(20)]
    kinds = ActivityKind.objects.count()
    with connection.cursor() as cursor:  # a bulk import: one statement, 20 units × kinds × 50 months
        cursor.execute(
            """
            INSERT INTO ledger_activity (created, updated, version, deleted, unit_id, kind_id, date,
                                         topic, materials, location, minutes)
            SELECT now(), now(), 1, false, u.id, k.id, (date '2031-01-01' + m * interval '1 month')::date,
                   '批量导入', '', '', '记录'
            FROM org_unit u, ledger_activitykind k, generate_series(0, 49) m
            WHERE u.code LIKE 'bulk-%%'
            """
        )
    buckets = 20 * kinds * 50
    assert buckets >= 20000
    assert ActivityMonth.objects.filter(unit__in=units).count() == buckets
    with connection.cursor() as cursor:  # and one statement to undo it
        cursor.execute("DELETE FROM ledger_activity WHERE unit_id = ANY(%s)", [[u.pk for u in units]])
    assert not ActivityMonth.objects.filter(unit__in=units).exists()
