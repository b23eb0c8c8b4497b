"""What tells ``core.stamps`` that a write happened, and where: django-simple-history's signal for
every history entry, the record querysets' bulk paths (``core.models``) and the vocabularies every
result may read."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from taizhang.core import units
from taizhang.core.stamps import DATED, UNREAD, _year, changed

IGNORED = "ignored"


@cache
def _route(model: type) -> tuple[str, type | None] | str | None:
    """How a record of ``model`` names its unit: (attname on the record, None) for the record's own
    unit (the unit itself for a unit), (attname, model) for a record whose unit is that of the row
    it points to (attendance → activity); ``IGNORED`` for records no result reads; None: no unit
    (a write there invalidates everything)."""
    Unit = units.unit_model()
    if model._meta.label in UNREAD:
        return IGNORED
    if issubclass(model, Unit):
        return ("pk", None)
    fields = {f.name: f for f in model._meta.concrete_fields if f.is_relation}
    unit = fields.get("unit")
    if unit is not None and issubclass(unit.related_model, Unit):
        return (unit.attname, None)
    for relation in fields.values():
        target = relation.related_model
        owner = next((f for f in target._meta.concrete_fields if f.name == "unit" and f.is_relation), None)
        if owner is not None and issubclass(owner.related_model, Unit):
            return (relation.attname, target)
    return None


def _noted_route(model: type) -> tuple[str, type | None] | None:
    """``_route`` of ``model`` for a write to note by its rows; None when there is nothing more to
    note: no result reads the model, or it has no unit and everything was noted."""
    route = _route(model)
    if route == IGNORED:
        return None
    if route is None:
        changed(everything=True)
        return None
    return route


def note_records(model: type, records: Iterable) -> None:
    """Rows of ``model`` written without a history entry (``bulk_create``, ``bulk_update``): note
    their units."""
    route = _noted_route(model)
    if route is None:
        return
    attname, via = route
    dated = DATED.get(model._meta.label)
    for record in records:
        _note(via, [getattr(record, attname)], _year(getattr(record, dated)) if dated else None)


def note_rows(queryset, changes: dict) -> None:
    """``queryset.update(**changes)`` is about to write without history (only ``record_update``
    writes its entries itself): note the units of the rows it selects, and the unit it moves them
    to."""
    route = _noted_route(queryset.model)
    if route is None:
        return
    attname, via = route
    dated = DATED.get(queryset.model._meta.label)
    if dated:
        rows = set(queryset.values_list(attname, dated))
        for value, day in rows:
            _note(via, [value], _year(day))
    else:
        rows = {(value, None) for value in queryset.values_list(attname, flat=True)}
        _note(via, [value for value, _ in rows])
    model = queryset.model
    field = model._meta.pk if attname == "pk" else model._meta.get_field(attname)
    for name in {field.name, field.attname} & set(changes):
        target = getattr(changes[name], "pk", changes[name])
        if not isinstance(target, int):  # an expression: wherever it leads
            changed(everything=True)
            continue
        for _, day in rows or [(None, None)]:
            _note(via, [target], _year(day))
    if dated and dated in changes:  # moved to another day: the units' results of that year too
        day = changes[dated]
        if not hasattr(day, "year"):
            changed(everything=True)
        else:
            _note(via, {value for value, _ in rows}, day.year)


def _note(via: type | None, values: Iterable[int | None], year: int | None = None) -> None:
    if via is None:
        changed(unit_ids=values, years=[year])
    else:
        changed(via=(via, values))


def note_history(sender, instance, history_instance, **kwargs) -> None:
    """django-simple-history wrote an entry for ``instance``: note the unit it belongs to (and the one
    it belonged to before, when an edit may have moved it)."""
    route = _noted_route(type(instance))
    if route is None:
        return
    attname, via = route
    value = getattr(instance, attname)
    if via is not None:
        changed(via=(via, [value]))
        return
    dated = DATED.get(type(instance)._meta.label)
    year = _year(getattr(instance, dated)) if dated else None
    changed(unit_ids=[value], years=[year])
    if attname != "pk" and history_instance.history_type == "~":
        # a person moved to another unit leaves the first one; an activity moved to another year, that year
        before = history_instance.prev_record
        if before is not None:
            earlier = _year(getattr(before, dated)) if dated else None
            if (getattr(before, attname), earlier) != (value, year):
                changed(unit_ids=[getattr(before, attname)], years=[earlier])


def note_vocabulary(sender, **kwargs) -> None:
    """A framework, requirement, assignment, activity kind or area changed: every result may read it."""
    changed(everything=True)


def connect() -> None:
    """Called once by ``core.apps``: the signals that note writes."""
    from django.db.models.signals import post_migrate
    from simple_history.signals import post_create_historical_record

    post_create_historical_record.connect(note_history, dispatch_uid="taizhang-stamps-history")
    post_migrate.connect(note_vocabulary, dispatch_uid="taizhang-stamps-migrate")


def watch_vocabulary(*models: type) -> None:
    """Called by the apps that own a vocabulary every result may read (``org``: areas; ``ledger``:
    activity kinds; ``rules``: frameworks, their requirements and assignments) when they are ready:
    a change to one of its rows moves the deployment's token."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(note_vocabulary, sender=model, dispatch_uid=f"taizhang-stamps-{model.__name__}")
