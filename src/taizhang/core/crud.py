"""Record pages the practice modules share: list with filters, detail, create, edit.

The ledger's activity pages are written out by hand; the reporting, review, risks, channels and
campaigns modules have a dozen record types of the same shape, so one small description per type
(``RecordPages``) gives each its four thin views. Writes still go through each module's services;
reads are scoped with ``org.scope`` exactly as the ledger's are (404 for other units' records).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from taizhang.core import tables
from taizhang.core.api import as_api_error
from taizhang.core.filters import FilterBackend, RecordFilterSet, record_filterset
from taizhang.core.forms import add_service_errors, filter_query
from taizhang.core.history import BOOKKEEPING, record_history
from taizhang.core.i18n import money_on_page
from taizhang.core.registry import record_type as registered
from taizhang.core.units import (
    can_read,
    can_write,
    organisation_people,
    own_person,
    person_model,
    scope,
    unit_model,
    visible_units,
    writable_units,
)


def writable_unit_from(request, *, what: str, template: str, context: dict | None = None):
    """The unit named by ``?unit=CODE`` that the login may record ``what`` in, or the page to choose one.

    Returns ``(unit, None)``, or ``(None, response)``: a redirect when only one unit is writable, else
    the chooser (with a message when the code named a unit the login may not write).
    """
    units = writable_units(request.user).order_by("path")
    code = request.GET.get("unit") or request.POST.get("unit")
    unit = units.filter(code=code).first() if code else None
    if unit is not None:
        return unit, None
    if code:
        messages.error(
            request, gettext("您不能在单位“%(code)s”下登记%(what)s。") % {"code": code, "what": what}
        )
    choices = list(units[:200])
    if len(choices) == 1:
        return None, redirect(f"{request.path}?unit={choices[0].code}")
    return None, render(request, template, {**(context or {}), "units": choices})


@dataclass
class RecordPages:
    """How one record type is listed, shown, created and edited.

    ``form`` is a plain Form taking ``unit=`` whose cleaned data are the service's keyword
    arguments; ``create(unit=, **data)`` and ``update(record=, expected_version=, **data)`` are
    the module's services.
    """

    model: type
    app: str
    name: str
    title: str
    form: type[forms.Form]
    create: Callable[..., Any]
    update: Callable[..., Any]
    columns: list[tuple[str, str]]
    # The registry's code for the table this lists (core.registry): its unit, date and title
    # fields are the list's unit filter, period filter and search, unless given here.
    record_type: str = ""
    date_field: str | None = None  # "" when a period does not select by a date
    unit_field: str | None = None
    search: tuple[str, ...] | None = None
    # The type's own filters (core.filters.record_filterset's ``fields``) and how a stock reads a
    # period or an as-of day (``(rows, value) → rows``) instead of by its date.
    filter_fields: dict | tuple = ()
    period: Callable[[QuerySet, Any], QuerySet] | None = None
    as_of: Callable[[QuerySet, Any], QuerySet] | None = None
    related: list[str] = field(default_factory=list)
    detail_template: str = "crud/detail.html"
    # Reads beyond the unit scope (see org.scope.scope): rows of the login's own person, and the
    # rows a member of the unit may read (e.g. published drafts).
    own: str | None = None
    published: Q | None = None
    # The person field a member fills with themselves when recording in their own unit (a member
    # reports information as its author); None: only unit admins record this type.
    self_service: str | None = None
    # Why a record cannot be edited in its present state (a draft under review), or None: the page
    # then offers no edit form that could only be refused on saving.
    edit_refusal: Callable[[Any], str | None] | None = None

    def __post_init__(self):
        declared = registered(self.record_type) if self.record_type else None
        if self.unit_field is None:
            self.unit_field = declared.unit_field if declared else "unit"
        if self.date_field is None:
            self.date_field = declared.date_field if declared else "date"
        if self.search is None:
            self.search = (declared.title_field,) if declared else ()
        self.filterset: type[RecordFilterSet] = record_filterset(
            self.model,
            unit_field=self.unit_field,
            date_field=self.date_field,
            search=self.search,
            fields=self.filter_fields,
            ordering=self.sortable(),
            period=self.period,
            as_of=self.as_of,
        )

    def sortable(self) -> list[tuple[str, str, str]]:
        """(query value, model path, label) of the columns the table sorts by: the model's own fields;
        a unit sorts in tree order, a person or a record by its name or title."""
        out = []
        for label, attr in self.columns:
            try:
                model_field = self.model._meta.get_field(attr)
            except FieldDoesNotExist:
                continue
            if not getattr(model_field, "concrete", False) or model_field.many_to_many:
                continue
            path_ = attr
            if model_field.is_relation:
                names = {f.name for f in model_field.related_model._meta.get_fields()}
                key = next((n for n in ("path", "name", "title") if n in names), None)
                if key is None:
                    continue
                path_ = f"{attr}__{key}"
            out.append((attr, path_, label))
        return out

    def filtered(self, request, queryset: QuerySet | None = None) -> RecordFilterSet:
        """The FilterSet bound to the request's query string over the records the login reads."""
        rows = self._scoped(self.model.objects.all() if queryset is None else queryset, request.user)
        return self.filterset(filter_query(request), queryset=rows, request=request)

    def _scoped(self, queryset: QuerySet, user, *, write: bool = False) -> QuerySet:
        return scope(
            queryset, user, unit_field=self.unit_field, write=write, own=self.own, published=self.published
        )

    def can_create(self, user) -> bool:
        """Whether the login may record this type anywhere: in a unit it writes, or (self-service
        types) as the person it stands for. Pages offer 登记 only then, never a page that refuses."""
        if writable_units(user).exists():
            return True
        return self.self_service is not None and own_person(user) is not None

    def url(self, action: str) -> str:
        return f"{self.app}:{self.name}-{action}"

    # -- views ---------------------------------------------------------------
    def list_view(self, request):
        filterset = self.filtered(request)
        form = filterset.form
        valid = not filterset.is_bound or filterset.is_valid()
        rows = filterset.qs if valid else self.model.objects.none()
        rows = rows.select_related(self.unit_field, *self.related)
        labels = [label for label, _ in self.columns]
        query = filterset.data if filterset.is_bound else None
        export = tables.export_format(query)
        if export and valid:
            cells = ([_cell(obj, attr) for _, attr in self.columns] for obj in rows.iterator(chunk_size=500))
            return tables.export(cells, labels=labels, name=self.title, fmt=export)
        page = tables.paginate(rows, request)
        table = [(obj, [_cell(obj, attr) for _, attr in self.columns]) for obj in page.object_list]
        return render(
            request,
            "crud/list.html",
            {
                "pages": self,
                "form": form,
                "page": page,
                "table": table,
                "head": tables.head(query, self.columns, self.sortable()),
                "exports": tables.export_links(query) if valid else [],
                "query": tables.query_without(query, "page"),
                "can_create": self.can_create(request.user),
            },
            status=400 if form.errors else 200,
        )

    def _get(self, request, pk: int, *, write: bool = False):
        base = self.model.objects.select_related(self.unit_field, *self.related)
        return get_object_or_404(self._scoped(base, request.user, write=write), pk=pk)

    def detail_view(self, request, pk: int, extra: dict | None = None):
        obj = self._get(request, pk)
        unit = _unit_of(obj, self.unit_field)
        fields = [
            (f.verbose_name, _cell(obj, f.name))
            for f in self.model._meta.get_fields()
            # Bookkeeping (created, updated, version, deleted) is the history's, not the record's.
            if getattr(f, "concrete", False) and not f.auto_created and f.name not in BOOKKEEPING
        ]
        context = {
            "pages": self,
            "obj": obj,
            "fields": fields,
            "can_write": can_write(request.user, unit),
            "can_edit": can_write(request.user, unit) and not self._edit_refusal(obj),
            # Who changed what: for those who read the unit's records in full, not for a member
            # reading their own row or a published item.
            "history": record_history(obj, self.title) if can_read(request.user, unit) else [],
        }
        context.update(extra or {})
        return render(request, self.detail_template, context)

    def create_view(self, request):
        units = writable_units(request.user).order_by("path")
        me = own_person(request.user) if self.self_service and not units.exists() else None
        if me is not None:
            return self._self_service_create(request, me)
        unit, choose = writable_unit_from(
            request, what=self.title, template="crud/choose_unit.html", context={"pages": self}
        )
        if unit is None:
            return choose
        # Links may prefill fields (e.g. the submission an adoption is for): ?submission=12
        initial = {k: v for k, v in request.GET.items() if k in self.form.base_fields and k != "version"}
        form = self.form(request.POST or None, unit=unit, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                obj = self.create(unit=unit, **form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("%(title)s已登记。") % {"title": self.title})
                return redirect(self.url("detail"), pk=obj.pk)
        return render(
            request, "crud/form.html", {"pages": self, "form": form, "unit": unit, "creating": True}
        )

    def _self_service_create(self, request, me: Model):
        """A member records in their own unit, as the person in ``self_service`` and nobody else."""
        form = self.form(request.POST or None, unit=me.unit, initial={self.self_service: me})
        field_ = form.fields[self.self_service]
        field_.queryset = person_model().objects.filter(pk=me.pk)
        field_.error_messages["invalid_choice"] = gettext("只能以本人名义报送。")
        if request.method == "POST" and form.is_valid():
            try:
                obj = self.create(unit=me.unit, **form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("%(title)s已提交。") % {"title": self.title})
                return redirect(self.url("detail"), pk=obj.pk)
        return render(
            request, "crud/form.html", {"pages": self, "form": form, "unit": me.unit, "creating": True}
        )

    def _edit_refusal(self, obj) -> str | None:
        return self.edit_refusal(obj) if self.edit_refusal is not None else None

    def edit_view(self, request, pk: int):
        obj = self._get(request, pk, write=True)
        unit = _unit_of(obj, self.unit_field)
        refusal = self._edit_refusal(obj)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.url("detail"), pk=obj.pk)
        form = self.form(request.POST or None, unit=unit, instance=obj)
        form.fields["version"].required = True  # an edit must say which state it read
        if request.method == "POST" and form.is_valid():
            data = form.service_data()
            version = form.cleaned_data["version"]
            try:
                self.update(record=obj, expected_version=version, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("修改已保存。"))
                return redirect(self.url("detail"), pk=obj.pk)
        return render(request, "crud/form.html", {"pages": self, "form": form, "unit": unit, "obj": obj})

    def urls(self, prefix: str) -> list:
        return [
            path(f"{prefix}/", self.list_view, name=f"{self.name}-list"),
            path(f"{prefix}/new/", self.create_view, name=f"{self.name}-create"),
            path(f"{prefix}/<int:pk>/", self.detail_view, name=f"{self.name}-detail"),
            path(f"{prefix}/<int:pk>/edit/", self.edit_view, name=f"{self.name}-edit"),
        ]


