"""A dashboard's figures (``dashboard.figures``) named in the page's language and laid out as charts:
a few small reads for the names of units, areas and kinds, nothing judged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from taizhang.core.i18n import localized
from taizhang.core.periods import Period
from taizhang.core.ranks import nothing_to_rank, places
from taizhang.dashboard.board import (
    CACHE_SECONDS,
    DUE_DAYS,
    DUE_SHOWN,
    Cell,
    Chart,
    Dashboard,
    Ring,
    month_label,
    page_url,
)
from taizhang.ledger.models import ActivityKind
from taizhang.org.models import Area, Unit, path_ids
from taizhang.org.queries import post_holders
from taizhang.reporting.models import Level
from taizhang.rules.engine import MET, STATUS_LABELS, Rule
from taizhang.rules.matrix import cell_words
from taizhang.rules.requirements import kept_rules
from taizhang.rules.todo import TodoItem, requirement_line


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
    """The requirements the figures were judged by, by code (their titles in either language): as
    the standings keep them, per process until a framework changes (``rules.counting``)."""
    framework = figures.get("framework")
    if framework is None:
        return {}
    return {rule.code: rule for rule in kept_rules(framework)}


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
            row.append(Cell(value, page_url("rules:matrix", unit=unit.code, period=year) + f"#area-{code}"))
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
                Cell(pct, page_url("rules:matrix", unit=u.code, period=year)),
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
                    page_url("ledger:activity-list", unit=top.code, kind=kind.code, period=month),
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
                    page_url("ledger:activity-list", unit=top.code, period=month),
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


def _reporting(submitted_rows: list[list], adopted_rows: list[list], shown: list[Unit], year: int) -> Chart:
    """Information submitted by each compared unit in ``year``, and its adoptions by level."""
    submitted = dict(submitted_rows)
    adopted = {(unit, level): n for unit, level, n in adopted_rows}
    rows = []
    for unit in shown:
        row = [
            Cell(unit.short_name or unit.name),
            Cell(
                submitted.get(unit.pk, 0), page_url("reporting:submission-list", unit=unit.code, period=year)
            ),
        ]
        for level in Level.values:
            row.append(
                Cell(
                    adopted.get((unit.pk, level), 0),
                    page_url("reporting:adoption-list", unit=unit.code, period=year),
                )
            )
        rows.append(row)
    return Chart(
        key="reporting",
        title=_("%(year)s年信息报送与各级采用") % {"year": year},
        header=[_("单位"), _("报送"), *[_("%(level)s采用") % {"level": label} for label in Level.labels]],
        rows=rows,
    )


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
                    page_url("rules:todo", unit=unit.code, as_of=f"{as_of:%Y-%m-%d}"),
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
