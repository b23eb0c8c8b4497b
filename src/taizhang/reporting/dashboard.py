"""The leader's dashboard: aggregates of the units a login sees, for charts and their tables.

Every figure comes from what the rest of the system already computes: compliance and scores from
one run of the rules engine over the scope (``rules.queries.compliance``, ``rules.score``), the
monthly trend from the activity rollup the engine reads (``ActivityMonth``), submissions and
adoptions from one grouped query each, what is due from the to-do list (``rules.queries.todo_for``).
Nothing here returns a row of the ledger: each chart is a small table (its header, its rows, and for
each figure the list page that shows the records behind it), which the page draws as a chart, shows
as a table and exports as a workbook.

A scope of more than ``CACHE_MIN_UNITS`` units (a city) is judged once and kept for
``CACHE_SECONDS``: judging ten thousand units takes longer than a page should, and a leader reading
a city's overview does not need it to the second. A county's dashboard is always computed afresh.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from io import BytesIO
from urllib.parse import quote, urlencode

from django.core.cache import cache
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from taizhang.core.periods import Period
from taizhang.ledger.models import ActivityKind, ActivityMonth
from taizhang.org.models import Area, Unit, path_ids
from taizhang.reporting.models import Adoption, Level, Submission
from taizhang.rules import score
from taizhang.rules.engine import MET, NOT_MEASURED
from taizhang.rules.models import Requirement
from taizhang.rules.queries import compliance, fold, rules_of, todo_for

CACHE_MIN_UNITS = 500
CACHE_SECONDS = 600
DUE_DAYS = 30
DUE_SHOWN = 100  # a city has thousands; the page lists the earliest, each unit's to-do page the rest


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


@dataclass
class Dashboard:
    top: Unit
    shown: list[Unit]  # the units compared: the top's children (each with its subtree)
    year: int
    today: date
    charts: list[Chart]
    cache_key: str = ""
    cache_seconds: int = 0  # how long the page may keep its rendered charts (0: a small scope, never)

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
    """The newest year with activities in ``top``'s subtree, read from the rollup (a city's million
    activities need not be sorted for it); kept like the dashboard itself for a large scope."""
    key = f"taizhang:dashboard-year:{top.pk}:{top.path}"
    large = Unit.objects.filter(path__startswith=top.path).count() >= CACHE_MIN_UNITS
    if large and (hit := cache.get(key)) is not None:
        return hit
    newest = (
        ActivityMonth.objects.filter(
            unit_id__in=Unit.objects.filter(path__startswith=top.path).values("pk"), activities__gt=0
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    year = int(newest[:4]) if newest else None
    if large and year is not None:
        cache.set(key, year, CACHE_SECONDS)
    return year


def chart_workbook(chart: Chart) -> bytes:
    """The chart's table as an .xlsx workbook: its title, its header, its figures."""
    book = Workbook()
    sheet = book.active
    sheet.title = chart.key
    sheet.append([chart.title])
    sheet.append(chart.header)
    for row in chart.rows:
        sheet.append([cell.value for cell in row])
    if chart.note:
        sheet.append([])
        sheet.append([chart.note])
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


def build(*, top: Unit, year: int, today: date | None = None) -> Dashboard:
    """The dashboard of ``top``'s subtree for ``year`` (the trend compares it with the year before)."""
    today = today or date.today()
    size = Unit.objects.filter(path__startswith=top.path).count()
    # The charts' titles and headers are in the page's language: one cached dashboard per language.
    key = f"taizhang:dashboard:{top.pk}:{top.path}:{year}:{today.isoformat()}:{get_language()}"
    if size >= CACHE_MIN_UNITS and (hit := cache.get(key)) is not None:
        return hit
    shown = compared_units(top)
    owner = _owner_map(top, shown)
    check = compliance(unit=top, window=Period(year, "year"), with_children=True)
    charts = [
        _heatmap(check, shown, owner, year),
        _ranking(check, shown, owner, year),
        _trend(top, year),
        _reporting(top, shown, owner, year),
        _due(top, today, check),
    ]
    dashboard = Dashboard(top=top, shown=shown, year=year, today=today, charts=charts, cache_key=key)
    if size >= CACHE_MIN_UNITS:
        dashboard.cache_seconds = CACHE_SECONDS
        cache.set(key, dashboard, CACHE_SECONDS)
    return dashboard


def _heatmap(check, shown: list[Unit], owner: dict[int, int], year: int) -> Chart:
    """Share of requirement periods met, by work area (rows) and compared unit (columns)."""
    area_of = dict(Requirement.objects.filter(framework=check.framework).values_list("code", "area"))
    areas = list(Area.objects.order_by("order", "code").values_list("code", "name"))
    met: dict[tuple[str, int], int] = defaultdict(int)
    judged: dict[tuple[str, int], int] = defaultdict(int)
    for r in check.results:
        if r.status == NOT_MEASURED:
            continue
        cell = (area_of.get(r.requirement, ""), owner.get(r.unit))
        judged[cell] += 1
        met[cell] += r.status == MET
    rows = []
    for code, name in areas:
        row = [Cell(name)]
        for unit in shown:
            n = judged.get((code, unit.pk), 0)
            value = round(100 * met[(code, unit.pk)] / n) if n else None
            # to the matrix's rows of this area (its heading row's id is the area's name)
            row.append(
                Cell(value, _url("rules:matrix", unit=unit.code, period=year) + f"#area-{quote(name)}")
            )
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


