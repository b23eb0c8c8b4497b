"""The leader's dashboard: aggregates of the units a login sees, for charts and their tables.

Every figure comes from what the rest of the system already computes: compliance and scores from
one run of the rules engine over the scope (``rules.queries.compliance``, ``rules.score``), the
monthly trend from the activity rollup the engine reads (``ActivityMonth``), submissions and
adoptions from one grouped query each, what is due from the to-do list (``rules.queries.todo_for``).
Nothing here returns a row of the ledger: each chart is a small table (its header, its rows, and for
each figure the list page that shows the records behind it), which the page draws as a chart, shows
as a table and exports as a workbook.

Computing is split from presenting: ``compute`` returns the figures (numbers and ids, no words),
``present`` names them in the page's language and lays them out as charts. A small scope (a county)
is computed while the page is made. A scope of at least ``TAIZHANG_DASHBOARD_KEPT_UNITS`` units (a
city: the engine judging ten thousand units twice takes seconds) is computed by a background task
(``reporting.tasks.refresh_dashboard``) and kept in ``DashboardSnapshot``; the page reads the kept
figures, says when they were computed, and when the ledger has changed since (``change_stamp``) or
a day has passed, shows them marked as such while the task computes them anew.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from io import BytesIO
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook

from taizhang.core import stamps
from taizhang.core.cells import inert_row
from taizhang.core.i18n import localized
from taizhang.core.periods import Period
from taizhang.core.ranks import nothing_to_rank, places
from taizhang.ledger import queries as ledger_queries
from taizhang.ledger.models import ActivityKind, ActivityMonth
from taizhang.org.models import Area, Post, Unit, path_ids
from taizhang.org.queries import post_holders
from taizhang.reporting.models import Adoption, DashboardSnapshot, Level, Submission
from taizhang.rules import score
from taizhang.rules.engine import BEHIND, MET, NOT_MEASURED, OVERDUE, STATUS_LABELS, Rule
from taizhang.rules.models import Framework, FrameworkAssignment, Requirement
from taizhang.rules.queries import (
    TodoItem,
    cell_words,
    compliance,
    fold,
    framework_for,
    requirement_line,
    rules_of,
    todo_for,
)

CACHE_SECONDS = 600  # a large scope's newest year, and its rendered charts, are kept this long
# A refresh queued this long ago and still not done (its worker killed) is queued again.
RETRY_AFTER = timedelta(minutes=10)
DUE_DAYS = 30
DUE_SHOWN = 30  # units on the dashboard's to-do table (most overdue first); each unit's to-do page the rest
DUE_ITEMS = 3  # items named per unit


@dataclass
class Cell:
    """One figure of a chart's table; ``href`` opens the records (or requirements) behind it."""

    value: object
    href: str = ""


@dataclass
class Chart:
    """A chart's data as a table: what the page draws, shows as a <table> and exports as .xlsx."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""
    kind: str = "bar"  # how the page draws it: heatmap, bar, trend, table
    extra: dict = field(default_factory=dict)

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.key}"

    def as_json(self) -> dict:
        """What the chart script reads: the table's figures and links, nothing more."""
        return {
            "key": self.key,
            "kind": self.kind,
            "header": self.header,
            "rows": [[c.value for c in row] for row in self.rows],
            "links": [[c.href for c in row] for row in self.rows],
            **self.extra,
        }


@dataclass(frozen=True)
class Ring:
    """One requirement's progress in a period, for a ring (``rules.queries.Cell``: capped at 100%,
    periods counted at most for what they require, worded for what they are)."""

    title: str
    status: str
    status_label: str
    percent: int
    figures: str
    responsible: str = ""
    holders: tuple = ()
    record_url: str = ""

    @property
    def responsible_label(self) -> str:
        return str(dict(Post.choices).get(self.responsible, ""))

    @property
    def short(self) -> bool:
        """Behind or overdue: the unit must see to it."""
        return self.status in (BEHIND, OVERDUE)


