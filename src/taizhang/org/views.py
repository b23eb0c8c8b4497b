"""The unit page: what the ledger holds for a unit, by kind and by month; the unit chooser's search."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from taizhang.core.forms import PeriodForm, remembered_period
from taizhang.core.periods import Period
from taizhang.ledger import queries as ledger_queries
from taizhang.org.queries import unit_matches, unit_subtree
from taizhang.org.scope import can_write, visible_units, writable_units
from taizhang.reporting import dashboard


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
    counts = ledger_queries.kind_counts(unit=unit, period=period, with_children=with_children)
    imported = ledger_queries.imported_activity_counts(unit=unit, period=period, with_children=with_children)
    monthly = ledger_queries.monthly_counts(unit=unit, period=period, with_children=with_children)
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
        "months": [dashboard.month_label(int(m[5:])) for m in months],
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
        "children": visible_units(request.user).filter(parent=unit).order_by("name"),
        "can_write": can_write(request.user, unit),
        "panel": dashboard.unit_panel(unit=unit, period=period, with_children=with_children),
        "today": timezone.localdate(),
    }
    # A bad period is the form's error (400), shown above the year the page falls back to.
    return render(request, "org/unit_detail.html", context, status=400 if period_error else 200)


SEARCH_RESULTS = 50


@require_GET
def unit_search(request):
    """``/org/units/?q=县实验`` (``&write=1``: among the units the login may change): the units whose
    name, short name or code holds ``q``, each after the units above it that the login sees, for a
    chooser too long to list every unit (``core.forms.CHOOSER_LISTED``). One Chinese character or
    two others at least: a single letter or digit would match most of a city."""
    words = request.GET.get("q", "").strip()
    if not (len(words) >= 2 or (words and not words.isascii())) or "\x00" in words:
        message = gettext("搜索单位（q）：请至少输入一个汉字或两个字母、数字。")
        return JsonResponse({"detail": message}, status=400)
    units = writable_units(request.user) if request.GET.get("write") == "1" else visible_units(request.user)
    rows, matched, more = unit_matches(units, words, limit=SEARCH_RESULTS)
    top = min((depth for _, _, depth, _ in rows), default=0)
    results = [
        {"code": code, "name": name, "label": "\u3000" * (depth - top) + name, "match": code in matched}
        for code, name, depth, _ in rows
    ]
    return JsonResponse({"results": results, "more": more})