def _ranking(check, shown: list[Unit], owner: dict[int, int], year: int) -> Chart:
    """Compared units by score: each unit of a subtree scored as the score sheet does, summed."""
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
    ranked = sorted(
        ((round(100 * earned[u.pk] / maximum[u.pk], 1), u) for u in shown if maximum.get(u.pk)),
        key=lambda pair: (-pair[0], path_ids(pair[1].path)),
    )
    rows = [
        [
            Cell(i),
            Cell(u.short_name or u.name, reverse("org:unit-detail", args=[u.code]) + f"?period={year}"),
            Cell(pct, _url("rules:matrix", unit=u.code, period=year)),
            Cell(round(earned[u.pk], 1)),
            Cell(round(maximum[u.pk], 1)),
        ]
        for i, (pct, u) in enumerate(ranked, 1)
    ]
    return Chart(
        key="ranking",
        title=_("%(year)s年考核得分排名（得分率，%%）") % {"year": year},
        header=[_("名次"), _("单位"), _("得分率"), _("得分"), _("满分")],
        rows=rows,
        note=_("按考核评分办法计算，含下级单位；不可计量的要求不计入。"),
    )


def _trend(top: Unit, year: int) -> Chart:
    """Activities a month by kind this year, and last year's monthly total beside them (the rollup)."""
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
    kinds = [
        k
        for k in ActivityKind.objects.order_by("order", "code")
        if any(counts.get((k.pk, f"{year}-{m:02d}")) for m in range(1, 13))
    ]
    table = []
    for kind in kinds:
        row = [Cell(kind.name)]
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
        note=_("柱为%(year)s年各类活动次数，折线为%(last)s年同月合计。") % {"year": year, "last": year - 1},
    )


def _reporting(top: Unit, shown: list[Unit], owner: dict[int, int], year: int) -> Chart:
    """Information submitted by each compared unit in ``year``, and its adoptions by level."""
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


def _due(top: Unit, today: date, check) -> Chart:
    """What falls due in the next ``DUE_DAYS`` days (and what is already overdue) across the subtree."""
    items = todo_for(unit=top, today=today, days=DUE_DAYS, check=check)  # reused in the current year
    rows = [
        [
            Cell(f"{item.due:%Y-%m-%d}"),
            Cell(_("已逾期") if item.overdue else _("待完成")),
            Cell(item.unit.short_name or item.unit.name, _url("rules:todo", unit=item.unit.code)),
            Cell(item.title),
            Cell(item.detail),
        ]
        for item in items[:DUE_SHOWN]
    ]
    if len(items) > DUE_SHOWN:
        note = _("共 %(count)s 项（含已逾期），显示最早的 %(shown)s 项；各单位的全部事项见其待办事项页。")
    else:
        note = _("共 %(count)s 项（含已逾期）。")
    return Chart(
        key="due",
        title=_("今后%(days)s天到期事项（截至%(today)s）") % {"days": DUE_DAYS, "today": f"{today:%Y-%m-%d}"},
        header=[_("期限"), _("状态"), _("单位"), _("事项"), _("说明")],
        rows=rows,
        kind="table",
        note=note % {"count": len(items), "shown": DUE_SHOWN},
    )


@dataclass(frozen=True)
class Ring:
    """One requirement's progress in a period, for the unit page's ring."""

    title: str
    status: str
    status_label: str
    required: float
    actual: float
    percent: int
    is_rate: bool


@dataclass
class UnitPanel:
    period: Period
    rings: list[Ring]
    recent: list
    due: list


def unit_panel(*, unit: Unit, period: Period, with_children: bool, today: date | None = None) -> UnitPanel:
    """What the unit page shows beside its counts: a ring per requirement (the matrix's folded cell
    for this unit over ``period``), the latest records, and what falls due within ``DUE_DAYS``.

    One check serves the rings and, when the page shows the current year, the due items too."""
    from taizhang.ledger.models import Activity

    today = today or date.today()
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
        share = cell.actual / cell.required if cell.required else 1.0
        rings.append(
            Ring(
                title=rule.title,
                status=cell.status,
                status_label=cell.status_label,
                required=cell.required,
                actual=cell.actual,
                percent=max(0, min(100, round(100 * share))),
                is_rate=cell.is_rate,
            )
        )
    units = (
        Unit.objects.filter(path__startswith=unit.path) if with_children else Unit.objects.filter(pk=unit.pk)
    )
    recent = list(
        Activity.objects.filter(unit__in=units.values("pk"))
        .select_related("kind", "unit")
        .order_by("-date", "-id")[:8]
    )
    due = todo_for(unit=unit, today=today, days=DUE_DAYS, with_children=with_children, check=check)[:10]
    return UnitPanel(period=period, rings=rings, recent=recent, due=due)