@dataclass
class Dashboard:
    top: Unit
    shown: list[Unit]  # the units compared: the top's children (each with its subtree)
    year: int
    today: date
    charts: Sequence[Chart]
    # the top's own standing, when it has requirements of its own: shown above any comparison
    own: list[Ring] = field(default_factory=list)

    @property
    def behind(self) -> list[Ring]:
        """The top's own requirements behind or overdue, with who answers for each."""
        return [ring for ring in self.own if ring.short]

    @property
    def met_count(self) -> int:
        return sum(1 for ring in self.own if ring.status == MET)

    cache_key: str = ""
    cache_seconds: int = 0  # how long the page may keep its rendered charts (0: never)
    # A large scope's kept figures (None: computed for this page); ``fresh``: they are current.
    snapshot: DashboardSnapshot | None = None
    fresh: bool = True
    asked_on: date | None = None  # the day the page was asked for (``today`` is the figures' day)

    @property
    def from_another_day(self) -> bool:
        """The kept figures were judged as of an earlier day than the page's (what is due and
        overdue has moved since)."""
        snap = self.snapshot
        return snap is not None and snap.as_of is not None and snap.as_of != self.asked_on

    @property
    def pending(self) -> bool:
        """No figures yet: the first computation of a large scope is under way."""
        return self.snapshot is not None and self.snapshot.figures is None

    @property
    def waiting_too_long(self) -> bool:
        """A queued computation has not finished in three times as long as the last one took (or a
        minute): the page says the background worker may not be running."""
        snap = self.snapshot
        if snap is None or snap.requested_at is None:
            return False
        return timezone.now() - snap.requested_at > timedelta(seconds=max(60, 3 * snap.seconds))

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def month_label(month: int) -> str:
    """A month's name on a chart's axis: 3月, Mar."""
    return _("%(month)s月") % {"month": month}


@lru_cache(maxsize=32)
def _path(name: str) -> str:
    return reverse(name)


def _url(name: str, **query) -> str:
    return f"{_path(name)}?{urlencode({k: v for k, v in query.items() if v not in (None, '')})}"


