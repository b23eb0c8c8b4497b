"""Reads over the ledger: filtered lists and the grouped counts every page and document uses."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from taizhang.core import stamps
from taizhang.core.history import fold_saves, history_entries, saves, who_names
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY, record_type
from taizhang.ledger.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    ImportedFigure,
    Reflection,
)
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


@dataclass(frozen=True)
class PeriodCounts:
    """A unit's (or subtree's) activities in a period by kind and month: what the ledger records
    (``recorded``) and what aggregates imported from past summaries stand for (``imported``), each
    {kind code: {'YYYY-MM': n}}. One grouped query and one of the aggregates, kept together until a
    write in the unit's subtree (``core.stamps``): the unit page shows all three views of them."""

    recorded: dict[str, dict[str, int]]
    imported: dict[str, dict[str, int]]

    def monthly(self, *, imported: bool = True) -> dict[str, dict[str, int]]:
        """{kind code: {'YYYY-MM': n}}; imported aggregates in the month of their period's last day."""
        out = {code: dict(months) for code, months in self.recorded.items()}
        if imported:
            for code, months in self.imported.items():
                mine = out.setdefault(code, {})
                for month, n in months.items():
                    mine[month] = mine.get(month, 0) + n
        return out

    def by_kind(self, *, imported: bool = True) -> dict[str, int]:
        """{kind code: n} over the whole period, as the engine counts (``imported=False``: the
        detailed records alone)."""
        return {
            code: sum(months.values()) for code, months in sorted(self.monthly(imported=imported).items())
        }


def period_counts(*, unit: Unit, period: Period, with_children: bool = False) -> PeriodCounts:
    return stamps.cached(
        "period-counts",
        unit_id=unit.pk,
        parts=(period.code, with_children),
        compute=lambda: PeriodCounts(
            recorded=_monthly_counts(unit=unit, period=period, with_children=with_children),
            imported=_imported_activity_counts(unit=unit, period=period, with_children=with_children),
        ),
        years=range(period.start.year, period.end.year + 1),
    )


def kind_counts(
    *, unit: Unit, period: Period, with_children: bool = False, imported: bool = True
) -> dict[str, int]:
    """Activity count per kind code for one unit (or its subtree) in a period, and the activities
    imported aggregates stand for, as the engine counts them (``imported=False``: the detailed
    records alone): ``period_counts``."""
    return period_counts(unit=unit, period=period, with_children=with_children).by_kind(imported=imported)


def imported_activity_counts(
    *, unit: Unit, period: Period, with_children: bool = False
) -> dict[str, dict[str, int]]:
    """{kind code: {'YYYY-MM': n}}: the activities that aggregates imported from past summaries stand
    for in the period, where no detailed record has replaced them, under the month of their period's
    last day: what the engine adds to the ledger's own counts (``rules.facts.facts_for``). An
    aggregate of no particular kind counts toward no requirement and is left out here too."""
    return period_counts(unit=unit, period=period, with_children=with_children).imported


def _imported_activity_counts(
    *, unit: Unit, period: Period, with_children: bool
) -> dict[str, dict[str, int]]:
    units = (
        Unit.objects.filter(path__startswith=unit.path) if with_children else Unit.objects.filter(pk=unit.pk)
    )
    rows = (
        imported_figures(units=units.values("pk"), start=period.start, end=period.end)
        .filter(record_type="activities", count__isnull=False)
        .exclude(kind="")
        .values_list("kind", "end", "count")
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for code, day, n in rows:
        month = f"{day:%Y-%m}"
        out[code][month] = out[code].get(month, 0) + n
    return dict(out)


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


def monthly_counts(
    *, unit: Unit, period: Period, with_children: bool = False, imported: bool = True
) -> dict[str, dict[str, int]]:
    """{kind code: {'YYYY-MM': count}} over the months of the period, for the unit page's chart;
    imported aggregates in the month of their period's last day, as ``kind_counts`` adds them."""
    return period_counts(unit=unit, period=period, with_children=with_children).monthly(imported=imported)


def _monthly_counts(*, unit: Unit, period: Period, with_children: bool) -> dict[str, dict[str, int]]:
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
    """Every activity kind in its order (``order``, ``code``: the model's), as kept between requests
    (``core.stamps.vocabulary_rows``)."""
    return list(stamps.vocabulary_rows(ActivityKind))


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
    """The newest year most of ``units`` kept their ledgers in: the newest in which at least half as
    many units recorded activities as in their busiest year. A page opened without a period shows
    that year; one unit recording ahead (a single record dated next year) does not move every
    page of the county to a year the others have not reached. One read of the monthly rollup."""
    from taizhang.ledger.models import ActivityMonth

    pairs = (
        ActivityMonth.objects.filter(unit__in=units.values("pk"), activities__gt=0)
        .annotate(year=Substr("month", 1, 4))
        .values_list("year", "unit_id")
        .distinct()
    )
    per_year = Counter(year for year, _ in pairs)
    if not per_year:
        return None
    busiest = max(per_year.values())
    return max(int(year) for year, n in per_year.items() if 2 * n >= busiest)


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
    entries = history_entries(
        list(activity.history.select_related("history_user")), lambda r: gettext("活动")
    )
    return fold_saves(entries + _attendance_lines(activity))


def _attendance_state(row, *, reason: bool = True) -> str:
    if row.deleted:
        return gettext("移出考勤")
    label = str(AttendanceStatus(row.status).label)
    return (
        gettext("%(status)s（%(reason)s）") % {"status": label, "reason": row.reason}
        if reason and row.reason
        else label
    )


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
                    gettext("%(name)s（%(reason)s）") % {"name": name, "reason": after.reason}
                    if after.reason
                    else name
                )
            elif _attendance_state(before) != _attendance_state(after):
                parts.append(
                    gettext("%(name)s：%(before)s → %(after)s")
                    % {"name": name, "before": _attendance_state(before), "after": _attendance_state(after)}
                )
            else:
                parts.append(
                    gettext("%(name)s：签到 %(time)s")
                    % {"name": name, "time": f"{timezone.localtime(after.signed_in_at):%H:%M}"}
                )
        separator = pgettext("list separator", "、")
        listed = [
            gettext("%(status)s %(count)s 人") % {"status": status, "count": len(names)}
            if status == AttendanceStatus.PRESENT.label
            else gettext("%(status)s %(count)s 人：%(names)s")
            % {"status": status, "count": len(names), "names": separator.join(names)}
            for status, names in new.items()
        ]
        lines.append(
            {
                "when": save[0][0],
                "who": save[0][1],
                "what": pgettext("history", "修改"),
                "subject": gettext("考勤"),
                "changes": [{"field": gettext("考勤"), "old": "", "new": gettext("；").join(listed + parts)}],
            }
        )
    return lines


