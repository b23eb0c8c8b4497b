"""A record type's pages, endpoints, form and serializer, built from its declaration (``core.registry``).

``pages_of(code)`` is the type's ``core.crud.RecordPages`` (its list columns, its filters, its services
and form), ``viewset_of(code)`` its REST endpoints with the same FilterSet and scope, ``record_urls``
and ``register_viewsets`` put them under the app's URLs and the API's router (NetBox's
``get_model_urls``), and ``record_form`` / ``record_serializer`` generate what only repeats the model.
"""

from __future__ import annotations

import functools
from typing import Any

import django_filters as df
from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from taizhang.core.crud import RecordForm, RecordPages, RecordViewSet, ScopedField, UnitCodeField
from taizhang.core.registry import RecordType, record_type, resolve, table_types
from taizhang.core.units import person_model

# -- pages and endpoints built from a record type's declaration ---------------------------------------


def _list_columns(declared: RecordType) -> list[tuple[str, str]]:
    listed = sorted((c for c in declared.columns if c.listed), key=lambda c: c.listed)
    return [(c.list_header or c.header, c.attribute) for c in listed]


def _filter_fields(declared: RecordType, model) -> dict:
    """The type's own filters: a select of each filtered column's choices, then its yes/no boxes."""
    fields: dict = {}
    for column in declared.columns:
        if column.filter:
            choices = model._meta.get_field(column.field).choices
            fields[column.field] = df.ChoiceFilter(
                label=column.filter, choices=choices, empty_label=_("全部")
            )
    for extra in declared.filters:
        fields[extra.name] = df.BooleanFilter(
            label=extra.label, method=resolve(extra.method), widget=df.widgets.forms.CheckboxInput
        )
    return fields


def _maybe(path: str):
    return resolve(path) if path else None


@functools.cache
def pages_of(code: str) -> RecordPages:
    """The pages of record type ``code``'s table, built once from its declaration (``core.registry``:
    ``page``, ``columns``, ``filters``): the list page, the API endpoint and the URLs share them."""
    declared = record_type(code)
    page = declared.page
    if page is None or page.hand_written:
        raise LookupError(f"record type {code!r} declares no generated pages")
    model = apps.get_model(declared.model)
    cls = resolve(page.cls) if page.cls else RecordPages
    return cls(
        model=model,
        app=page.app,
        name=page.name,
        title=page.title,
        form=resolve(page.form) if page.form else record_form(model, page.fields),
        create=resolve(page.create),
        update=resolve(page.update),
        columns=_list_columns(declared),
        record_type=code,
        date_field=page.date_field,
        search=page.search,
        filter_fields=_filter_fields(declared, model),
        period=_maybe(page.period),
        as_of=_maybe(page.as_of),
        related=list(page.related),
        detail_template=page.detail_template or "crud/detail.html",
        own=page.own or None,
        published=_maybe(page.published),
        self_service=page.self_service or None,
        edit_refusal=_maybe(page.edit_refusal),
    )


def record_urls(app: str) -> list:
    """The URLs of the pages of every record type of ``app`` (NetBox's ``get_model_urls``)."""
    out = []
    for declared in table_types():
        page = declared.page
        if page is not None and page.app == app and not page.hand_written:
            out += pages_of(declared.code).urls(page.prefix)
    return out


@functools.cache
def viewset_of(code: str) -> type:
    """Record type ``code``'s REST endpoints: its hand-written ViewSet, or one built from its declaration
    (the pages' FilterSet and scope, the module's serializer and services)."""
    declared = record_type(code)
    api = declared.api
    if api.viewset:
        return resolve(api.viewset)
    page = declared.page
    model = apps.get_model(declared.model)
    serializer = (
        resolve(api.serializer) if api.serializer else record_serializer(model, api.fields, api.read_only)
    )
    model_name = model.__name__
    return type(
        f"{model_name}ViewSet",
        (RecordViewSet,),
        {
            "__module__": serializer.__module__,
            "__doc__": f"{declared.name}：{RecordViewSet.__doc__.splitlines()[0]}",
            "pages": pages_of(code),
            "serializer_class": serializer,
            "select": api.select,
            "create_service": staticmethod(resolve(page.create)),
            "update_service": staticmethod(resolve(page.update)),
            "delete_service": staticmethod(resolve(api.delete)),
        },
    )


