"""Writes to the organisation: units keep their tree path, catalogue rows follow the framework file."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from taizhang.core.framework_file import read_framework, rules_file
from taizhang.org.models import Area, Duty, Grant, Person, Position, Responsibility, Unit


@transaction.atomic
def unit_create(*, code: str, name: str, kind: str, parent: Unit | None = None, short_name: str = "") -> Unit:
    """Create a unit under ``parent`` and give it its materialised path."""
    unit = Unit(code=code, name=name, kind=kind, parent=parent, short_name=short_name)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    prefix = parent.path if parent else "/"
    unit.path = f"{prefix}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def person_create(
    *,
    unit: Unit,
    name: str,
    job_title: str = "",
    phone: str = "",
    is_party_member: bool = True,
    user=None,
) -> Person:
    person = Person(
        unit=unit, name=name, job_title=job_title, phone=phone, is_party_member=is_party_member, user=user
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def position_create(
    *, person: Person, unit: Unit, post: str, title: str = "", start: date | None = None
) -> Position:
    position = Position(person=person, unit=unit, post=post, title=title, start=start)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def responsibility_set(*, unit: Unit, area: Area, person: Person, duty: str) -> Responsibility:
    """Put ``person`` in the matrix cell (unit, area) with ``duty``; one accountable person per cell."""
    if duty == Duty.ACCOUNTABLE:
        clash = Responsibility.objects.filter(unit=unit, area=area, duty=Duty.ACCOUNTABLE).exclude(
            person=person
        )
        if clash.exists():
            raise ValidationError(
                {
                    "duty": gettext("%(unit)s在“%(area)s”已有负总责的人：%(clash_first_person)s。")
                    % {"unit": unit, "area": area, "clash_first_person": clash.first().person}
                }
            )
    row, _ = Responsibility.objects.update_or_create(
        unit=unit, area=area, person=person, defaults={"duty": duty}
    )
    return row


@transaction.atomic
def grant_create(*, user, unit: Unit, role: str) -> Grant:
    grant, _ = Grant.objects.get_or_create(user=user, unit=unit, role=role)
    return grant


def areas_sync(*, path) -> list[Area]:
    """Create or rename the areas the framework file lists; areas it no longer lists are kept."""
    data = read_framework(path)
    out = []
    for position, row in enumerate(data.get("areas") or [], start=1):
        area, _ = Area.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row.get("order", position)}
        )
        out.append(area)
    return out


def areas_sync_from_default_framework(**_kwargs) -> None:
    areas_sync(path=rules_file())
