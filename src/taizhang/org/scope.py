"""Who may see and change what: the one place every view, API, export and command asks.

Roles (``Grant.role``):

* ``admin`` and ``unit_admin`` read and write the unit and its subtree;
* ``leader`` reads the unit's subtree in full (and approves, in the modules that approve);
* ``member`` reads only what is theirs: their own person, their own attendance, reflections and
  submissions (rows whose ``own`` lookup leads to their Person), and the items their organisation
  has published (rows matching the ``published`` filter a module passes, in any unit of the
  organisation their member unit belongs to). A member never reads the unit's ledger as a whole.

Superusers see and change everything. Querysets are narrowed with subqueries, so scoping a list
costs no extra round trip, and a row outside the scope is simply absent: object URLs answer 404.
"""

from __future__ import annotations

from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet, Value

from taizhang.core import stamps
from taizhang.core.units import path_ids
from taizhang.org.models import Grant, Person, Role, Unit

# A login reading more units than this (a city's leader) is scoped by a test the database checks
# row by row rather than an index it reads through (see ``scope``).
MANY_UNITS = 500
READ_ROLES = {Role.ADMIN, Role.UNIT_ADMIN, Role.LEADER}
WRITE_ROLES = {Role.ADMIN, Role.UNIT_ADMIN}
MEMBER_ROLES = {Role.MEMBER}


def _grants(user) -> list[tuple[str, str, int]]:
    """(role, unit path, unit id) of the user's grants, read once per request (with the ids of the
    granted units that are deleted: ``holds_any``)."""
    cached = getattr(user, "_taizhang_grants", None)
    if cached is None:
        rows = Grant.objects.filter(user=user).values_list("role", "unit__path", "unit_id", "unit__deleted")
        cached = [row[:3] for row in rows]
        user._taizhang_grants = cached
        user._taizhang_granted_deleted = {row[2] for row in rows if row[3]}
    return cached


def writes_anywhere(user) -> bool:
    """Whether ``writable_units(user)`` holds any unit (``holds_any``)."""
    return holds_any(user, WRITE_ROLES)


def reads_anywhere(user) -> bool:
    """Whether ``visible_units(user)`` holds any unit (``holds_any``)."""
    return holds_any(user, READ_ROLES)


def holds_any(user, roles: set[str]) -> bool:
    """Whether ``_units(user, roles)`` holds any unit, without a query for most logins: a live unit
    granted is in its own subtree; only grants of deleted units ask whether a live unit is left
    below them (every page's header asks this: a query a page on a city's PostgreSQL)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return Unit.objects.exists()
    granted = [unit_id for role, _, unit_id in _grants(user) if role in roles]
    if any(unit_id not in user._taizhang_granted_deleted for unit_id in granted):
        return True
    return bool(granted) and _units(user, roles).exists()


def _units_q(user, roles: set[str], *, subtree: bool = True) -> Q | None:
    """A filter on Unit for the grants of ``roles``; None means nothing."""
    q = None
    for role, path, unit_id in _grants(user):
        if role not in roles:
            continue
        part = Q(path__startswith=path) if subtree else Q(pk=unit_id)
        q = part if q is None else q | part
    return q


def _units(user, roles: set[str], *, subtree: bool = True) -> QuerySet[Unit]:
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    q = _units_q(user, roles, subtree=subtree)
    return Unit.objects.filter(q) if q is not None else Unit.objects.none()


def visible_units(user) -> QuerySet[Unit]:
    """Units whose ledger the user may read in full (admin, unit admin, leader: each a subtree)."""
    return _units(user, READ_ROLES)


def top_units(user, *, write: bool = False, roles: set[str] | None = None) -> QuerySet[Unit]:
    """The tops of the forest ``visible_units`` (``write``: ``writable_units``; ``roles``: the units
    of grants of those roles) gives: the units of the user's grants that none of their other grants
    covers; a superuser's, the roots. Read from the grants, so a chooser can start the tree of a
    city without reading the city."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.filter(parent__isnull=True)
    tops = _tops(user, roles or (WRITE_ROLES if write else READ_ROLES))
    return Unit.objects.filter(pk__in=[unit_id for unit_id, _ in tops])


