"""What ``core`` needs of the organisation: the unit and person models, who may read and write where,
a unit's organisation and people, whether a login still holds a one-time password.

``core`` sits below every domain app and imports none of them; ``org`` registers these answers when
the apps are ready (``org.apps.OrgConfig.ready`` calls ``register``), the way Django's auth asks
``settings.AUTH_USER_MODEL`` for its user instead of importing it. The functions below keep the
names and signatures of ``org.scope`` and ``org.queries``, so a caller in ``core`` reads as before.
Asked before ``org`` registered (an app loaded without it), they fail loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet

from taizhang.core.hooks import Hooks

_org = Hooks("core.units", "the org app (org.apps)")

# what a chooser draws of a unit: its code, name, depth and path
UNIT_ROW = ("code", "name", "depth", "path")


def register(**parts: Any) -> None:
    """Called by ``org`` when the apps are ready: ``unit_model``, ``person_model`` and the functions
    named below, each by its name."""
    _org.register(**parts)


def _delegate(name: str) -> Callable:
    def call(*args, **kwargs):
        return getattr(_org, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``{name}`` as ``org`` registered it."
    return call


def unit_model() -> type[Model]:
    """The unit of the organisation tree (``org.Unit``)."""
    return _org.unit_model


def person_model() -> type[Model]:
    """A person of a unit (``org.Person``)."""
    return _org.person_model


def path_ids(path: str) -> list[int]:
    """The ids a materialised path names, root first: also the key that sorts units in tree order
    (compared as numbers: as text, ``/9/10/`` would sort before ``/9/9/``)."""
    return [int(part) for part in path.strip("/").split("/") if part]


# org.scope: the units a login reads and writes, and the records it may see
visible_units: Callable[[Any], QuerySet] = _delegate("visible_units")
writable_units: Callable[[Any], QuerySet] = _delegate("writable_units")
reads_anywhere: Callable[[Any], bool] = _delegate("reads_anywhere")
writes_anywhere: Callable[[Any], bool] = _delegate("writes_anywhere")
top_units: Callable[..., QuerySet] = _delegate("top_units")
top_paths: Callable[..., list[tuple[int, str]] | None] = _delegate("top_paths")
can_read: Callable[[Any, Model], bool] = _delegate("can_read")
can_write: Callable[[Any, Model], bool] = _delegate("can_write")
own_person: Callable[[Any], Model | None] = _delegate("own_person")
scope: Callable[..., QuerySet] = _delegate("scope")
# org.queries: a unit's organisation and its people, the units a chooser shows, a pending password
organisation_of: Callable[[Model], Model] = _delegate("organisation_of")
organisation_people: Callable[[Model], QuerySet] = _delegate("organisation_people")
units_near: Callable[..., QuerySet] = _delegate("units_near")
password_change_pending: Callable[[Any], bool] = _delegate("password_change_pending")
