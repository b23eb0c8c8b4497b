"""Reads of the rules module: the facts the engine judges, counted set-wise, and the results.

Every count for every unit of a tree comes from one grouped query per record type (activities,
attendance, reflections, members, and each practice module's table a rule counts), bucketed by
month; the engine sums months into periods. The number of queries therefore does not grow with the
number of units or requirements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from urllib.parse import urlencode

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
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_noop

from taizhang.core import stamps
from taizhang.core.db import month_of
from taizhang.core.i18n import localized
from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY, countable, record_type, resolve, stocks
from taizhang.ledger.models import Activity, ActivityKind, ActivityMonth, Attachment, Attendance, Reflection
from taizhang.ledger.queries import imported_figures
from taizhang.org.models import Area, Person, Post, Task, TaskStatus, Unit
from taizhang.org.queries import post_holders, tree_order
from taizhang.risks import queries as risk_queries
from taizhang.rules.counting import not_counted_words
from taizhang.rules.engine import (
    BEHIND,
    EVIDENCE_BITS,
    MET,
    NOT_MEASURED,
    ON_TRACK,
    OVERDUE,
    STATUS_LABELS,
    Facts,
    Result,
    Rule,
    evaluate,
    periods_for,
    window_span,
)
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement
from taizhang.rules.services import framework_ensure_default

# The engine's status words, for the catalogue: the matrix shows them through {% translate %}.
STATUS_WORDS = (
    gettext_noop("已完成"),
    gettext_noop("进度正常"),
    gettext_noop("进度滞后"),
    gettext_noop("逾期未完成"),
    gettext_noop("不可计量"),
    gettext_noop("不适用"),
)


def units_of(unit: Unit, *, with_children: bool) -> QuerySet[Unit]:
    if with_children:
        return Unit.objects.filter(path__startswith=unit.path)
    return Unit.objects.filter(pk=unit.pk)


def framework_for(unit: Unit) -> Framework:
    """The version pinned on the unit or its nearest ancestor; else the latest loaded one."""
    ancestor_ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    pins = {
        a.unit_id: a.framework
        for a in FrameworkAssignment.objects.filter(unit_id__in=ancestor_ids).select_related("framework")
    }
    for unit_id in reversed(ancestor_ids):
        if unit_id in pins:
            return pins[unit_id]
    return framework_ensure_default()


def rules_of(framework: Framework) -> list[Rule]:
    return [rule_from(r) for r in Requirement.objects.filter(framework=framework).order_by("order")]


def rule_from(r: Requirement) -> Rule:
    return Rule(
        code=r.code,
        title=r.title,
        period=r.period,
        min=r.min,
        measure=r.measure,
        kinds=tuple(r.kinds),
        counts=r.counts,
        due=r.due,
        applies_to=tuple(r.applies_to),
        evidence=tuple(r.evidence),
        points=r.points,
        responsible=r.responsible,
        title_en=r.title_en,
    )


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
    """
    facts = Facts()
    unit_ids = units.values("pk")
    # Kinds by id, read once: reading the kind's id rather than joining its code keeps the rows
    # narrow (a city's check reads some 400,000 of them).
    kind_ids = dict(ActivityKind.objects.values_list("code", "pk"))
    code_of = {pk: code for code, pk in kind_ids.items()}
    kind_filter = (
        {} if kinds is None else {"kind_id__in": sorted(kind_ids[k] for k in kinds if k in kind_ids)}
    )
    rated = None if rate_kinds is None else {kind_ids[k] for k in rate_kinds if k in kind_ids}
    store, attendance = facts.activities, facts.attendance

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
        for unit_id, kind_id, month, mask, n, present, due in _rows(monthly):
            kind = code_of[kind_id]
            per_unit = store.get(unit_id)
            if per_unit is None:
                per_unit = store[unit_id] = {}
            per_unit[(kind, month, mask)] = n  # one row per (unit, kind, month, mask)
            if due and (rated is None or kind_id in rated):
                per_unit_att = attendance.get(unit_id)
                if per_unit_att is None:
                    per_unit_att = attendance[unit_id] = {}
                p, d = per_unit_att.get((kind, month), (0, 0))
                per_unit_att[(kind, month)] = (p + present, d + due)

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