def latest_year(top: Unit) -> int | None:
    """The newest year with activities in ``top``'s subtree; kept a while for a large scope.

    A unit or a county reads its months from the rollup, through the (unit, month) index. A city
    walks the activities' date index from the newest back to the first of its own, which is among
    the first few: the rollup would have had all of its ten thousand units' months read to sort
    them (220 ms on PostgreSQL)."""
    key = f"taizhang:dashboard-year:{top.pk}:{top.path}"
    large = is_large(top)
    if large and (hit := cache.get(key)) is not None:
        return hit
    if not large:  # the newest year most units kept their ledgers in
        return ledger_queries.latest_activity_year(Unit.objects.filter(path__startswith=top.path))
    subtree = Unit.objects.filter(path__startswith=top.path).values("pk")
    if large:
        from taizhang.ledger.models import Activity

        newest = (
            Activity.objects.filter(unit_id__in=subtree)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        year = newest.year if newest else None
    else:
        month = (
            ActivityMonth.objects.filter(unit_id__in=subtree, activities__gt=0)
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
        )
        year = int(month[:4]) if month else None
    if large and year is not None:
        cache.set(key, year, CACHE_SECONDS)
    return year


def chart_workbook(chart: Chart) -> bytes:
    """The chart's table as an .xlsx workbook: its title, its header, its figures."""
    book = Workbook()
    sheet = book.active
    sheet.title = chart.key
    sheet.append(inert_row([chart.title], sheet))
    sheet.append(inert_row(chart.header, sheet))
    for row in chart.rows:
        sheet.append(inert_row((cell.value for cell in row), sheet))
    if chart.note:
        sheet.append([])
        sheet.append(inert_row([chart.note], sheet))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def compared_units(top: Unit) -> list[Unit]:
    """The units a dashboard compares: the top's children in tree order, or the top alone."""
    children = list(Unit.objects.filter(parent=top).order_by("path"))
    children.sort(key=lambda u: path_ids(u.path))
    return children or [top]


def _owner_map(top: Unit, shown: list[Unit]) -> dict[int, int]:
    """Every unit of the top's subtree → the compared unit whose subtree holds it."""
    shown_ids = {u.pk for u in shown}
    owner = {}
    for pk, path in Unit.objects.filter(path__startswith=top.path).values_list("pk", "path"):
        for ancestor in path_ids(path):
            if ancestor in shown_ids:
                owner[pk] = ancestor
                break
    return owner


def compute(*, top: Unit, year: int, today: date) -> dict:
    """The dashboard's figures for ``top``'s subtree: numbers and ids only, no words, so one
    computation serves every language and can be kept as JSON (``DashboardSnapshot.figures``).

    This is the expensive part (for a city, the engine judging ten thousand units over the year,
    and over the current year for what is due); ``present`` turns it into charts cheaply.
    """
    shown = compared_units(top)
    owner = _owner_map(top, shown)
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


def present(top: Unit, figures: dict, *, name: str = "") -> Dashboard:
    """The charts of ``figures`` (from ``compute``) in the page's language: a few small reads for
    the names of units, areas and kinds, nothing judged. ``name``: what names these figures for the
    page's kept charts (by default a digest of them)."""
    order = {pk: i for i, pk in enumerate(figures["shown"])}
    wanted = set(order) | {row[0] for row in figures["due"]}
    units = Unit.objects.in_bulk(wanted)
    shown = sorted((units[pk] for pk in order if pk in units), key=lambda u: order[u.pk])
    year = figures["year"]
    today = date.fromisoformat(figures["today"])
    rules = _rules(figures)

    def charts() -> list[Chart]:
        out = []
        # a comparison only where the compared units have requirements of their own (a cell judged)
        if any(n for _, unit, _, n in figures["heatmap"] if unit is not None):
            out.append(_heatmap(figures["heatmap"], shown, year))
            out.append(_ranking(figures["ranking"], shown, year))
        if figures["trend"]:
            out.append(_trend(top, figures["trend"], year))
        if figures["submitted"] or figures["adopted"]:
            out.append(_reporting(figures["submitted"], figures["adopted"], shown, year))
        out.append(_due(figures["due"], figures["due_total"], units, rules, today, year))
        return out

    own = _own(top, figures.get("own", []), rules, today, year)
    board = Dashboard(top=top, shown=shown, year=year, today=today, charts=_Charts(charts), own=own)
    # The page keeps its rendered charts under a key naming these very figures (and the language):
    # a page whose charts are kept never lays them out.
    name = name or hashlib.blake2s(json.dumps(figures, sort_keys=True).encode(), digest_size=12).hexdigest()
    board.cache_key = f"taizhang:dashboard-figures:{top.pk}:{name}:{get_language()}"
    board.cache_seconds = CACHE_SECONDS
    return board


class _Charts(Sequence):
    """The charts, laid out when first read: not at all when the page's rendered charts are kept."""

    def __init__(self, make: Callable[[], list[Chart]]):
        self._make = make
        self._charts: list[Chart] | None = None

    def _all(self) -> list[Chart]:
        if self._charts is None:
            self._charts = self._make()
        return self._charts

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


def _rules(figures: dict) -> dict[str, Rule]:
    """The requirements the figures were judged by, by code (their titles in either language)."""
    from taizhang.rules.queries import rule_from

    framework = figures.get("framework")
    if framework is None:
        return {}
    return {r.code: rule_from(r) for r in Requirement.objects.filter(framework_id=framework)}


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


def _own(top: Unit, figures: list[list], rules: dict[str, Rule], today: date, year: int) -> list[Ring]:
    """The top's own rings, each with who answers for it (the post's holders today) and where to
    record what is missing."""
    holders = post_holders(unit_ids=[top.pk], day=today)
    rings = []
    for code, status, percent, is_rate, actual, required, met, periods, kind in figures:
        rule = rules.get(code)
        if rule is None:
            continue
        item = TodoItem(kind="requirement", title="", due=today, overdue=False, unit=top, rule=rule)
        rings.append(
            Ring(
                title=localized(rule.title, rule.title_en),
                status=status,
                status_label=STATUS_LABELS[status],
                percent=percent,
                figures=cell_words(
                    is_rate=is_rate,
                    actual=actual,
                    required=required,
                    periods_met=met,
                    periods=periods,
                    period_kind=kind,
                ),
                responsible=rule.responsible,
                holders=tuple(holders.get((top.pk, rule.responsible), ())),
                record_url=item.record_url if status != MET else "",
            )
        )
    return rings


def build(*, top: Unit, year: int, today: date | None = None) -> Dashboard:
    """The dashboard of ``top``'s subtree for ``year`` (the trend compares the year with the one
    before; what is due is judged as of ``today``): its figures computed once per change in the
    subtree and day, then read from the cache (``core.stamps``)."""
    today = today or date.today()
    figures = stamps.cached(
        "dashboard",
        unit_id=top.pk,
        parts=(year, today),
        compute=lambda: compute(top=top, year=year, today=today),
        years=[year - 1, year, today.year],  # the trend compares with the year before; due: this year
    )
    return present(top, figures)


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


def _heatmap(figures: list[list], shown: list[Unit], year: int) -> Chart:
    """Share of requirement periods met, by work area (rows) and compared unit (columns)."""
    cells = {(area, unit): (met, n) for area, unit, met, n in figures}
    areas = [(area.code, str(area)) for area in Area.objects.order_by("order", "code")]  # page's language
    rows = []
    for code, name in areas:
        row = [Cell(name)]
        for unit in shown:
            met, n = cells.get((code, unit.pk), (0, 0))
            value = round(100 * met / n) if n else None
            # to the matrix's rows of this area (its heading row's id is the area's name)
            row.append(Cell(value, _url("rules:matrix", unit=unit.code, period=year) + f"#area-{code}"))
        rows.append(row)
    return Chart(
        key="heatmap",
        title=_("%(year)s年各单位要求落实情况（已完成的要求期次占比，%%）") % {"year": year},
        header=[_("工作领域"), *[u.short_name or u.name for u in shown]],
        rows=rows,
        kind="heatmap",
        note=_(
            "每格为该单位（含下级单位）在该领域已完成的要求期次占应完成期次的百分比；空格表示无适用要求。"
            "点击格子查看要求落实明细。"
        ),
    )


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


def _ranking(figures: list[list], shown: list[Unit], year: int) -> Chart:
    """Compared units by score rate."""
    points = {unit: (got, most) for unit, got, most in figures}
    ranked = sorted(
        (
            (round(100 * points[u.pk][0] / points[u.pk][1], 1), u, *points[u.pk])
            for u in shown
            if points.get(u.pk, (0, 0))[1]
        ),
        key=lambda row: (-row[0], path_ids(row[1].path)),
    )
    note = _("按考核评分办法计算，含下级单位；不可计量的要求不计入。")
    if ranked and nothing_to_rank([pct for pct, *_ in ranked]):
        ranked = []  # every unit scored nothing
        note = _("各单位得分均为 0，不排名。") + note
    rows = []
    for (pct, u, got, most), (place, tied) in zip(ranked, places([r[0] for r in ranked]), strict=True):
        rows.append(
            [
                Cell(_("并列%(place)s") % {"place": place} if tied else place),
                Cell(u.short_name or u.name, reverse("org:unit-detail", args=[u.code]) + f"?period={year}"),
                Cell(pct, _url("rules:matrix", unit=u.code, period=year)),
                Cell(round(got, 1)),
                Cell(round(most, 1)),
            ]
        )
    return Chart(
        key="ranking",
        title=_("%(year)s年考核得分排名（得分率，%%）") % {"year": year},
        header=[_("名次"), _("单位"), _("得分率"), _("得分"), _("满分")],
        rows=rows,
        note=note,
    )


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


def _trend(top: Unit, figures: list[list], year: int) -> Chart:
    """Activities a month by kind this year, and last year's monthly total beside them."""
    counts = {(kind_id, month): n for kind_id, month, n in figures}
    kinds = [
        k
        for k in ActivityKind.objects.order_by("order", "code")
        if any(counts.get((k.pk, f"{year}-{m:02d}")) for m in range(1, 13))
    ]
    table = []
    for kind in kinds:
        row = [Cell(str(kind))]  # in the page's language
        for m in range(1, 13):
            month = f"{year}-{m:02d}"
            row.append(
                Cell(
                    counts.get((kind.pk, month), 0),
                    _url("ledger:activity-list", unit=top.code, kind=kind.code, period=month),
                )
            )
        table.append(row)
    for y in (year, year - 1):
        label = _("%(year)s年合计") % {"year": y}
        row = [Cell(label)]
        for m in range(1, 13):
            month = f"{y}-{m:02d}"
            row.append(
                Cell(
                    sum(n for (k, mo), n in counts.items() if mo == month),
                    _url("ledger:activity-list", unit=top.code, period=month),
                )
            )
        table.append(row)
    return Chart(
        key="trend",
        title=_("%(year)s年各月活动（按类型）与%(last)s年对比") % {"year": year, "last": year - 1},
        header=[_("活动类型"), *[month_label(m) for m in range(1, 13)]],
        rows=table,
        kind="trend",
        extra={"other": _("其他")},  # the chart sums the kinds past eight under this name
        note=_("柱为%(year)s年各类活动次数，折线为%(last)s年同月合计。") % {"year": year, "last": year - 1},
    )


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


def _reporting(submitted_rows: list[list], adopted_rows: list[list], shown: list[Unit], year: int) -> Chart:
    """Information submitted by each compared unit in ``year``, and its adoptions by level."""
    submitted = dict(submitted_rows)
    adopted = {(unit, level): n for unit, level, n in adopted_rows}
    rows = []
    for unit in shown:
        row = [
            Cell(unit.short_name or unit.name),
            Cell(submitted.get(unit.pk, 0), _url("reporting:submission-list", unit=unit.code, period=year)),
        ]
        for level in Level.values:
            row.append(
                Cell(
                    adopted.get((unit.pk, level), 0),
                    _url("reporting:adoption-list", unit=unit.code, period=year),
                )
            )
        rows.append(row)
    return Chart(
        key="reporting",
        title=_("%(year)s年信息报送与各级采用") % {"year": year},
        header=[_("单位"), _("报送"), *[_("%(level)s采用") % {"level": label} for label in Level.labels]],
        rows=rows,
    )


def _due_figures(top: Unit, today: date, check, year: int) -> tuple[int, list[list]]:
    """What the year's to-do lists hold across the subtree (``rules.queries.todo_for``: missed
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


def _due(
    figures: list[list], total: int, units: dict[int, Unit], rules: dict[str, Rule], today: date, year: int
) -> Chart:
    """What is overdue or falls due in ``year``, a line per unit: how many, and the first few."""
    current = year == today.year
    rows = []
    for unit_id, overdue, soon, first in figures:
        unit = units.get(unit_id)
        if unit is None:
            continue
        named = []
        for kind, code, period, title in first:
            rule = rules.get(code)
            named.append(
                requirement_line(rule, Period.parse(period)) if kind == "requirement" and rule else title
            )
        more = overdue + soon - len(named)
        text = pgettext("list separator", "、").join(named)
        if more > 0:
            text = _("%(items)s等 %(count)s 项") % {"items": text, "count": overdue + soon}
        as_of = today if current else date(year, 12, 31)
        rows.append(
            [
                Cell(
                    unit.short_name or unit.name,
                    _url("rules:todo", unit=unit.code, as_of=f"{as_of:%Y-%m-%d}"),
                ),
                *([Cell(overdue), Cell(soon)] if current else [Cell(overdue)]),  # a past year: all missed
                Cell(text),
            ]
        )
    shown_units = len(rows)
    if current:
        title = _("%(year)s年已逾期和今后%(days)s天到期的事项（截至%(today)s）") % {
            "year": year,
            "days": DUE_DAYS,
            "today": f"{today:%Y-%m-%d}",
        }
    else:
        title = _("%(year)s年未完成的事项") % {"year": year}
    note = (
        _("共 %(count)s 项，按单位列出，逾期多的在前；点击单位查看其全部待办事项。") % {"count": total}
        if total
        else (_("没有逾期或即将到期的事项。") if current else _("没有未完成的事项。"))
    )
    if shown_units == DUE_SHOWN:
        note += _("只列出前 %(shown)s 个单位。") % {"shown": DUE_SHOWN}
    return Chart(
        key="due",
        title=title,
        header=[_("单位"), _("已逾期"), _("即将到期"), _("事项")]
        if current
        else [_("单位"), pgettext("to do", "未完成"), _("事项")],
        rows=rows,
        kind="table",
        note=note,
    )


def is_large(top: Unit) -> bool:
    """Whether ``top``'s dashboard is computed in the background and kept (a city), not per page."""
    return Unit.objects.filter(path__startswith=top.path).count() >= settings.TAIZHANG_DASHBOARD_KEPT_UNITS


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


def current(*, top: Unit, year: int, today: date | None = None) -> Dashboard:
    """The dashboard a page shows: a small scope's computed now; a large scope's kept figures,
    with a refresh queued when they are missing, from another day, or older than the ledger."""
    today = today or date.today()
    if not is_large(top):
        return build(top=top, year=year, today=today)
    snapshot = DashboardSnapshot.objects.filter(top=top, year=year).first()
    fresh = (
        snapshot is not None
        and snapshot.figures is not None
        and snapshot.as_of == today
        and snapshot.stamp == change_stamp()
    )
    if not fresh:
        snapshot = request_refresh(top=top, year=year, snapshot=snapshot)
        fresh = snapshot.requested_at is None  # the immediate backend has computed it already
    if snapshot.figures is None:
        return Dashboard(top=top, shown=[], year=year, today=today, charts=[], snapshot=snapshot, fresh=False)
    # a snapshot's figures are named by the computation that made them
    board = present(top, snapshot.figures, name=f"{snapshot.pk}-{snapshot.computed_at:%Y%m%d%H%M%S%f}")
    board.snapshot, board.fresh, board.asked_on = snapshot, fresh, today
    return board


def request_refresh(*, top: Unit, year: int, snapshot: DashboardSnapshot | None = None) -> DashboardSnapshot:
    """Queue the computation of ``top``'s figures for ``year`` unless one is queued already (the
    row's ``requested_at`` is the claim: one UPDATE decides between concurrent pages)."""
    from taizhang.reporting.tasks import refresh_dashboard

    if snapshot is None:
        snapshot, _ = DashboardSnapshot.objects.get_or_create(top=top, year=year)
    now = timezone.now()
    claimed = (
        DashboardSnapshot.objects.filter(pk=snapshot.pk)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - RETRY_AFTER))
        .update(requested_at=now)
    )
    if claimed:
        refresh_dashboard.enqueue(top.pk, year)
    snapshot.refresh_from_db()
    return snapshot