def _unit_of(obj, unit_field: str) -> Model:
    for part in unit_field.split("__"):
        obj = getattr(obj, part)
    return obj


def _cell(obj, attr: str) -> str:
    if attr.endswith("_fen"):
        return money_on_page(getattr(obj, attr))  # money is fen in the table, 元/万元 on the page
    display = getattr(obj, f"get_{attr}_display", None)
    if display is not None:
        return display()
    value = obj
    for part in attr.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
    if hasattr(value, "all") and callable(value.all):
        return "、".join(str(v) for v in value.all())
    if callable(value):
        value = value()
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


class RecordForm(forms.Form):
    """A record's form: people limited to the unit's organisation, ``version`` for edits.

    Subclasses list their fields; ``service_data()`` hands them to the service unchanged.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person_fields: tuple[str, ...] = ()

    def __init__(self, *args, unit: Model, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.unit = unit
        people = organisation_people(unit)
        for name in self.person_fields:
            self.fields[name].queryset = people
            self.fields[name].error_messages["invalid_choice"] = gettext("所选人员不属于本单位，请重新选择。")

    def initial_from(self, instance) -> dict:
        initial = {"version": instance.version}
        for name in self.base_fields:
            if name != "version" and hasattr(instance, name):
                value = getattr(instance, name)
                initial[name] = list(value.all()) if hasattr(value, "all") else value
        return initial

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class UnitCodeField(serializers.SlugRelatedField):
    """A unit named by its code, limited to the units the caller can see."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=unit_model().objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return visible_units(getattr(request, "user", None))


