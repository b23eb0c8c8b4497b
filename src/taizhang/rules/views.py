"""The compliance matrix and the to-do list pages. Thin: parse, call the queries, render."""

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from taizhang.core.registry import REGISTRY
from taizhang.org.models import Post
from taizhang.org.queries import post_holders
from taizhang.org.scope import writable_units
from taizhang.rules.check import compliance
from taizhang.rules.forms import CheckForm, TodoForm
from taizhang.rules.matrix import matrix
from taizhang.rules.todo import missed_together, todo_for


def _record_list(rule) -> tuple[str, str]:
    """The list page behind a cell (the record type's own, from the registry) and the activity kind
    it filters by ("" if none; no page: "", "")."""
    if rule.kinds:
        return reverse("ledger:activity-list"), rule.kinds[0]
    if rule.counts == "risk_assessments":
        return reverse("ledger:activity-list"), "assessment"
    name = REGISTRY[rule.counts].list_url if rule.counts in REGISTRY else ""
    return (reverse(name), "") if name else ("", "")


def _form(cls, request):
    """The page's form; a login that may see no unit has no page here at all."""
    form = cls.bound(request)
    if not form.fields["unit"].codes:
        raise Http404(gettext("您没有可以查看的单位。"))
    return form


def compliance_matrix(request):
    form = _form(CheckForm, request)
    context = {"form": form}
    if form.is_valid():
        unit, window = form.cleaned_data["unit"], form.cleaned_data["period"]
        check = compliance(unit=unit, window=window, as_of=form.cleaned_data["as_of"], with_children=True)
        table = matrix(check).without_empty_units()
        # who answers for each requirement in the unit checked: its post, and who holds it today
        holders = post_holders(unit_ids=[unit.pk], day=date.today())
        areas = [
            (
                area,
                [
                    (
                        row.rule,
                        *_record_list(row.rule),
                        row.cells,
                        Post(row.rule.responsible).label if row.rule.responsible in Post.values else "",
                        holders.get((unit.pk, row.rule.responsible), []),
                    )
                    for row in rows
                ],
            )
            for area, rows in table.areas
        ]
        context.update(unit=unit, window=window, check=check, units=table.units, areas=areas)
    return render(request, "rules/matrix.html", context, status=200 if form.is_valid() else 400)


def todo(request):
    form = _form(TodoForm, request)
    context = {"form": form}
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        items = todo_for(unit=unit, today=form.cleaned_data["as_of"])
        # Units whose posts this login may fill: a line missing its post holder links to the form.
        writable = set(writable_units(request.user).values_list("pk", flat=True))
        context.update(
            unit=unit,
            items=items,
            rows=missed_together(items),
            today=form.cleaned_data["as_of"],
            writable=writable,
        )
    return render(request, "rules/todo.html", context, status=200 if form.is_valid() else 400)