@dataclass
class Check:
    """A compliance check of one unit (or tree) over one period, with what the engine judged."""

    unit: Unit
    window: Period
    as_of: date
    framework: Framework
    unit_kinds: dict[int, str]  # every unit checked: id → kind (what the engine needs of a unit)
    results: list[Result]
    with_children: bool = False

    @cached_property
    def units(self) -> dict[int, Unit]:
        """The units checked, read when a page or a report first names them (a city's check judges
        ten thousand units without building a model instance for each)."""
        return {u.pk: u for u in units_of(self.unit, with_children=self.with_children)}


def default_as_of(window: Period, today: date | None = None) -> date:
    """Checking a past period judges it as it stood at its end; a current one, as of today."""
    today = today or date.today()
    return min(today, window.end)


def compliance(
    *, unit: Unit, window: Period, as_of: date | None = None, with_children: bool = False
) -> Check:
    """Status of every requirement for ``unit`` (and its subtree) over ``window``: judged once per
    change in the unit's subtree, then read from the cache (``core.stamps``) by every page that
    shows it until the next write there.

    Raises ValueError (message in Chinese) when ``as_of`` is before the window starts.
    """
    as_of = as_of or default_as_of(window)
    if as_of < window.start:
        raise ValueError(f"核查日期 {as_of:%Y-%m-%d} 早于期间{window.label}的开始（{window.start:%Y-%m-%d}）")
    if with_children:
        compute = lambda: _compliance(unit=unit, window=window, as_of=as_of, with_children=True)  # noqa: E731
    else:
        compute = lambda: _own_results(unit=unit, window=window, as_of=as_of)  # noqa: E731
    check = stamps.cached(
        "compliance",
        unit_id=unit.pk,
        parts=(window.code, as_of, with_children),
        compute=compute,
        years=range(window.start.year, window.end.year + 1),
    )
    return check if check.unit is unit else replace(check, unit=unit)


# A subtree this small is judged whole for its top unit's own results (see ``_own_results``).
SHARED_CHECK_UNITS = 50


def _own_results(*, unit: Unit, window: Period, as_of: date) -> Check:
    """The unit's own results. The engine judges each unit on its own facts, so they are the same in
    its subtree's check; for a small subtree that check is read (or made, and kept) instead: the
    unit page, the matrix and the summary then share one judgement per change."""
    if Unit.objects.filter(path__startswith=unit.path).count() > SHARED_CHECK_UNITS:
        return _compliance(unit=unit, window=window, as_of=as_of, with_children=False)
    whole = compliance(unit=unit, window=window, as_of=as_of, with_children=True)
    return replace(
        whole,
        unit_kinds={unit.pk: whole.unit_kinds[unit.pk]},
        results=[r for r in whole.results if r.unit == unit.pk],
        with_children=False,
    )


def _compliance(*, unit: Unit, window: Period, as_of: date, with_children: bool) -> Check:
    framework = framework_for(unit)
    rules = rules_of(framework)
    units_qs = units_of(unit, with_children=with_children)
    unit_kinds = dict(units_qs.values_list("pk", "kind"))
    start, end = window_span(rules, window, as_of)
    rate_kinds = {k for r in rules if r.measure == "rate" for k in r.kinds}
    evidence = evidence_demanded(rules)
    kinds = {k for r in rules if r.counts == "activities" for k in r.kinds}
    facts = facts_for(
        units=units_qs, start=start, end=end, rate_kinds=rate_kinds, evidence=evidence, kinds=kinds
    )
    module_rules = [r for r in rules if r.counts in module_records()]
    if module_rules:
        ends = [
            p.end
            for r in module_rules
            if r.counts in stocks()
            for p in periods_for(r, window)
            if p.start <= as_of
        ]
        wanted = {r.counts for r in module_rules}
        # The practice modules' records are not activities: kept apart, they stay current while
        # activities and sign-ins are written (``core.stamps``, no year read).
        module = stamps.cached(
            "module-facts",
            unit_id=unit.pk,
            parts=(with_children, start, end, tuple(sorted(ends)), tuple(sorted(wanted)), as_of),
            compute=lambda: records_for(
                facts=Facts(), units=units_qs, start=start, end=end, ends=ends, wanted=wanted, today=as_of
            ),
            years=(),
        )
        _add_records(facts, module)
    results = evaluate(rules=rules, units=unit_kinds, facts=facts, window=window, as_of=as_of)
    return Check(
        unit=unit,
        window=window,
        as_of=as_of,
        framework=framework,
        unit_kinds=unit_kinds,
        results=results,
        with_children=with_children,
    )


