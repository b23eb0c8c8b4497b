"""Reads over the organisation tree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from taizhang.core import stamps
from taizhang.core.units import UNIT_ROW
from taizhang.org.models import OneTimePassword, Person, Position, Unit, UnitKind, path_ids


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    """The unit and everything below it, one indexed query."""
    return Unit.objects.filter(path__startswith=unit.path)


def tree_order(units: Iterable[Unit]) -> list[Unit]:
    """Each unit followed by its sub-units, siblings in the order they were created."""
    return sorted(units, key=lambda u: path_ids(u.path))


def unit_children(unit: Unit) -> list[dict]:
    """The code and name of each unit right below ``unit``, by name: whoever reads the unit reads
    them (a login's units are whole subtrees). Kept until a unit is added or changed below it (an
    undated write: ``core.stamps``); a county's two hundred were read on every visit to its page."""
    return stamps.cached(
        "unit-children",
        unit_id=unit.pk,
        parts=(),
        compute=lambda: list(Unit.objects.filter(parent=unit).order_by("name").values("code", "name")),
        years=[],
    )


def unit_ancestors(unit: Unit) -> QuerySet[Unit]:
    """From the root down to the unit itself."""
    return Unit.objects.filter(pk__in=unit.ancestor_ids).order_by("depth")


def units_near(units: QuerySet[Unit], tops: QuerySet[Unit], unit: Unit | None = None) -> QuerySet[Unit]:
    """Of ``units`` (the forest a login sees, whose tops are ``tops``), the tops and their children
    and, with ``unit``, the chain from its top down to it and its children: what a unit chooser
    lists when the whole forest is too long to send. Found by ids and parent ids, so only these
    rows are read."""
    tops = tops.values("pk")
    near = Q(pk__in=tops) | Q(parent__in=tops)
    if unit is not None:
        near |= Q(pk__in=unit.ancestor_ids) | Q(parent=unit)
    return units.filter(near).order_by()


def unit_matches(units: QuerySet[Unit], words: str, *, limit: int) -> tuple[list[tuple], set[str], bool]:
    """Up to ``limit`` of ``units`` whose name, short name or code holds ``words`` (the shallowest
    first, then as created), with the units above each of them within ``units``, so a chooser shows
    where each sits: the rows (``UNIT_ROW``) in tree order, the codes that matched, and whether
    more matched."""
    found = list(
        units.filter(Q(name__icontains=words) | Q(short_name__icontains=words) | Q(code__icontains=words))
        .order_by("depth", "pk")
        .values_list("code", "path")[: limit + 1]
    )
    more, found = len(found) > limit, found[:limit]
    ids = {pk for _, path in found for pk in path_ids(path)}
    rows = sorted(units.filter(pk__in=ids).values_list(*UNIT_ROW), key=lambda row: path_ids(row[3]))
    return rows, {code for code, _ in found}, more


def organisation_of(unit: Unit) -> Unit:
    """The whole organisation a unit belongs to: its top-most ancestor that is not a region.

    A county deployment roots its tree in a region (县), whose units are separate organisations;
    an organ's offices and cells are parts of one organisation, whose people attend each other's
    activities.
    """
    for ancestor in unit_ancestors(unit):
        if ancestor.kind != UnitKind.REGION:
            return ancestor
    return unit


def organisation_people(unit: Unit) -> QuerySet[Person]:
    """Everyone who may attend an activity of ``unit``: the people of its organisation."""
    return Person.objects.filter(unit__path__startswith=organisation_of(unit).path).select_related("unit")


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first()


def post_holders(*, unit_ids: Iterable[int], day: date) -> dict[tuple[int, str], list[Person]]:
    """Who holds each post of each unit on ``day``, by (unit id, post): one query for a whole list."""
    rows = (
        Position.objects.filter(unit_id__in=list(unit_ids), person__deleted=False)
        .filter(Q(start__isnull=True) | Q(start__lte=day))
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("person")
        .order_by("start", "id")
    )
    out: dict[tuple[int, str], list[Person]] = {}
    for row in rows:
        out.setdefault((row.unit_id, row.post), []).append(row.person)
    return out


def password_change_pending(user) -> bool:
    """Whether ``user`` still signs in with a one-time password someone else set (see ``OneTimePassword``)."""
    return OneTimePassword.objects.filter(user=user, changed__isnull=True).exists()