def top_paths(user, *, write: bool = False) -> list[tuple[int, str]] | None:
    """(id, path) of the units ``top_units`` gives, in tree order, read from the grants alone (no
    query): the login's units (``visible_units``, ``writable_units``) are the subtrees at these
    paths. None for a superuser, whose tops are the roots (read from the units)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return None
    return _tops(user, WRITE_ROLES if write else READ_ROLES)


def _tops(user, roles: set[str]) -> list[tuple[int, str]]:
    """(id, path) of the units of the user's grants of ``roles`` that no other of them covers."""
    paths = {path: unit_id for role, path, unit_id in _grants(user) if role in roles}
    tops = [path for path in paths if not any(path.startswith(p) for p in paths if p != path)]
    return [(paths[path], path) for path in sorted(tops, key=path_ids)]


LEAD_ROLES = {Role.ADMIN, Role.LEADER}


def leading_units(user) -> QuerySet[Unit]:
    """Units the user oversees as a leader or an administrator (whose home is the dashboard)."""
    return _units(user, LEAD_ROLES)


def writable_units(user) -> QuerySet[Unit]:
    """Units whose records the user may create, change, delete and restore."""
    return _units(user, WRITE_ROLES)


def member_units(user) -> QuerySet[Unit]:
    """Units the user belongs to as a member (the unit itself, not its subtree)."""
    return _units(user, MEMBER_ROLES, subtree=False)


def member_organisations(user) -> QuerySet[Unit]:
    """Every unit of the organisations the user is a member in: what has been published there
    (on the organisation's own channels) is meant for all its members, office or organ alike."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    from taizhang.org.queries import organisation_of

    q = None
    for unit in member_units(user):
        part = Q(path__startswith=organisation_of(unit).path)
        q = part if q is None else q | part
    return Unit.objects.filter(q) if q is not None else Unit.objects.none()


def own_person(user) -> Person | None:
    """The person a login stands for, if any (members sign in and write reflections as themselves)."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = Person.objects.select_related("unit").filter(user=user).first()
    if person is not None:
        # The same row the header reads to name the login (``user.person``: core.history.user_name),
        # kept on the login so the page does not read it twice; None is not kept (that accessor
        # also finds a person deleted since, and names the login by them).
        Person._meta.get_field("user").remote_field.set_cached_value(user, person)
    return person


def scope(
    queryset: QuerySet,
    user,
    *,
    unit_field: str = "unit",
    write: bool = False,
    own: str | None = None,
    published: Q | None = None,
) -> QuerySet:
    """Narrow ``queryset`` to rows the user may read (or, with ``write``, change).

    ``unit_field`` leads from the row to its Unit (``"self"`` when the rows are units). For reads,
    ``own`` leads from the row to a Person (``"person"``, ``"attendances__person"``, ``"self"``): rows of the
    user's own person are readable whatever the role; ``published`` is the filter of the rows a
    member of the row's unit may read. Neither ever widens a write.
    """
    if getattr(user, "is_superuser", False):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    units = writable_units(user) if write else visible_units(user)
    lookup = "pk__in" if unit_field == "self" else f"{unit_field}__in"
    q = Q(**{lookup: units.values("pk")})
    if _many(user, units, write):
        # The database would read a city leader's rows through the (unit, …) index, one unit of
        # ten thousand after another, and sort them all: for a county chosen in the filters it
        # preferred this list to the county's two hundred units, and a list of the whole city
        # could not walk its date index to the newest fifty. As an expression (unit + 0) the
        # scope is checked on each row the other filters or the ordering lead to.
        column = "pk" if unit_field == "self" else unit_field
        queryset = queryset.alias(
            _scope_unit=ExpressionWrapper(F(column) + Value(0), output_field=BigIntegerField())
        )
        in_units = Q(_scope_unit__in=units.values("pk"))
    else:
        in_units = q
    if not write and own is not None:
        # A subquery rather than a join, so a multi-valued ``own`` path never duplicates rows. Only
        # the user's rows outside the units they read, and only when there are any (one indexed
        # look-up): an OR in every list's WHERE kept the database from reading a leader's records
        # through an index (a city's list sorted all its million activities).
        # The person read once per request (the header asks for it too): a login that stands for
        # nobody has no rows of its own, and one that does is looked up by its person's id.
        person = getattr(user, "person", None)
        if person is not None:
            key = "pk" if own == "self" else own
            beyond = queryset.model._default_manager.filter(**{key: person.pk}).exclude(q).values("pk")
            if beyond.exists():
                in_units |= Q(pk__in=beyond)
    if not write and published is not None:
        in_units |= Q(**{lookup: member_organisations(user).values("pk")}) & published
    return queryset.filter(in_units)