def _add_records(facts: Facts, more: Facts) -> None:
    """``more``'s practice-module records added to ``facts`` (which may hold imported aggregates)."""
    for unit_id, figures in more.records.items():
        per_unit = facts.records.setdefault(unit_id, {})
        for key, (total, bad) in figures.items():
            had_total, had_bad = per_unit.get(key, (0, 0))
            per_unit[key] = (had_total + total, had_bad + bad)
    facts.measurable = facts.measurable | more.measurable


def result_rows(check: Check) -> list[dict]:
    """The JSON shape of a check, as the CLI prints it and the API returns it."""
    many = len(check.unit_kinds) > 1
    rows = []
    for r in check.results:
        row = {
            "requirement": r.requirement,
            "title": r.title,
            "period": r.period.code,
            "required": r.required,
            "actual": r.actual,
            "status": r.status,
            "excluded": r.excluded,
        }
        if r.excluded_reasons:  # what the left-out records lack, in words (rules.counting)
            row["excluded_reasons"] = {not_counted_words([key]): n for key, n in r.excluded_reasons}
        if many:
            row["unit"] = check.units[r.unit].code
        rows.append(row)
    return rows


@dataclass(frozen=True)
class TodoItem:
    """One line of a unit's to-do list: an open task, a requirement missed or falling due, a risk."""

    kind: str  # "task" | "requirement" | "risk"
    title: str
    due: date
    overdue: bool
    unit: Unit
    person: Person | None = None
    detail: str = ""
    requirement: str = ""
    responsible: str = ""
    # Who holds the ``responsible`` post in the unit now (for a line that names no person itself).
    holders: tuple[Person, ...] = ()
    # a requirement's line: the rule and the period it was missed or falls due in
    rule: Rule | None = None
    period: Period | None = None

    @property
    def responsible_label(self) -> str:
        """The post that answers for it, when no one holding that post is recorded in the unit."""
        return str(dict(Post.choices).get(self.responsible, ""))

    @property
    def record_url(self) -> str:
        """Where to record the missing work: the activity form with the unit and the kind chosen, or
        the list of the record type the requirement counts (its page has the 新增 button)."""
        if self.kind != "requirement" or self.rule is None:
            return ""
        if self.rule.kinds:
            query = urlencode({"unit": self.unit.code, "kind": self.rule.kinds[0]})
            return f"{reverse('ledger:activity-create')}?{query}"
        entry = REGISTRY.get(self.rule.counts)
        name = entry.list_url if entry is not None else ""
        return f"{reverse(name)}?{urlencode({'unit': self.unit.code})}" if name else ""


def requirement_line(rule: Rule, period: Period) -> str:
    """A requirement in one period, as a to-do line names it, in the page's language."""
    return gettext("%(title)s（%(period)s）") % {
        "title": localized(rule.title, rule.title_en),
        "period": period.display,
    }