class ScopedField(serializers.PrimaryKeyRelatedField):
    """A record the caller can see (``org.scope``), named by its id: ``rows()`` are the records of its
    kind (a person, a submission, a campaign, a meeting); the service checks that it belongs to the
    record's organisation, with a clear message."""

    def __init__(self, rows: Callable[[], QuerySet] | None = None, **kwargs):
        self.rows = rows or person_model().objects.all
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return scope(self.rows(), getattr(request, "user", None))


# The filters every record list takes (core.filters); examples name demo data, so a schema-driven
# client (Schemathesis) also tries requests that answer 200.
UNIT_FILTER = OpenApiParameter(
    "unit",
    str,
    description=_("单位代码（含下级单位）"),
    examples=[OpenApiExample(_("政协机关"), value="cppcc")],
)
PERIOD_FILTER = OpenApiParameter(
    "period",
    str,
    description=_("期间：2020、2020H1、2020Q3、2020-05"),
    examples=[OpenApiExample(_("2020年"), value="2020")],
)
AS_OF_FILTER = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="截至日期：只列此日及以前的记录（年份 1900–9998）",
    examples=[OpenApiExample("2020年6月30日", value="2020-06-30")],
)
SEARCH_FILTER = OpenApiParameter("q", str, description="标题中的字词，空格分开")