def register_viewsets(router) -> None:
    """Every record type's endpoints on the API's router, at its declared prefix."""
    for declared in table_types():
        if declared.api is not None:
            router.register(declared.api.prefix, viewset_of(declared.code), basename=declared.api.basename)


# -- forms that only repeat the model -----------------------------------------------------------------


def _form_field(model_field, rows: int) -> forms.Field:
    """The form field a model field asks for: its label, help, whether it may be blank, its choices;
    dates and multi-line text as every form of the application has them (``core.forms``)."""
    from taizhang.core.forms import DateField, TextField

    kwargs: dict[str, Any] = {
        "label": model_field.verbose_name,
        "required": not model_field.blank,
        "help_text": model_field.help_text,
    }
    if model_field.has_default() and not callable(model_field.default):
        kwargs["initial"] = model_field.default
    if model_field.many_to_many:
        return forms.ModelMultipleChoiceField(queryset=model_field.related_model.objects.none(), **kwargs)
    if model_field.is_relation:
        return forms.ModelChoiceField(queryset=model_field.related_model.objects.all(), **kwargs)
    if model_field.choices:
        return forms.ChoiceField(choices=model_field.choices, **kwargs)
    internal = model_field.get_internal_type()
    if internal == "DateField":
        return DateField(**kwargs)
    if internal == "TextField":
        return TextField(rows=rows, **kwargs)
    if internal == "URLField":
        return forms.URLField(max_length=model_field.max_length, assume_scheme="https", **kwargs)
    if "Integer" in internal:
        minimum = 0 if "Positive" in internal else None
        return forms.IntegerField(min_value=minimum, **kwargs)
    return forms.CharField(max_length=model_field.max_length, **kwargs)


def record_form(
    model: type, names: tuple[str, ...], *, base: type[RecordForm] | None = None, rows: int = 3, **fields
) -> type[RecordForm]:
    """A record's form generated from its model: a field for each of ``names`` in order, as the model
    declares it (``fields`` replace the few a page words otherwise); people are the unit's people
    (``RecordForm.person_fields``), other related records any the field may name until ``base`` narrows
    them."""
    attrs: dict[str, Any] = {}
    people = []
    for name in names:
        if name in fields:
            attrs[name] = fields[name]
            continue
        model_field = model._meta.get_field(name)
        attrs[name] = _form_field(model_field, rows)
        if model_field.is_relation and model_field.related_model is person_model():
            attrs[name].queryset = person_model().objects.none()
            people.append(name)
    attrs["person_fields"] = tuple(people)
    attrs["__module__"] = model.__module__.replace(".models", ".forms")
    return type(f"{model.__name__}Form", (base or RecordForm,), attrs)


def record_serializer(model: type, names: tuple[str, ...], read_only: tuple[str, ...] = ()) -> type:
    """A record's serializer generated from its model: the unit by its code, people and other records
    by their ids among those the caller can see (``ScopedField``), ``version`` for edits."""
    attrs: dict[str, Any] = {}
    for name in names:
        model_field = model._meta.get_field(name)
        if name == "unit":
            attrs[name] = UnitCodeField()
        elif model_field.is_relation and name not in read_only:
            related = model_field.related_model
            kwargs = {"many": True} if model_field.many_to_many else {"allow_null": model_field.null}
            attrs[name] = ScopedField(related.objects.all, required=not model_field.blank, **kwargs)
    attrs["version"] = serializers.IntegerField(required=False, help_text="修改时必填：您读取到的版本号")
    meta = {
        "model": model,
        "fields": ["id", *names, "version", "created", "updated"],
        "read_only_fields": [*read_only, "created", "updated"],
    }
    attrs["Meta"] = type("Meta", (), meta)
    attrs["__module__"] = model.__module__.replace(".models", ".api")
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), attrs)
