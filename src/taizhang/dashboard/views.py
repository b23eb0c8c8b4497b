"""The pages of the dashboard app: the landing page (a leader's dashboard, a clerk's units), a
dashboard chart's workbook, and the unit page (what the ledger holds for a unit, by kind and by month,
beside its rings and what falls due)."""

from datetime import date

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import PeriodForm, remembered_period
from taizhang.core.periods import Period
from taizhang.dashboard import kept
from taizhang.dashboard.board import chart_workbook, month_label
from taizhang.dashboard.panel import unit_panel
from taizhang.ledger import queries as ledger_queries
from taizhang.ledger.queries import latest_activity_year
from taizhang.org.models import Unit
from taizhang.org.queries import unit_children, unit_subtree
from taizhang.org.scope import (
    LEAD_ROLES,
    can_write,
    member_units,
    top_units,
    visible_units,
    writable_units,
)
from taizhang.rules.todo import todo_for


def _tops(user) -> list[Unit]:
    """The tops of the forest a login leads, read from its grants (``org.scope.top_units``): asking
    the tree which units have no led parent read a city's ten thousand units every visit."""
    return list(top_units(user, roles=LEAD_ROLES).order_by("path")[:50])


class DashboardForm(forms.Form):
    unit = forms.CharField(required=False, label=_("单位"))
    year = forms.IntegerField(required=False, min_value=2000, max_value=9998, label=_("年度"))


def _dashboard_of(request):
    """(dashboard, form, tops) for a leader's request, or None when the login leads no unit."""
    tops = _tops(request.user)
    if not tops:
        return None
    form = DashboardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    top = next((t for t in tops if t.code == data.get("unit")), tops[0])
    if data.get("unit") and top.code != data["unit"]:
        form.add_error("unit", gettext("没有这个单位，或您无权查看它的概览。"))
    # the year asked for; else the year of the period last chosen on any page (a leader who looked at
    # 2020 stays on 2020); else the newest year most of the units kept their ledgers in
    remembered = remembered_period(request)
    year = data.get("year") or (remembered.year if remembered else None)
    year = year or kept.latest_year(top) or date.today().year
    return kept.current(top=top, year=year), form, tops


def home(request):
    found = _dashboard_of(request)
    if found is not None:
        board, form, tops = found
        if request.headers.get("HX-Request") and board.snapshot is not None:
            # the waiting page's poll: nothing to swap until the figures are in, then a reload
            response = HttpResponse(status=204 if board.pending else 200)
            if not board.pending:
                response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "dashboard/dashboard.html",
            {
                "board": board,
                "form": form,
                "tops": tops,
                # the 登记 links of what is behind: for a leader who also keeps the unit's ledger
                "can_write": writable_units(request.user).filter(pk=board.top.pk).exists(),
            },
            status=400 if form.errors else 200,
        )
    units = list(visible_units(request.user).order_by("path")[:500])
    if not units and member_units(request.user).exists():
        # A member reads no unit's ledger as a whole: their page is their own attendance and reflections.
        return redirect("ledger:mine")
    if len(units) == 1:
        return redirect("org:unit-detail", code=units[0].code)
    # Show the tops of the visible forest; their subtrees are one click away. A clerk's home starts
    # from what their units must see to: the year's overdue and due-soon items, and where to act.
    ids = {unit.pk for unit in units}
    tops = [unit for unit in units if unit.parent_id not in ids]
    writable = set(
        writable_units(request.user).filter(pk__in=[t.pk for t in tops]).values_list("pk", flat=True)
    )
    cards = [_home_card(request, top, top.pk in writable) for top in tops[:HOME_CARDS]]
    return render(request, "dashboard/home.html", {"tops": tops, "units": units, "cards": cards})


HOME_CARDS = 5


def _home_card(request, unit: Unit, can_write: bool) -> dict:
    """One unit at the top of a clerk's home: its to-do of the year last looked at (``todo_for``,
    kept per unit and day), counted, with its first items and the pages to act on it."""
    remembered = remembered_period(request)
    year = (
        remembered.year
        if remembered
        else (latest_activity_year(Unit.objects.filter(path__startswith=unit.path)) or date.today().year)
    )
    items = todo_for(unit=unit, today=date.today(), year=year)
    return {
        "unit": unit,
        "year": year,
        "overdue": sum(1 for item in items if item.overdue),
        "soon": sum(1 for item in items if not item.overdue),
        "first": items[:3],
        "can_write": can_write,
        "as_of": min(date.today(), date(year, 12, 31)),
    }


def dashboard_export(request, key: str):
    """One chart of the dashboard as an .xlsx workbook (the same figures as its table)."""
    found = _dashboard_of(request)
    chart = found[0].chart(key) if found else None
    if chart is None:
        if found and found[0].pending:  # a city's figures are being worked out for the first time
            response = HttpResponse(
                gettext("概览的数据正在汇总，请稍后再导出。"),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "30"
            return response
        raise Http404(gettext("没有这个图表。"))
    board = found[0]
    response = HttpResponse(
        chart_workbook(chart),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"dashboard-{board.top.code}-{board.year}-{key}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period_from(request, unit) -> tuple[Period, str | None]:
    """The period asked for (core.forms.PeriodForm), else the latest year with records; and the
    form's message when the period asked for is not one."""
    form = PeriodForm(request.GET)
    period = form.cleaned_data.get("period") if form.is_valid() else None
    if period is not None:
        return period, None
    if "period" not in request.GET and (remembered := remembered_period(request)) is not None:
        return remembered, None  # the period last chosen on any page
    year = ledger_queries.latest_activity_year(unit_subtree(unit)) or timezone.localdate().year
    return Period(year, "year"), " ".join(form.errors.get("period", [])) or None


def unit_detail(request, code: str):
    unit = get_object_or_404(visible_units(request.user), code=code)
    period, period_error = _period_from(request, unit)
    with_children = request.GET.get("children") == "1"
    kept = ledger_queries.period_counts(unit=unit, period=period, with_children=with_children)
    counts, imported, monthly = kept.by_kind(), kept.imported, kept.monthly()
    months = [f"{month.year}-{month.index:02d}" for month in period.split("month")]
    kinds = ledger_queries.kinds_in_order()
    rows = [
        {
            "kind": kind,
            "count": counts.get(kind.code, 0),
            "months": [monthly.get(kind.code, {}).get(month, 0) for month in months],
        }
        for kind in kinds
        if counts.get(kind.code)
    ]
    chart = {
        "months": [month_label(int(m[5:])) for m in months],
        "series": [{"name": str(row["kind"]), "data": row["months"]} for row in rows],
        "other": gettext("其他"),  # the chart sums the kinds past eight under this name
    }
    context = {
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "with_children": with_children,
        "rows": rows,
        "total": sum(counts.values()),
        "imported_total": sum(n for months in imported.values() for n in months.values()),
        "month_labels": chart["months"],
        "chart": chart,
        "children": unit_children(unit),
        "can_write": can_write(request.user, unit),
        "panel": unit_panel(unit=unit, period=period, with_children=with_children),
        "today": timezone.localdate(),
    }
    # A bad period is the form's error (400), shown above the year the page falls back to.
    return render(request, "dashboard/unit_detail.html", context, status=400 if period_error else 200)