def refresh(*, top_id: int, year: int) -> DashboardSnapshot | None:
    """Compute and keep ``top``'s figures for ``year`` as of today (the background task's work).

    The stamp is read before computing: a change made meanwhile leaves the kept figures older than
    the ledger, and the next page to read them queues another refresh.
    """
    top = Unit.objects.filter(pk=top_id).first()
    if top is None:  # the unit was removed while the task waited
        DashboardSnapshot.objects.filter(top_id=top_id).delete()
        return None
    framework_for(top)  # the first check of a new database stores the default framework: before the stamp
    stamp = change_stamp()
    today = date.today()
    started = time.perf_counter()
    try:
        figures = compute(top=top, year=year, today=today)
    except Exception as error:
        DashboardSnapshot.objects.filter(top=top, year=year).update(
            requested_at=None, error=repr(error)[:2000]
        )
        raise
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        top=top,
        year=year,
        defaults={
            "figures": figures,
            "stamp": stamp,
            "as_of": today,
            "computed_at": timezone.now(),
            "seconds": round(time.perf_counter() - started, 2),
            "requested_at": None,
            "error": "",
        },
    )
    return snapshot


@dataclass
class UnitPanel:
    period: Period
    rings: list[Ring]
    recent: list
    due: list


def unit_panel(*, unit: Unit, period: Period, with_children: bool, today: date | None = None) -> UnitPanel:
    """What the unit page shows beside its counts: a ring per requirement (the matrix's folded cell
    for this unit over ``period``), the latest records, and what falls due within ``DUE_DAYS``.

    One check serves the rings and, when the page shows the current year, the due items too. Kept
    until a write in the unit's subtree (and for the day, in the page's language: ``core.stamps``)."""
    today = today or date.today()
    return stamps.cached(
        "unit-panel",
        unit_id=unit.pk,
        parts=(period.code, with_children, today, get_language()),
        compute=lambda: _unit_panel(unit=unit, period=period, with_children=with_children, today=today),
    )