def todo_for(
    *,
    unit: Unit,
    today: date | None = None,
    days: int = 30,
    with_children: bool = True,
    check: Check | None = None,
    year: int | None = None,
) -> list[TodoItem]:
    """What a unit must see to: the requirement periods of the year it has already missed and those
    falling due within ``days`` unmet, open tasks overdue or due within ``days``, and open high risks
    past their review date; overdue first, then oldest first.

    Requirements are judged over ``year`` (default: the year containing ``today``) as of ``today``,
    or as of the year's end when it is a past year (then every unmet period is missed). A high risk
    whose review date has passed is listed as overdue for its owner until it is reviewed (a new
    review date) or mitigated: it is the one risk a leader must not leave waiting.

    ``check``: the compliance check of that year as of that day, when the caller has already made
    it (the unit page, the dashboard); it must be that check.

    Kept per unit, day, year and language (its lines are worded) until a write in the unit's subtree.
    """
    today = today or date.today()
    return stamps.cached(
        "todo",
        unit_id=unit.pk,
        parts=(today, days, with_children, year, get_language()),
        compute=lambda: _todo_for(
            unit=unit, today=today, days=days, with_children=with_children, check=check, year=year
        ),
        years=[today.year],
    )


def _todo_for(
    *, unit: Unit, today: date, days: int, with_children: bool, check: Check | None, year: int | None
) -> list[TodoItem]:
    window = Period(year, "year") if year is not None else Period.containing("year", today)
    as_of = min(today, window.end)
    horizon = as_of + timedelta(days=days)
    items: list[TodoItem] = []
    subtree = units_of(unit, with_children=with_children)
    tasks = (
        Task.objects.filter(unit__in=subtree.values("pk"), status=TaskStatus.OPEN)
        .filter(due__lte=horizon)
        .select_related("unit", "person", "requirement")
    )
    if window.end < today:  # a past year: its own tasks
        tasks = tasks.filter(due__gte=window.start)
    for task in tasks:
        items.append(
            TodoItem(
                kind="task",
                title=task.title,
                due=task.due,
                overdue=task.due < as_of,
                unit=task.unit,
                person=task.person,
                requirement=task.requirement.code if task.requirement else "",
            )
        )
    if window.end >= today:  # what is overdue now
        for risk in risk_queries.overdue_high_risks(subtree, day=today):
            items.append(
                TodoItem(
                    kind="risk",
                    title=gettext("高风险点逾期未研判：%(title)s") % {"title": risk.title},
                    due=risk.review_date,
                    overdue=True,
                    unit=risk.unit,
                    person=risk.owner,
                    detail=gettext("应于 %(day)s 前再次研判") % {"day": f"{risk.review_date:%Y-%m-%d}"},
                    requirement="high_risks_reviewed",
                    responsible="leader_in_charge",
                )
            )
    wanted = (unit.pk, window, as_of, with_children)
    if check is None or (check.unit.pk, check.window, check.as_of, check.with_children) != wanted:
        check = compliance(unit=unit, window=window, as_of=as_of, with_children=with_children)
    rules = {rule.code: rule for rule in rules_of(check.framework)}
    ends: dict[Period, date] = {}  # a city's check is some 100,000 results over a few periods
    for result in check.results:
        if result.status in (MET, NOT_MEASURED):
            continue
        end = ends.get(result.period)
        if end is None:
            end = ends[result.period] = result.period.end
        deadline = min(result.due, end) if result.due else end
        missed = result.status == OVERDUE
        if not missed and not (as_of <= deadline <= horizon):
            continue
        rule = rules.get(result.requirement)
        items.append(
            TodoItem(
                kind="requirement",
                title=requirement_line(rule, result.period) if rule else result.title,
                due=deadline,
                overdue=missed,
                unit=check.units[result.unit],
                detail=(
                    gettext("%(actual)s%%，目标 %(required)s%%")  # a rate is a share, not a count
                    if rule and rule.measure == "rate"
                    else gettext("应完成 %(required)s，已完成 %(actual)s")
                )
                % {"required": f"{result.required:g}", "actual": f"{result.actual:g}"},
                requirement=result.requirement,
                responsible=rule.responsible if rule else "",
                rule=rule,
                period=result.period,
            )
        )
    holders = post_holders(unit_ids={item.unit.pk for item in items if item.responsible}, day=today)
    items = [
        replace(item, holders=tuple(holders.get((item.unit.pk, item.responsible), ())))
        if item.responsible and item.person is None
        else item
        for item in items
    ]
    return sorted(items, key=lambda item: (not item.overdue, item.due, item.title))