def reads_subtree(user, unit: Unit | None) -> bool:
    """Whether ``scope`` lets ``user`` read every row of every unit of ``unit``'s subtree: a unit the
    login reads in full (a grant of a reading role at it or above it), none of whose units is
    deleted (``visible_units`` leaves a deleted unit's rows out). A list narrowed to such a subtree
    needs no scope: its subqueries, and its look-up of the login's own rows elsewhere, would leave
    every row in. Whether a deleted unit lies in the subtree is kept until a unit there changes (an
    undated write: ``core.stamps``)."""
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_superuser and not any(
        role in READ_ROLES and unit.path.startswith(path) for role, path, _ in _grants(user)
    ):
        return False
    return not stamps.cached(
        "subtree-deleted",
        unit_id=unit.pk,
        parts=(unit.path,),
        compute=lambda: Unit.all_objects.filter(path__startswith=unit.path, deleted=True).exists(),
        years=[],
    )


def scope_key(user) -> tuple:
    """What decides the rows ``scope`` lets a login read: its grants and the person it stands for.
    Two logins with the same key read the same rows, so a result kept under it (``core.stamps``)
    is one the login may see (a grant moves no generation: the key changes instead)."""
    if getattr(user, "is_superuser", False):
        return ("superuser",)
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    person = getattr(user, "person", None)
    return (tuple(sorted(_grants(user))), person.pk if person is not None else None)


def subtree_size(unit_id: int, path: str) -> int:
    """How many units the subtree of unit ``unit_id`` (at ``path``) holds, itself included; kept
    until a unit is added or removed there (an undated write: ``core.stamps``), since counting a
    city's ten thousand units on every visit was a query a page."""
    return stamps.cached(
        "subtree-size",
        unit_id=unit_id,
        parts=(path,),
        compute=lambda: Unit.objects.filter(path__startswith=path).count(),
        years=[],
    )


def _many(user, units: QuerySet[Unit], write: bool) -> bool:
    """Whether ``units`` (the user's readable or writable units) are more than ``MANY_UNITS``;
    counted once per request."""
    key = "_taizhang_many_write" if write else "_taizhang_many_read"
    many = getattr(user, key, None)
    if many is None:
        roles = WRITE_ROLES if write else READ_ROLES
        granted = {(unit_id, path) for role, path, unit_id in _grants(user) if role in roles}
        if len(granted) == 1:  # one subtree (most logins): its kept size
            [(unit_id, path)] = granted
            many = subtree_size(unit_id, path) > MANY_UNITS
        else:
            many = units[: MANY_UNITS + 1].count() > MANY_UNITS
        setattr(user, key, many)
    return many


def can_read(user, unit: Unit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return visible_units(user).filter(pk=unit.pk).exists()


APPROVE_ROLES = {Role.ADMIN, Role.LEADER}


def can_approve(user, unit: Unit) -> bool:
    """Leaders (and admins) approve what their subtree publishes or hands in: reviews, documents."""
    if getattr(user, "is_superuser", False):
        return True
    return _units(user, APPROVE_ROLES).filter(pk=unit.pk).exists()


def can_write(user, unit: Unit) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return writable_units(user).filter(pk=unit.pk).exists()


def can_see_personal_data(user, unit: Unit) -> bool:
    """Phone numbers and other personal data of a unit's people: only the admins of that unit.

    Asked once per person of a list, so the user's writable unit ids are read once and kept.
    """
    if getattr(user, "is_superuser", False):
        return True
    ids = getattr(user, "_taizhang_writable_ids", None)
    if ids is None:
        ids = set(writable_units(user).values_list("pk", flat=True))
        if getattr(user, "is_authenticated", False):
            user._taizhang_writable_ids = ids
    return unit.pk in ids
