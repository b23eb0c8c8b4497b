"""Reads of the rules module: the facts the engine judges, counted set-wise, and the results.

Every count for every unit of a tree comes from one grouped query per record type (activities,
attendance, reflections, members, and each practice module's table a rule counts), bucketed by
month; the engine sums months into periods. The number of queries therefore does not grow with the
number of units or requirements.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from taizhang.core import stamps
from taizhang.core.db import month_of
from taizhang.core.registry import countable, record_type, resolve
from taizhang.ledger.models import Activity, ActivityKind, ActivityMonth, Attachment, Attendance, Reflection
from taizhang.ledger.queries import imported_figures
from taizhang.org.models import Person, Unit
from taizhang.rules.engine import EVIDENCE_BITS, Facts, Rollup, Rule


def _evidence_mask(evidence: set[str] | dict[str, set[str]] | None, kind_ids: dict[str, int]):
    """The ``EVIDENCE_BITS`` an activity carries, as one integer computed by the database.

    ``evidence`` maps each evidence name to the activity kinds some rule demands it of (a set of
    names: of every kind; None: every name, every kind). A bit is only computed for the kinds it
    is demanded of — elsewhere it is 0, and no rule reads it — because each costs a test per
    activity (attendance: a correlated sub-query), and a bit nobody reads would split the groups.
    """
    if evidence is None:
        evidence = set(EVIDENCE_BITS)
    if not isinstance(evidence, dict):
        evidence = dict.fromkeys(evidence)
    tests = {
        "minutes": lambda: ~Q(minutes=""),
        "attendance": lambda: Q(Exists(Attendance.objects.filter(activity=OuterRef("pk")))),
        "attachment": lambda: Q(Exists(Attachment.objects.filter(activity=OuterRef("pk")))),
    }
    bits = []
    for name, bit in EVIDENCE_BITS.items():
        if name not in evidence:
            continue
        kinds = evidence[name]
        if kinds is not None and not kinds:
            continue
        condition = tests[name]()
        if kinds is not None:
            condition = Q(kind_id__in=sorted(kind_ids[k] for k in kinds if k in kind_ids)) & condition
        bits.append(Case(When(condition, then=Value(bit)), default=Value(0)))
    if not bits:
        return Value(0, output_field=IntegerField())
    return ExpressionWrapper(sum(bits[1:], bits[0]), output_field=IntegerField())


def _rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` query of plain columns and integer aggregates, as the driver
    returns them: Django's per-value converters (``int()`` of an integer) cost more than the
    grouped query itself on a city's few hundred thousand groups."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. no rule counts a kind that exists
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last day of the calendar months lying wholly within ``start``–``end`` (None: none)."""
    first = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = end + timedelta(days=1)
    last = end if after.day == 1 else end.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None