def missed_together(items: list[TodoItem]) -> list[tuple[TodoItem, list[TodoItem]]]:
    """A to-do list's lines with the later missed periods of the same requirement in the same unit
    folded under its oldest one (a monthly rule missed all year is one line naming eleven months,
    not eleven lines): ``[(line, later lines), …]`` in the list's own order."""
    rows: list[tuple[TodoItem, list[TodoItem]]] = []
    first: dict[tuple[int, str], list[TodoItem]] = {}
    for item in items:
        if item.kind == "requirement" and item.overdue and item.requirement:
            key = (item.unit.pk, item.requirement)
            if key in first:
                first[key].append(item)
                continue
            first[key] = []
            rows.append((item, first[key]))
        else:
            rows.append((item, []))
    return rows


def responsible_people(*, unit: Unit, post: str) -> list[Person]:
    """Who holds ``post`` in ``unit`` now (the addressee of a requirement's reminder)."""
    return list(
        Person.objects.filter(
            positions__unit=unit, positions__post=post, positions__end__isnull=True, positions__deleted=False
        )
        .select_related("user")
        .distinct()
    )


_SEVERITY = {OVERDUE: 4, BEHIND: 3, ON_TRACK: 2, MET: 1, NOT_MEASURED: 0}


@dataclass(frozen=True)
class Cell:
    """One unit × requirement of the matrix: its periods folded into the worst status.

    A rule judged in one period shows its figures as they are (27 submissions against 2). Over
    several periods a count does not add up: four studies in the first quarter and none in the
    second are not "4/2" of a quarterly rule, so each period counts at most what it requires
    (``actual`` is capped period by period) and the cell says how many periods were met ("1/2 个季度
    达标"). A rate does not add up either (95% and 88% are not 183%): the cell shows the rate of its
    worst period against the rule's target.
    """

    unit: Unit
    rule: Rule
    status: str
    required: float
    actual: float
    excluded: int
    periods: tuple[Result, ...]

    @property
    def status_label(self) -> str:
        """In Chinese, as the engine (no Django) names it; pages translate it where they show it."""
        return STATUS_LABELS[self.status]

    @property
    def is_rate(self) -> bool:
        return self.rule.measure == "rate"

    @property
    def periods_met(self) -> int:
        return sum(1 for r in self.periods if r.status == MET)

    @property
    def percent(self) -> int:
        """The ring's share, 0–100: a rate as it is (capped at 100), else what is done of what is
        required (each period capped, so an early surplus never hides a missed period)."""
        if self.is_rate:
            return max(0, min(100, round(self.actual)))
        if not self.required:
            return 100 if self.status == MET else 0
        return max(0, min(100, round(100 * self.actual / self.required)))

    @property
    def figures(self) -> str:
        """The cell's figures in words, in the page's language."""
        return cell_words(
            is_rate=self.is_rate,
            actual=self.actual,
            required=self.required,
            periods_met=self.periods_met,
            periods=len(self.periods),
            period_kind=self.periods[0].period.kind,
        )

    @property
    def kept(self) -> list:
        """What ``cell_words`` needs, as plain values (a dashboard keeps them as JSON)."""
        return [
            self.is_rate,
            self.actual,
            self.required,
            self.periods_met,
            len(self.periods),
            self.periods[0].period.kind,
        ]


def cell_words(
    *, is_rate: bool, actual: float, required: float, periods_met: int, periods: int, period_kind: str
) -> str:
    """A folded cell's figures in words (``Cell``): a rate against its target, how many of several
    periods were met, or one period's count against what it requires."""
    if is_rate:
        return gettext("%(actual)s%%，目标 %(required)s%%") % {
            "actual": f"{actual:g}",
            "required": f"{required:g}",
        }
    if periods > 1:
        words = PERIODS_MET.get(period_kind, PERIODS_MET["year"])
        return gettext(words) % {"met": periods_met, "total": periods}
    return f"{actual:g}/{required:g}"


