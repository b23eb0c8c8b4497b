"""A dashboard's figures: numbers and ids only, no words, so one computation serves every language
and can be kept as JSON (``reporting.DashboardSnapshot.figures``).

Every figure comes from what the rest of the system already computes: compliance and scores from
one run of the rules engine over the scope (``rules.check.compliance``, ``rules.score``), the
monthly trend from the activity rollup the engine reads (``ActivityMonth``), submissions and
adoptions from one grouped query each, what is due from the to-do list (``rules.todo.todo_for``).
Nothing here returns a row of the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import Count, Sum

from taizhang.core import stamps
from taizhang.core.periods import Period
from taizhang.dashboard.board import DUE_DAYS, DUE_ITEMS, DUE_SHOWN, compared_units, owner_map
from taizhang.ledger.models import ActivityMonth
from taizhang.org.models import Unit
from taizhang.reporting.models import Adoption, Submission
from taizhang.rules import score
from taizhang.rules.check import compliance
from taizhang.rules.engine import MET, NOT_MEASURED
from taizhang.rules.matrix import fold
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement
from taizhang.rules.requirements import rules_of
from taizhang.rules.todo import todo_for


def compute(*, top: Unit, year: int, today: date) -> dict:
    """The dashboard's figures for ``top``'s subtree: numbers and ids only, no words, so one
    computation serves every language and can be kept as JSON (``DashboardSnapshot.figures``).

    This is the expensive part (for a city, the engine judging ten thousand units over the year,
    and over the current year for what is due); ``present`` turns it into charts cheaply.
    """
    shown = compared_units(top)
    owner = owner_map(top, shown)
    check = compliance(
        unit=top, window=Period(year, "year"), as_of=min(today, date(year, 12, 31)), with_children=True
    )
    submitted, adopted = _reporting_figures(top, owner, year)
    due_total, due = _due_figures(top, today, check, year)
    compared = shown != [top]  # a top without sub-units compares nothing
    return {
        "top": top.pk,
        "year": year,
        "today": today.isoformat(),
        "framework": check.framework.pk,
        "shown": [u.pk for u in shown],
        "own": _own_figures(check, top),
        "heatmap": _heatmap_figures(check, owner) if compared else [],
        "ranking": _ranking_figures(check, owner) if compared else [],
        "trend": _trend_figures(top, year),
        "submitted": submitted,
        "adopted": adopted,
        "due_total": due_total,
        "due": due,
    }


def _own_figures(check, top: Unit) -> list[list]:
    """[code, status, percent, cell_words' values] for each requirement the top answers for itself."""
    mine: dict[str, list] = defaultdict(list)
    for result in check.results:
        if result.unit == top.pk and result.status != NOT_MEASURED:
            mine[result.requirement].append(result)
    out = []
    for rule in rules_of(check.framework):
        if rule.code in mine:
            cell = fold(top, rule, mine[rule.code])
            out.append([rule.code, cell.status, cell.percent, *cell.kept])
    return out


def _heatmap_figures(check, owner: dict[int, int]) -> list[list]:
    """[area, compared unit, periods met, periods judged] for every cell with a judged period."""
    area_of = dict(Requirement.objects.filter(framework=check.framework).values_list("code", "area"))
    met: dict[tuple[str, int], int] = defaultdict(int)
    judged: dict[tuple[str, int], int] = defaultdict(int)
    for r in check.results:
        if r.status == NOT_MEASURED:
            continue
        cell = (area_of.get(r.requirement, ""), owner.get(r.unit))
        judged[cell] += 1
        met[cell] += r.status == MET
    return [[area, unit, met[(area, unit)], n] for (area, unit), n in judged.items()]


def _ranking_figures(check, owner: dict[int, int]) -> list[list]:
    """[compared unit, points earned, points possible]: each unit of a subtree scored as the score
    sheet does, summed over the subtree."""
    rules = rules_of(check.framework)
    by_unit: dict[int, list] = defaultdict(list)
    for r in check.results:
        by_unit[r.unit].append(r)
    earned: dict[int, float] = defaultdict(float)
    maximum: dict[int, float] = defaultdict(float)
    for unit_id, results in by_unit.items():
        got, most = score.total(score.score_lines(rules, results, unit=unit_id))
        earned[owner.get(unit_id)] += got
        maximum[owner.get(unit_id)] += most
    return [[unit, earned[unit], most] for unit, most in maximum.items() if unit is not None]


def _trend_figures(top: Unit, year: int) -> list[list]:
    """[kind id, month, activities] over ``year`` and the year before, from the rollup."""
    rows = (
        ActivityMonth.objects.filter(
            unit_id__in=Unit.objects.filter(path__startswith=top.path).values("pk"),
            month__gte=f"{year - 1}-01",
            month__lte=f"{year}-12",
        )
        .values_list("kind_id", "month")
        .annotate(n=Sum("activities"))
        .order_by()
    )
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for kind_id, month, n in rows:
        counts[(kind_id, month)] += n
    return [[kind_id, month, n] for (kind_id, month), n in counts.items() if n]


def _reporting_figures(top: Unit, owner: dict[int, int], year: int) -> tuple[list[list], list[list]]:
    """([compared unit, submissions], [compared unit, level, adoptions]) in ``year``."""
    period = Period(year, "year")
    scope = Unit.objects.filter(path__startswith=top.path).values("pk")
    submitted: dict[int, int] = defaultdict(int)
    for unit_id, n in (
        Submission.objects.filter(unit_id__in=scope, date__range=(period.start, period.end))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        submitted[owner.get(unit_id)] += n
    adopted: dict[tuple[int, str], int] = defaultdict(int)
    for unit_id, level, n in (
        Adoption.objects.filter(submission__unit_id__in=scope, date__range=(period.start, period.end))
        .values_list("submission__unit_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    ):
        adopted[(owner.get(unit_id), level)] += n
    return (
        [[unit, n] for unit, n in submitted.items() if unit is not None],
        [[unit, level, n] for (unit, level), n in adopted.items() if unit is not None],
    )


def _due_figures(top: Unit, today: date, check, year: int) -> tuple[int, list[list]]:
    """What the year's to-do lists hold across the subtree (``rules.todo.todo_for``: missed
    requirement periods and overdue tasks, and in the current year what falls due within
    ``DUE_DAYS``), grouped by unit: the number of items, and per unit [unit id, overdue, due soon,
    the first few items as [kind, requirement code, period code, title]], units most overdue first."""
    items = todo_for(unit=top, today=today, days=DUE_DAYS, check=check, year=year)
    by_unit: dict[int, list] = {}
    for item in items:
        row = by_unit.setdefault(item.unit.pk, [item.unit.pk, 0, 0, []])
        row[1 if item.overdue else 2] += 1
        if len(row[3]) < DUE_ITEMS:
            if item.kind == "requirement" and item.period is not None:
                row[3].append([item.kind, item.requirement, item.period.code, ""])
            else:
                row[3].append([item.kind, item.requirement, "", item.title])
    rows = sorted(by_unit.values(), key=lambda r: (-r[1], -r[2], r[0]))
    return len(items), rows[:DUE_SHOWN]


def change_stamp() -> str:
    """The state of everything a dashboard is computed from, read in one query of index lookups.

    Every recorded table keeps its history (``core.models.Record``): each save, soft delete,
    restore and import appends a history row, so the newest history id of every table moves with
    any change to the ledger, the unit tree or the people in it. Frameworks are never edited in
    place (a changed file is a new version), so their newest id and the newest assignment stand
    for them.
    """
    from simple_history.models import registered_models

    quote = connection.ops.quote_name
    probes = []
    for model in sorted(registered_models.values(), key=lambda m: m._meta.db_table):
        table = model.history.model._meta
        probes.append(f"(SELECT MAX({quote(table.pk.column)}) FROM {quote(table.db_table)})")
    for model, column in ((Framework, "id"), (FrameworkAssignment, "assigned")):
        table = quote(model._meta.db_table)
        probes.append(f"(SELECT MAX({quote(column)}) FROM {table})")
        probes.append(f"(SELECT COUNT(*) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(probes))
        return ",".join("" if v is None else str(v) for v in cursor.fetchone())


def scope_stamp(top: Unit) -> str:
    """``change_stamp`` as it stood after the last write in ``top``'s subtree (or in what no unit
    owns), kept until the next one there (``core.stamps``): a page reading a city's kept figures
    asks no query of thirty history tables to know they are current, and a write outside the
    subtree, which changes none of its figures, leaves them current."""
    return stamps.cached("change-stamp", unit_id=top.pk, parts=(), compute=change_stamp)
