"""The compliance matrix and the to-do list pages. Thin: parse, call the queries, render.

A county's check and to-do list are kept (``core.stamps``) and so is the HTML made of them (the
templates' ``{% cache %}``, keyed by the scope's results version). What the fragment is made of is
worked out lazily (``MatrixTable``, ``TodoList``): a visit that finds the fragment kept unpickles
nothing, which was most of such a request's cost (a county's check is some 100,000 results).

Both pages show a page of a county at a time (``PER_PAGE`` sub-units of the matrix, lines of the
to-do list), with the whole scope's totals above it and 上一页/下一页 links keeping the filters.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.core.tables import query_without
from taizhang.org.models import Post, Unit
from taizhang.org.queries import post_holders
from taizhang.org.scope import writable_units
from taizhang.rules.check import compliance
from taizhang.rules.forms import CheckForm, TodoForm
from taizhang.rules.matrix import matrix
from taizhang.rules.todo import missed_together, todo_for

# Sub-units across a page of the matrix, lines down a page of the to-do list: a screenful or two.
PER_PAGE = 50


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


def page_number(request) -> int:
    """The page asked for (``?page=``), as a number for the fragment's key: anything else is the
    first page (one past the last shows the last, as the activity list does)."""
    value = request.GET.get("page", "")
    return max(1, int(value)) if value.isdigit() and len(value) < 7 else 1


class MatrixTable:
    """The matrix of a unit's check, one page of its sub-units at a time (the unit checked is the
    first column of every page), worked out when the template first asks."""

    def __init__(self, *, unit: Unit, window: Period, as_of: date | None, number: int):
        self.unit, self.window, self.as_of, self.number = unit, window, as_of, number

    @cached_property
    def check(self):
        return compliance(unit=self.unit, window=self.window, as_of=self.as_of, with_children=True)

    @cached_property
    def _matrix(self):
        return matrix(self.check).without_empty_units()

    @cached_property
    def page(self):
        """The page of sub-units shown (``paginator.count``: every sub-unit of the scope)."""
        return Paginator(self._matrix.units[1:], PER_PAGE).get_page(self.number)

    @cached_property
    def _shown(self) -> list[int]:
        start = self.page.start_index() if self.page.paginator.count else 1
        return [0, *range(start, start + len(self.page.object_list))]

    @cached_property
    def units(self) -> list[Unit]:
        return [self._matrix.units[i] for i in self._shown]

    @cached_property
    def areas(self):
        # who answers for each requirement in the unit checked: its post, and who holds it today
        holders = post_holders(unit_ids=[self.unit.pk], day=date.today())
        return [
            (
                area,
                [
                    (
                        row.rule,
                        *_record_list(row.rule),
                        [row.cells[i] for i in self._shown],
                        Post(row.rule.responsible).label if row.rule.responsible in Post.values else "",
                        holders.get((self.unit.pk, row.rule.responsible), []),
                    )
                    for row in rows
                ],
            )
            for area, rows in self._matrix.areas
        ]


def compliance_matrix(request):
    form = _form(CheckForm, request)
    context = {"form": form}
    if form.is_valid():
        unit, window = form.cleaned_data["unit"], form.cleaned_data["period"]
        number = page_number(request)
        table = MatrixTable(unit=unit, window=window, as_of=form.cleaned_data["as_of"], number=number)
        # the links to the other pages keep what the form chose (a remembered period included)
        query = query_without(form.data, "page")
        context.update(unit=unit, window=window, table=table, number=number, query=query)
    return render(request, "rules/matrix.html", context, status=200 if form.is_valid() else 400)


class TodoList:
    """A unit's to-do list, one page of lines at a time, worked out when the template first asks."""

    def __init__(self, *, unit: Unit, today: date | None, number: int):
        self.unit, self.today, self.number = unit, today, number

    @cached_property
    def rows(self):
        return missed_together(todo_for(unit=self.unit, today=self.today))

    @cached_property
    def page(self):
        """The page of lines shown (``paginator.count``: every line of the scope)."""
        return Paginator(self.rows, PER_PAGE).get_page(self.number)

    @cached_property
    def overdue(self) -> int:
        """Lines overdue in the whole scope, not only on this page."""
        return sum(1 for item, _ in self.rows if item.overdue)


def todo(request):
    form = _form(TodoForm, request)
    context = {"form": form}
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        number = page_number(request)
        # Units whose posts this login may fill: a line missing its post holder links to the form.
        writable = set(writable_units(request.user).values_list("pk", flat=True))
        context.update(
            unit=unit,
            todo=TodoList(unit=unit, today=form.cleaned_data["as_of"], number=number),
            today=form.cleaned_data["as_of"],
            writable=writable,
            number=number,
            query=query_without(form.data, "page"),
        )
    return render(request, "rules/todo.html", context, status=200 if form.is_valid() else 400)