# How many of a rule's periods were met, by the kind of period (whole sentences: no word is glued).
PERIODS_MET = {
    "month": gettext_noop("%(met)s/%(total)s 个月达标"),
    "quarter": gettext_noop("%(met)s/%(total)s 个季度达标"),
    "half": gettext_noop("%(met)s/%(total)s 个半年达标"),
    "year": gettext_noop("%(met)s/%(total)s 年达标"),
}


@dataclass(frozen=True)
class MatrixRow:
    """One requirement across the units: ``None`` where the rule does not apply to a unit's kind."""

    rule: Rule
    cells: list[Cell | None]


@dataclass(frozen=True)
class Matrix:
    """Requirements as rows grouped by work area ((code, the Area: its name in the page's language),
    rows), units as columns in tree order."""

    units: list[Unit]
    areas: list[tuple[tuple[str, Area | str], list[MatrixRow]]]

    def without_empty_units(self) -> Matrix:
        """The matrix without the sub-units to which no requirement applies (a CPPCC organ's
        offices: a column of 不适用 each), so a unit's own standing is what its page shows; the
        first unit, the one checked, always stays."""
        rows = [row for _, area_rows in self.areas for row in area_rows]
        shown = [i for i in range(len(self.units)) if i == 0 or any(row.cells[i] for row in rows)]
        if len(shown) == len(self.units):
            return self
        return Matrix(
            units=[self.units[i] for i in shown],
            areas=[
                (area, [MatrixRow(rule=row.rule, cells=[row.cells[i] for i in shown]) for row in area_rows])
                for area, area_rows in self.areas
            ],
        )


def _cell(unit: Unit, rule: Rule, results: list[Result]) -> Cell:
    worst = max(results, key=lambda r: (_SEVERITY[r.status], -r.actual))
    if rule.measure == "rate":
        required, actual = rule.min, worst.actual
    elif len(results) == 1:
        required, actual = results[0].required, results[0].actual
    else:  # each period counts at most what it requires (see Cell)
        required = sum(r.required for r in results)
        actual = sum(min(r.actual, r.required) for r in results)
    return Cell(
        unit=unit,
        rule=rule,
        status=worst.status,
        required=required,
        actual=actual,
        excluded=sum(r.excluded for r in results),
        periods=tuple(results),
    )


def fold(unit: Unit, rule: Rule, results: list[Result]) -> Cell:
    """One unit's periods of one requirement folded into the matrix's cell (the unit page's ring)."""
    return _cell(unit, rule, results)


def matrix(check: Check) -> Matrix:
    """The check laid out as the matrix page shows it; kept with the check (``core.stamps``)."""
    return stamps.cached(
        "matrix",
        unit_id=check.unit.pk,
        parts=(check.window.code, check.as_of, check.with_children, check.framework.pk),
        compute=lambda: _matrix(check),
        years=range(check.window.start.year, check.window.end.year + 1),
    )


def _matrix(check: Check) -> Matrix:
    grouped: dict[tuple[int, str], list[Result]] = defaultdict(list)
    for result in check.results:
        grouped[(result.unit, result.requirement)].append(result)
    judged = {code for _, code in grouped}
    units = tree_order(check.units.values())
    area_of = dict(Requirement.objects.filter(framework=check.framework).values_list("code", "area"))
    # the areas themselves: the page names them in its language (a kept matrix serves either)
    area_by_code = {area.code: area for area in Area.objects.all()}
    areas: dict[tuple[str, Area | str], list[MatrixRow]] = {}
    for rule in rules_of(check.framework):
        if rule.code not in judged:
            continue
        cells = [
            _cell(unit, rule, results) if (results := grouped.get((unit.pk, rule.code))) else None
            for unit in units
        ]
        area = area_of.get(rule.code, "")
        areas.setdefault((area, area_by_code.get(area, area)), []).append(MatrixRow(rule, cells))
    return Matrix(units=units, areas=list(areas.items()))