def _unit_panel(*, unit: Unit, period: Period, with_children: bool, today: date) -> UnitPanel:
    from taizhang.ledger.models import Activity

    check = compliance(unit=unit, window=period, with_children=with_children)
    rules = {rule.code: rule for rule in rules_of(check.framework)}
    own: dict[str, list] = defaultdict(list)
    for result in check.results:
        if result.unit == unit.pk:
            own[result.requirement].append(result)
    rings = []
    for code, rule in rules.items():
        if code not in own:
            continue
        cell = fold(unit, rule, own[code])
        if cell.status == NOT_MEASURED:
            continue
        rings.append(
            Ring(
                title=localized(rule.title, rule.title_en),
                status=cell.status,
                status_label=cell.status_label,
                percent=cell.percent,
                figures=cell.figures,
                responsible=rule.responsible,
            )
        )
    units = (
        Unit.objects.filter(path__startswith=unit.path) if with_children else Unit.objects.filter(pk=unit.pk)
    )
    recent = list(  # the period's own, latest first: a page on 2020H1 shows no December record
        Activity.objects.filter(unit__in=units.values("pk"), date__range=(period.start, period.end))
        .select_related("kind", "unit")
        .order_by("-date", "-id")[:8]
    )
    # what the period's year left undone (and, in the current year, what falls due soon)
    due = todo_for(
        unit=unit, today=today, days=DUE_DAYS, with_children=with_children, check=check, year=period.year
    )[:10]
    return UnitPanel(period=period, rings=rings, recent=recent, due=due)
