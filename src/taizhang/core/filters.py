"""The filters of a record list, declared once for its page and its API endpoint (django-filter).

``record_filterset`` builds a record type's FilterSet from what its pages declare (the record
type's unit and date fields, what a search reads, the fields a list may be narrowed by); the list
page binds it to the query string and renders its form, and the viewset hands the same class to
DRF's ``DjangoFilterBackend``. So ``?unit=cppcc&period=2020H1&q=学习`` means the same records on
``/ledger/activities/`` and ``/api/activities/``, and a bad value is the same error on the field:
shown with the page's form (400) or named in the API's 400 JSON.

Every list takes:

``unit``    a unit the login may see (``org.scope.visible_units``), with its sub-units;
``period``  a period code (2020, 2020H1, 2020Q3, 2020-05): the records dated in it, or for a
            stock (channels) the records standing then;
``as_of``   a day: the records dated no later than it (with ``period``: those of the period so far);
``q``       words found in the record's title (its ``title_field`` in the registry);
``ordering``a column of the table, ``-`` before it for descending;

and the fields its type adds (kind, status, level …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django_filters as df
from django.db import connections
from django.db.models import ForeignKey, Lookup, Q, QuerySet
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from taizhang.core import stamps
from taizhang.core.forms import AsOfField, PeriodField, UnitField
from taizhang.core.units import unit_model
from taizhang.core.widgets import PlainSelect, PlainTextInput

SUBTREE_LISTED = 1000


class UnitFilter(df.Filter):
    """The unit and its sub-units (``subtree=False``: the unit alone), chosen among the units the
    login may see."""

    field_class = UnitField

    def __init__(self, *args, subtree: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.subtree = subtree

    def filter(self, qs, value):
        if value is None:
            return qs
        if not self.subtree:
            return qs.filter(**{self.field_name: value})
        # The subtree's ids, not a join on the unit's path: the database then reads the records
        # through their (unit, date) index, one unit at a time, instead of walking every record
        # the login may see and joining each to its unit (SQLite chose the latter: 3 s for a county
        # of a 1,000-unit city). SQLite plans that best from a subquery; PostgreSQL hashed the
        # subquery and scanned a city's million records (250 ms), so it gets a subtree of up to
        # SUBTREE_LISTED units as a list of ids (55 ms). Deleted units' records stay in, as the
        # join kept them.
        # The ids go as one array parameter (``= ANY``): as an IN list, a county's two hundred
        # placeholders were compiled and bound in each of the page's three queries.
        subtree = unit_model().all_objects.filter(path__startswith=value.path).values_list("pk", flat=True)
        if connections[qs.db].vendor == "postgresql":
            # kept until a unit is added or removed in the subtree (an undated write: core.stamps)
            ids = stamps.cached(
                "subtree-ids",
                unit_id=value.pk,
                parts=(value.path, SUBTREE_LISTED),
                compute=lambda: list(subtree[: SUBTREE_LISTED + 1]),
                years=[],
            )
            if len(ids) <= SUBTREE_LISTED:
                return qs.filter(**{f"{self.field_name}__any_of": ids})
        return qs.filter(**{f"{self.field_name}__in": subtree})


@ForeignKey.register_lookup
class AnyOf(Lookup):
    """``column = ANY(%s)``, the values one array parameter (PostgreSQL only)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, self.rhs)


class PeriodFilter(df.Filter):
    """Records dated in the period; ``method=`` for a type that reads a period otherwise."""

    field_class = PeriodField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__gte": value.start, f"{self.field_name}__lte": value.end})


class AsOfFilter(df.Filter):
    """Records dated no later than the day."""

    field_class = AsOfField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__lte": value})


class SearchFilter(df.CharFilter):
    """Every word (split on spaces) found in one of the searched fields."""

    def __init__(self, *args, fields: Iterable[str] = (), **kwargs):
        kwargs.setdefault("widget", PlainTextInput)
        super().__init__(*args, **kwargs)
        self.fields = tuple(fields)

    def filter(self, qs, value):
        for word in (value or "").split():
            match = Q()
            for name in self.fields:
                match |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(match)
        return qs


def _descending(fmt, label) -> str:
    return fmt % {"label": label}


_descending = lazy(_descending, str)