# -- aggregates imported from past summaries -------------------------------------------------------


def importable(code: str) -> str | None:
    """Why figures of record type ``code`` cannot be imported as an aggregate; None when they can.

    Not: what its declaration refuses (``without["aggregate"]``: items that must each carry their own
    evidence, such as published items' three reviews; reflections, judged person by person; named
    lists such as campaigns and selections), states (counted as they stand, not by a number in a
    summary), and the subsets of activities other than a kind (an assessment is an activity kind).
    """
    t = record_type(code)
    refused = t.without.get("aggregate") or REGISTRY[t.table].without.get("aggregate")
    if refused:
        return refused
    if t.stock:
        return f"{t.name}按期末现状计算，不能以汇总数导入"
    if t.base == "activities":
        return f"{t.name}须逐次登记"
    return None


# Where detailed records must also agree with the aggregate's own kind before they replace it: per
# record type, (the aggregates this applies to, the detailed record's fields → the aggregate's).
REPLACED_BY = {
    "activities": [(~Q(kind=""), {"kind__code": "kind"})],
    "donations": [
        (Q(kind="items"), {"kind": "kind", "item_name": "label"}),  # 口罩 by 口罩
        (~Q(kind=""), {"kind": "kind"}),
    ],
    "adoptions": [(Q(label__startswith="《"), {"publication": "label"})],  # a publication's issues
}


def _replaced() -> Case:
    """Whether detailed records replace an aggregate: the unit itself (not a sub-unit) has a live
    record of the aggregate's record type (and kind, see ``REPLACED_BY``) dated in its period.
    One expression for every record type, so reading the aggregates is one query."""
    whens = []
    for code in REGISTRY:
        if importable(code) is not None:
            continue
        t = record_type(code)
        model = apps.get_model(t.model)
        rows = model.objects.filter(
            **t.where,
            **{
                t.unit_field: OuterRef("unit"),
                f"{t.date_field}__gte": OuterRef("start"),
                f"{t.date_field}__lte": OuterRef("end"),
            },
        )
        for applies, fields in REPLACED_BY.get(code, ()):
            matching = rows.filter(**{field: OuterRef(own) for field, own in fields.items()})
            whens.append(When(Q(record_type=code) & applies, then=Exists(matching)))
        whens.append(When(record_type=code, then=Exists(rows)))
    return Case(*whens, default=Value(False), output_field=BooleanField())


def imported_list(queryset: QuerySet[ImportedFigure]) -> QuerySet[ImportedFigure]:
    """Aggregates as the unit's page lists them (deleted ones too, when given): newest period first,
    each annotated ``replaced`` by the same rule as the counts."""
    return (
        queryset.annotate(replaced=_replaced())
        .select_related("unit", "imported_by")
        .order_by("unit__path", "-end", "record_type", "kind", "id")
    )


def imported_figures(*, units, start, end, replaced: bool = False) -> QuerySet[ImportedFigure]:
    """The live aggregates of ``units`` (a queryset of units or of their ids) that stand in
    ``start``–``end`` (an aggregate stands at its period's last day), annotated ``replaced``.

    The counting rule, for the engine and the documents alike: an aggregate counts where no detailed
    record replaces it; ``replaced=True`` returns the replaced ones as well (the ledger workbook
    lists them, marked)."""
    rows = ImportedFigure.objects.filter(unit__in=units, end__gte=start, end__lte=end)
    if not rows.exists():
        # Most scopes have none: a small query instead of building and running the replacement test
        # of every record type (the costliest part of a small unit's compliance check).
        return rows.none().annotate(replaced=Value(False, output_field=BooleanField()))
    rows = rows.annotate(replaced=_replaced())
    return rows if replaced else rows.filter(replaced=False)
