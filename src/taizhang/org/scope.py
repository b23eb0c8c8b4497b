"""Who may see and change which units: the one place every view, API, export and command asks.

A grant of ``admin``, ``unit_admin`` or ``leader`` covers the unit and its subtree; ``member``
covers the unit itself. Superusers see everything. Querysets are narrowed with a subquery, so
scoping a list costs no extra round trip.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from taizhang.org.models import Grant, Role, Unit

READ_ROLES = {Role.ADMIN, Role.UNIT_ADMIN, Role.LEADER, Role.MEMBER}
WRITE_ROLES = {Role.ADMIN, Role.UNIT_ADMIN}
_SUBTREE_ROLES = {Role.ADMIN, Role.UNIT_ADMIN, Role.LEADER}


def _grants(user) -> list[tuple[str, str, int]]:
    """(role, unit path, unit id) of the user's grants, read once per request."""
    cached = getattr(user, "_taizhang_grants", None)
    if cached is None:
        cached = list(Grant.objects.filter(user=user).values_list("role", "unit__path", "unit_id"))
        user._taizhang_grants = cached
    return cached


def _units_q(user, roles: set[str]) -> Q | None:
    """A filter on Unit for the grants of ``roles``; None means nothing."""
    q = None
    for role, path, unit_id in _grants(user):
        if role not in roles:
            continue
        part = Q(path__startswith=path) if role in _SUBTREE_ROLES else Q(pk=unit_id)
        q = part if q is None else q | part
    return q


def visible_units(user) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    q = _units_q(user, READ_ROLES)
    return Unit.objects.filter(q) if q is not None else Unit.objects.none()


def writable_units(user) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    q = _units_q(user, WRITE_ROLES)
    return Unit.objects.filter(q) if q is not None else Unit.objects.none()


def scope(queryset: QuerySet, user, *, unit_field: str = "unit", write: bool = False) -> QuerySet:
    """Narrow ``queryset`` to rows whose ``unit_field`` the user may read (or write)."""
    if getattr(user, "is_superuser", False):
        return queryset
    units = writable_units(user) if write else visible_units(user)
    lookup = "pk__in" if unit_field == "self" else f"{unit_field}__in"
    return queryset.filter(**{lookup: units.values("pk")})


def can_write(user, unit: Unit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return writable_units(user).filter(pk=unit.pk).exists()