def facts_for(
    *,
    units: QuerySet[Unit],
    start: date,
    end: date,
    rate_kinds: set[str] | None = None,
    evidence: set[str] | dict[str, set[str]] | None = None,
    kinds: set[str] | None = None,
    rollup: bool = True,
    imported: bool = True,
    folded: bool = True,
) -> Facts:
    """Monthly facts for all ``units`` between ``start`` and ``end``, in a bounded number of grouped
    queries whatever the number of units (and one read of the activity kinds, a few rows).

    Whole months come from the monthly rollup (``ledger.ActivityMonth``, kept by triggers): one
    read of a few rows per unit, kind and month, masks and attendance included. A month cut by
    ``start`` or ``end`` (a check as of the 15th) is aggregated from the ledger itself, with the
    evidence ``evidence`` names: the evidence rules ask for, or a map of each name to the kinds it
    is asked of (None: all evidence of all kinds; see ``_evidence_mask``). Masks read from the
    rollup carry every bit; the engine reads only the bits a rule demands. ``kinds`` (None: all)
    limits the activities read to the kinds some rule counts; ``rate_kinds`` (None: all) the kinds
    whose attendance is read. ``rollup=False`` aggregates every day from the ledger itself (what the
    rollup is checked against).

    Aggregates imported from past summaries (``ledger.ImportedFigure``) that no detailed record has
    replaced are added (``imported=False``: not), each filed under the month of its period's last
    day: activities with every evidence bit (the summary they came from stands as their evidence),
    the practice modules' records under their record type and the table's own type (an imported
    社情民意信息 is a submission too). One query for all of them.

    ``folded=False`` leaves the rollup's rows as read (``Facts.rollup``, in unit order) for the
    engine to scatter into its cells, rather than building per-unit dicts of them first.
    """
    facts = Facts()
    unit_ids = units.values("pk")
    # Kinds by id, read once: reading the kind's id rather than joining its code keeps the rows
    # narrow (a city's check reads some 400,000 of them).
    kind_ids = {kind.code: kind.pk for kind in stamps.vocabulary_rows(ActivityKind)}
    code_of = {pk: code for code, pk in kind_ids.items()}
    kind_filter = (
        {} if kinds is None else {"kind_id__in": sorted(kind_ids[k] for k in kinds if k in kind_ids)}
    )
    rated = None if rate_kinds is None else {kind_ids[k] for k in rate_kinds if k in kind_ids}

    whole = whole_months(start, end) if rollup else None
    partial = Q(date__gte=start, date__lte=end)
    if whole:
        partial &= Q(date__lt=whole[0]) | Q(date__gt=whole[1])
        # In unit order (the read index's order): each unit's facts are then built, and later
        # judged, together in memory, which on a city's 400,000 rows is a third faster than
        # the order the rows happen to lie in.
        monthly = (
            ActivityMonth.objects.filter(
                unit__in=unit_ids,
                month__gte=f"{whole[0]:%Y-%m}",
                month__lte=f"{whole[1]:%Y-%m}",
                **kind_filter,
            )
            .order_by("unit_id")
            .values_list("unit_id", "kind_id", "month", "mask", "activities", "present", "due")
        )
        facts.rollup = Rollup(
            rows=_rows(monthly), kinds=code_of, rated=None if rated is None else frozenset(rated)
        )
        if folded:
            facts.fold()

    if not whole or start < whole[0] or whole[1] < end:
        _ledger_facts(facts, unit_ids, partial, kind_filter, rated, evidence, kind_ids, code_of)

    if imported:
        _imported_facts(facts, unit_ids, start, end, kinds)

    reflections = (
        Reflection.objects.filter(unit__in=unit_ids, date__gte=start, date__lte=end)
        .annotate(month=month_of("date"))
        .values_list("unit_id", "person_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, person_id, month, n in reflections:
        people = facts.per_person.setdefault(unit_id, {}).setdefault(("reflections", month), {})
        people[person_id] = n
    members = (
        Person.objects.filter(unit__in=unit_ids).values_list("unit_id").annotate(n=Count("id")).order_by()
    )
    facts.members = dict(members)
    return facts


ALL_EVIDENCE = sum(EVIDENCE_BITS.values())


def _imported_facts(facts: Facts, unit_ids, start: date, end: date, kinds: set[str] | None) -> None:
    rows = imported_figures(units=unit_ids, start=start, end=end).filter(count__isnull=False)
    for unit_id, code, kind, day, n in rows.values_list("unit_id", "record_type", "kind", "end", "count"):
        month = f"{day:%Y-%m}"
        if code == "activities":
            if kinds is not None and kind not in kinds:
                continue
            per_unit = facts.activities.setdefault(unit_id, {})
            key = (kind, month, ALL_EVIDENCE)
            per_unit[key] = per_unit.get(key, 0) + n
            continue
        if not record_type(code).engine:
            continue  # no requirement counts it (donations): the documents tell it
        base = record_type(code).table
        per_unit_records = facts.records.setdefault(unit_id, {})
        for counted in dict.fromkeys((code, base)):
            total, bad = per_unit_records.get((counted, month), (0, 0))
            per_unit_records[(counted, month)] = (total + n, bad)


def _ledger_facts(
    facts: Facts, unit_ids, dates: Q, kind_filter: dict, rated, evidence, kind_ids, code_of
) -> None:
    """Add to ``facts`` the activities and attendance of the days ``dates`` selects, aggregated from
    the ledger itself (the months the rollup cannot answer: those a check's dates cut)."""
    activities = (
        Activity.objects.filter(dates, unit__in=unit_ids, **kind_filter)
        .annotate(month=month_of("date"), mask=_evidence_mask(evidence, kind_ids))
        .values_list("unit_id", "kind_id", "month", "mask")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, kind_id, month, mask, n in _rows(activities):
        facts.activities.setdefault(unit_id, {})[(code_of[kind_id], month, mask)] = n
    if rated is not None and not rated:
        return
    rows = Attendance.objects.filter(activity__in=Activity.objects.filter(dates, unit__in=unit_ids))
    if rated is not None:
        rows = rows.filter(activity__kind_id__in=sorted(rated))
    rows = (
        rows.annotate(month=month_of("activity__date"))
        .values_list("activity__unit_id", "activity__kind_id", "month")
        .annotate(present=Count("id", filter=Q(status="present")), due=Count("id"))
        .order_by()
    )
    for unit_id, kind_id, month, present, due in _rows(rows):
        facts.attendance.setdefault(unit_id, {})[(code_of[kind_id], month)] = (present, due)


def module_records() -> frozenset[str]:
    """The practice modules' record types a requirement may count: those that declare their counter
    (``core.registry``); the ledger's own (activities, reflections) are read by ``facts_for``."""
    return frozenset(code for code in countable() if record_type(code).counter)


def records_for(
    *,
    facts: Facts,
    units: QuerySet[Unit],
    start: date,
    end: date,
    ends: list[date],
    wanted: set[str],
    today: date,
) -> Facts:
    """Add the practice modules' monthly records to ``facts``: one grouped query per table wanted.

    Events (submissions, adoptions, articles, published items, assessments that reviewed risk
    points) are bucketed by month between ``start`` and ``end``; states (channels, open high risks)
    are read as they stand at each day of ``ends`` (the judged periods' last days). Only the tables
    some rule counts are read. All of them become measurable, so a unit without any such record is
    judged on zero records rather than reported as not measured.
    """
    store = facts.records

    def put(unit_id: int, key: tuple[str, str], value: tuple[int, int]) -> None:
        per_unit = store.get(unit_id)
        if per_unit is None:
            per_unit = store[unit_id] = {}
        # added to what ``facts_for`` may have filed there already (imported aggregates)
        total, bad = per_unit.get(key, (0, 0))
        per_unit[key] = (total + value[0], bad + value[1])

    counters: dict[str, set[str]] = {}  # one counter may serve several types of its table
    for code in sorted(wanted & module_records()):
        counters.setdefault(record_type(code).counter, set()).add(code)
    for counter, codes in counters.items():
        counts = resolve(counter)(units=units, start=start, end=end, ends=ends, today=today, codes=codes)
        for unit_id, figures in counts.items():
            for key, value in figures.items():
                put(unit_id, key, value)
    facts.measurable = facts.measurable | (wanted & module_records())
    return facts


def evidence_demanded(rules: list[Rule]) -> dict[str, set[str]]:
    """Evidence name → the activity kinds some counting rule demands it of (rates read attendance
    itself, not the evidence flag)."""
    evidence: dict[str, set[str]] = {}
    for r in rules:
        if r.counts == "activities" and r.measure != "rate":
            for name in r.evidence:
                evidence.setdefault(name, set()).update(r.kinds)
    return evidence