@extend_schema_view(list=extend_schema(parameters=[UNIT_FILTER, PERIOD_FILTER, AS_OF_FILTER, SEARCH_FILTER]))
class RecordViewSet(viewsets.ModelViewSet):
    """A record type's REST endpoints: scoped reads, writes through the module's services.

    Subclasses set ``pages`` (the type's RecordPages: model, unit field, scope and the list's
    FilterSet come from it, so the endpoint's query string reads as the list page's), and
    ``serializer_class``, ``create_service``, ``update_service``, ``delete_service`` (staticmethods).
    """

    pages: RecordPages
    select: tuple[str, ...] = ()
    filter_backends = [FilterBackend]

    @property
    def model(self):
        return self.pages.model

    @property
    def unit_field(self) -> str:
        return self.pages.unit_field

    @property
    def filterset_class(self):
        return self.pages.filterset

    def filter_queryset(self, queryset):
        """The list's filters on the list; a record read by its id is not filtered out by them."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        rows = self.pages._scoped(self.model.objects.all(), self.request.user)
        return rows.select_related(self.unit_field, *self.select)

    def _unit(self, data, instance=None) -> Model:
        if instance is not None:
            return _unit_of(instance, self.unit_field)
        return data["unit"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        unit = self._unit(data)
        if not can_write(self.request.user, unit):
            raise PermissionDenied(gettext("您不能在该单位登记记录。"))
        try:
            serializer.instance = type(self).create_service(**data)
        except ValidationError as exc:
            raise as_api_error(exc) from exc

    def perform_update(self, serializer):
        obj = serializer.instance
        if not can_write(self.request.user, self._unit(None, obj)):
            raise PermissionDenied(gettext("您不能修改该单位的记录。"))
        data = dict(serializer.validated_data)
        if "unit" in data and data.pop("unit") != getattr(obj, "unit", None):
            raise ApiValidationError(
                {"unit": gettext("记录登记后不能改到其他单位；请删除后在目标单位重新登记。")}
            )
        if "version" not in data:
            raise ApiValidationError({"version": gettext("修改时必须提供读取到的版本号（version）。")})
        version = data.pop("version")
        try:
            serializer.instance = type(self).update_service(record=obj, expected_version=version, **data)
        except ValidationError as exc:
            raise as_api_error(exc) from exc

    def perform_destroy(self, instance):
        if not can_write(self.request.user, self._unit(None, instance)):
            raise PermissionDenied(gettext("您不能删除该单位的记录。"))
        type(self).delete_service(record=instance)