class OrderingFilter(df.OrderingFilter):
    """The table's sort, with the id last so that equal values keep one order from page to page."""

    descending_fmt = _("%(label)s（降序）")  # django-filter has no zh-Hans catalogue

    def build_choices(self, fields, labels):
        """django-filter's choices with the descending labels formatted when shown: the FilterSet is
        built at import, before any request says its language."""
        ascending = [(param, labels.get(field, pretty_name(param))) for field, param in fields.items()]
        descending = [
            (f"-{param}", labels.get(f"-{param}", _descending(self.descending_fmt, label)))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "-pk") if value else qs


class RecordFilterSet(df.FilterSet):
    """A record list's filters: the form's unit select offers the units the request's login may see."""

    def get_form_class(self):
        """django-filter's form class, made once per FilterSet class rather than once per request
        (a class with a field per filter: a list page's filter form spent a third of its time on
        it). No filter's field reads the request; each form copies the fields it is given, and
        ``form`` hands its copy of the unit field the login."""
        made = type(self).__dict__.get("_form_class")
        if made is None:
            made = super().get_form_class()
            type(self)._form_class = made
        return made

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if "unit" in form.fields:
                user = getattr(self.request, "user", None)
                form.fields["unit"].set_login(user)
        return self._form

    @property
    def unit(self):
        """The unit the valid form chose, or None."""
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("unit")
        return None


class FilterBackend(DjangoFilterBackend):
    """DRF's django-filter backend, refusing a bad value with the words the page shows on the field.

    (django-filter's own translation re-formats each message with ``%``: a message quoting the
    value, such as a period "50%", raised a TypeError, a 500.)"""

    def filter_queryset(self, request, queryset, view):
        from taizhang.core.api import form_errors, refuse_empty_days

        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if "as_of" in filterset.filters:
            refuse_empty_days(request)
        if not filterset.is_valid():
            raise form_errors(filterset.form)
        return filterset.qs


def record_filterset(
    model: type,
    *,
    unit_field: str = "unit",
    date_field: str = "date",
    search: Iterable[str] = (),
    fields: dict[str, df.Filter] | Iterable[str] = (),
    ordering: Iterable[tuple[str, str, str]] = (),
    period: Callable[[QuerySet, Any], QuerySet] | None = None,
    as_of: Callable[[QuerySet, Any], QuerySet] | None = None,
) -> type[RecordFilterSet]:
    """The FilterSet of one record type.

    ``fields``: the type's own filters, as ready Filters by name or as model field names (a
    choice field becomes a select with 全部 first). ``ordering``: (query value, model path, label)
    triples the table sorts by. ``period`` / ``as_of``: how a stock reads them, ``(rows, value) → rows``.
    """
    attrs: dict[str, Any] = {"unit": UnitFilter(field_name=unit_field, label=_("单位"))}
    if date_field or period is not None:
        attrs["period"] = PeriodFilter(
            field_name=date_field,
            label=_("期间"),
            help_text=_("如 2020、2020H1、2020Q3、2020-05"),
            method=_method(period),
        )
        attrs["as_of"] = AsOfFilter(
            field_name=date_field, label=_("截至"), help_text=_("只列此日及以前的记录"), method=_method(as_of)
        )
    extra = fields if isinstance(fields, dict) else {name: None for name in fields}
    meta_fields = [name for name, given in extra.items() if given is None]
    attrs.update({name: given for name, given in extra.items() if given is not None})
    search = tuple(search)
    if search:
        attrs["q"] = SearchFilter(label=_("搜索"), fields=search, help_text=_("标题中的字词，空格分开"))
    ordering = tuple(ordering)
    if ordering:
        attrs["ordering"] = OrderingFilter(
            fields=[(path, key) for key, path, _label in ordering],
            field_labels={path: label for _key, path, label in ordering},
            label=_("排序"),
            empty_label=_("默认"),
            widget=PlainSelect,
        )
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": meta_fields})
    return type(f"{model.__name__}FilterSet", (RecordFilterSet,), attrs)


def _method(function):
    """A FilterSet ``method`` calling ``function(rows, value)``, or None for the filter's own."""
    if function is None:
        return None

    def apply(rows, name, value):
        return rows if value in (None, "") else function(rows, value)

    return apply
