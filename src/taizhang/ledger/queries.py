"""Reads over the ledger: filtered lists and the grouped counts every page and document uses."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from taizhang.core.history import fold_saves, history_entries, saves, who_names
from taizhang.core.periods import Period
from taizhang.ledger.models import Activity, ActivityKind, Attendance, AttendanceStatus, Reflection
from taizhang.org.models import Person, Unit
from taizhang.org.scope import can_read, scope


def activities_of(unit: Unit, *, with_children: bool = False) -> QuerySet[Activity]:
    if with_children:
        return Activity.objects.filter(unit__path__startswith=unit.path)
    return Activity.objects.filter(unit=unit)


def in_period(queryset: QuerySet, period: Period, *, field: str = "date") -> QuerySet:
    return queryset.filter(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def readable_activities(user) -> QuerySet[Activity]:
    """Activities of the units the user reads, and (for members) those they are on the attendance of."""
    return scope(Activity.objects.all(), user, own="attendances__person")


def activity_detail(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.select_related("unit", "kind", "host", "recorder").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("person", "person__unit")),
        "attachments",
    )


def kind_counts(*, unit: Unit, period: Period, with_children: bool = False) -> dict[str, int]:
    """Activity count per kind code for one unit (or its subtree) in a period: one grouped query."""
    rows = (
        in_period(activities_of(unit, with_children=with_children), period)
        .values("kind__code")
        .annotate(n=Count("id"))
        .order_by("kind__code")
    )
    return {row["kind__code"]: row["n"] for row in rows}


def kind_counts_by_unit(*, units: QuerySet[Unit], period: Period) -> dict[int, dict[str, int]]:
    """{unit id: {kind code: count}} for every unit of ``units``: one grouped query, whatever their number."""
    rows = (
        in_period(Activity.objects.filter(unit__in=units.values("pk")), period)
        .values_list("unit_id", "kind__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, code, n in rows:
        out[unit_id][code] = n
    return dict(out)


def monthly_counts(*, unit: Unit, period: Period, with_children: bool = False) -> dict[str, dict[str, int]]:
    """{kind code: {'YYYY-MM': count}} over the months of the period, for the unit page's chart."""
    rows = (
        in_period(activities_of(unit, with_children=with_children), period)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values_list("kind__code", "y", "m")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for code, year, month, n in rows:
        out[code][f"{year}-{month:02d}"] = n
    return dict(out)


def kinds_in_order() -> list[ActivityKind]:
    return list(ActivityKind.objects.order_by("order", "code"))


def attendance_summary(activity: Activity) -> dict[str, int]:
    """How many were due, present, on leave and absent."""
    counts = dict(
        activity.attendances.values_list("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )
    return {
        "due": sum(counts.values()),
        "present": counts.get("present", 0),
        "leave": counts.get("leave", 0),
        "absent": counts.get("absent", 0),
    }


def latest_activity_year(units: QuerySet[Unit]) -> int | None:
    newest = (
        Activity.objects.filter(unit__in=units.values("pk")).order_by("-date").values_list("date", flat=True)
    )
    first = newest.first()
    return first.year if first else None


def attendance_shown(activity: Activity, user) -> list[Attendance]:
    """The lines of an activity's attendance ``user`` may read: all of them for those who read the
    unit's ledger; a member their own line only, not their colleagues'. The page and the API both
    cut it here (``activity.attendances`` prefetched by ``activity_detail``: no query)."""
    rows = list(activity.attendances.all())
    if can_read(user, activity.unit):
        return rows
    return [row for row in rows if row.person.user_id == getattr(user, "pk", None)]


def attendance_of(person: Person) -> QuerySet[Attendance]:
    """A person's own attendance at activities that have not been deleted, newest first."""
    return (
        Attendance.objects.filter(person=person, activity__deleted=False)
        .select_related("activity", "activity__kind", "activity__unit")
        .order_by("-activity__date", "-activity_id")
    )


def reflections_of(person: Person) -> QuerySet[Reflection]:
    return Reflection.objects.filter(person=person).order_by("-date", "-id")


def activity_history(activity: Activity) -> list[dict]:
    """Who changed the activity and its attendance, when, and each field's value before and after:
    one line per save, the attendance of the save folded into it ("出席 22 人；请假 2 人：…")."""
    entries = history_entries(list(activity.history.select_related("history_user")), lambda r: "活动")
    return fold_saves(entries + _attendance_lines(activity))


def _attendance_state(row, *, reason: bool = True) -> str:
    if row.deleted:
        return "移出考勤"
    label = AttendanceStatus(row.status).label
    return f"{label}（{row.reason}）" if reason and row.reason else label


def _attendance_lines(activity: Activity) -> list[dict]:
    """The attendance's history as one entry per save, each a single change summing it up."""
    people = dict(Person.all_objects.filter(attendances__activity=activity).values_list("pk", "name"))
    records = list(
        Attendance.history.filter(activity_id=activity.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    who = who_names(records)
    seen: dict[int, object] = {}
    items = []  # (when, who, person's name, the row before (None: new), the row after)
    for record in records:
        before = seen.get(record.id)
        seen[record.id] = record
        moved = before is None or _attendance_state(before) != _attendance_state(record)
        if moved or (record.signed_in_at and record.signed_in_at != before.signed_in_at):
            name = people.get(record.person_id, f"#{record.person_id}")
            items.append((record.history_date, who[record.history_user_id], name, before, record))
    lines = []
    for save in saves(items, when=lambda i: i[0], who=lambda i: i[1]):
        new: dict[str, list[str]] = defaultdict(list)
        parts = []
        for _, _, name, before, after in save:
            if before is None:
                new[_attendance_state(after, reason=False)].append(
                    f"{name}（{after.reason}）" if after.reason else name
                )
            elif _attendance_state(before) != _attendance_state(after):
                parts.append(f"{name}：{_attendance_state(before)} → {_attendance_state(after)}")
            else:
                parts.append(f"{name}：签到 {timezone.localtime(after.signed_in_at):%H:%M}")
        listed = [
            f"{status} {len(names)} 人"
            + ("" if status == AttendanceStatus.PRESENT.label else "：" + "、".join(names))
            for status, names in new.items()
        ]
        lines.append(
            {
                "when": save[0][0],
                "who": save[0][1],
                "what": "修改",
                "subject": "考勤",
                "changes": [{"field": "考勤", "old": "", "new": "；".join(listed + parts)}],
            }
        )
    return lines
