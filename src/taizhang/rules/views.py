"""The compliance matrix and the to-do list pages. Thin: parse, call the queries, render."""

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from taizhang.core.periods import Period, PeriodError
from taizhang.core.registry import REGISTRY
from taizhang.org.models import Unit
from taizhang.org.scope import visible_units
from taizhang.rules import queries


def _unit(request) -> Unit:
    """The unit asked for, if the user may see it (404 otherwise, so others' units are not revealed)."""
    units = visible_units(request.user)
    code = request.GET.get("unit")
    unit = units.filter(code=code).first() if code else units.order_by("depth", "path").first()
    if unit is None:
        raise Http404("没有该单位，或您无权查看。")
    return unit


def _as_of(request, errors: list[str]) -> date | None:
    text = request.GET.get("as_of")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"核查日期格式不正确：“{text}”（应为 YYYY-MM-DD）")
        return None


def _record_list(rule) -> tuple[str, str]:
    """The list page behind a cell (the record type's own, from the registry) and the activity kind
    it filters by ("" if none; no page: "", "")."""
    if rule.kinds:
        return reverse("ledger:activity-list"), rule.kinds[0]
    if rule.counts == "risk_assessments":
        return reverse("ledger:activity-list"), "assessment"
    name = REGISTRY[rule.counts].list_url if rule.counts in REGISTRY else ""
    return (reverse(name), "") if name else ("", "")


def compliance_matrix(request):
    unit = _unit(request)
    errors: list[str] = []
    text = request.GET.get("period") or str(date.today().year)
    try:
        window = Period.parse(text)
    except PeriodError as exc:
        errors.append(str(exc))
        window = Period.containing("year", date.today())
    as_of = _as_of(request, errors)
    context = {"unit": unit, "window": window, "errors": errors, "period_text": text}
    if not errors:
        try:
            check = queries.compliance(unit=unit, window=window, as_of=as_of, with_children=True)
        except ValueError as exc:
            errors.append(str(exc))
        else:
            table = queries.matrix(check)
            areas = [
                (area, [(row.rule, *_record_list(row.rule), row.cells) for row in rows])
                for area, rows in table.areas
            ]
            context.update(check=check, units=table.units, areas=areas)
    return render(request, "rules/matrix.html", context, status=400 if errors else 200)


def todo(request):
    unit = _unit(request)
    errors: list[str] = []
    today = _as_of(request, errors)
    items = [] if errors else queries.todo_for(unit=unit, today=today)
    return render(
        request, "rules/todo.html", {"unit": unit, "items": items, "errors": errors, "today": today}
    )
