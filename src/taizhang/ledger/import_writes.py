"""Writing a checked activity import: all rows or none, in large batches (``ledger.bulk``), each
with a history entry that says where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection, transaction
from django.utils import timezone

from taizhang.core.cells import typed_text
from taizhang.ledger import bulk, rollup
from taizhang.ledger.imports import Plan, PlannedActivity
from taizhang.ledger.models import Activity, Attendance
from taizhang.org.models import Unit


def import_plan(plan: Plan, unit: Unit, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Write a plan with no problems, all or nothing (``activities_import``).

    ``progress(rows_written, rows_total)`` is called after each batch."""
    if plan.problems:
        raise ValueError("a plan with problems is not written")
    return activities_import(unit=unit, activities=plan.activities, progress=progress)


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
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    record = {"created": now, "updated": now, "version": 1, "deleted": False}
    activity_table = bulk.Layout(
        Activity,
        (
            "id",
            "date",
            "topic",
            "materials",
            "location",
            "minutes",
            "host_id",
            "recorder_id",
            "kind_id",
            "holiday_reason",
        ),
        {**record, "unit_id": unit.pk, "highlight": ""},
    )
    attendance_table = bulk.Layout(
        Attendance, ("activity_id", "person_id", "status", "reason"), {**record, "signed_in_at": None}
    )
    count = len(activities)
    attendance_count = sum(len(a.attendance) for a in activities)
    total = 2 * count + attendance_count
    done = 0

    def step(table_done: int) -> None:
        if progress:
            progress(done + table_done, total)

    def activity_rows():
        for number, a in enumerate(activities, start=first):
            yield (
                number,
                a.date.isoformat() if sqlite else a.date,
                typed_text(a.topic),
                a.materials,
                a.location,
                a.minutes,
                a.host.id if a.host else None,
                a.recorder.id if a.recorder else None,
                a.kind.id,
                a.holiday_reason,
            )

    def attendance_rows():
        for activity_id, a in enumerate(activities, start=first):
            for entry in a.attendance:
                yield (activity_id, entry.person.id, entry.status, entry.reason)

    step(0)
    with bulk.large_cache(), rollup.suspended_for(connection, unit.pk):
        first = bulk.reserve_ids(Activity, count)
        bulk.insert(activity_table, activity_rows(), progress=step)
        done += count
        attendance_after = bulk.last_id(Attendance)
        bulk.insert(attendance_table, attendance_rows(), progress=step)
        done += attendance_count
        # the history entries are copies of the rows just written, made by the database, with the
        # file, sheet and row each came from as the change reason
        origins = ((number, a.source) for number, a in enumerate(activities, start=first))
        with bulk.origins(origins):
            bulk.insert_history(Activity, after=first - 1, origin_of="id", when=now)
            bulk.insert_history(Attendance, after=attendance_after, origin_of="activity_id", when=now)
        done += count
        step(0)
    return count
