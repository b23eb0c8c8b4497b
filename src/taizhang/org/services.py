"""Writes to the organisation: units keep their tree path, catalogue rows follow the framework file.

People, posts, duties and grants are never deleted by a unit admin: a post ends on a date, a person
who leaves is ended (their open posts end, their duties are withdrawn, their login is disabled) and
can be restored; every change is a versioned update that keeps its history.
"""

from __future__ import annotations

import copy
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core.framework_file import read_framework, rules_file
from taizhang.core.services import record_restore, record_soft_delete, record_update, token_revoke
from taizhang.org.models import (
    Area,
    Duty,
    Grant,
    OneTimePassword,
    Person,
    Position,
    Responsibility,
    Role,
    Unit,
    profile_from_name,
)
from taizhang.org.scope import writable_units


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    profile: str | None = None,
) -> Unit:
    """Create a unit under ``parent`` and give it its materialised path. Without a ``profile`` the
    unit gets the one its name makes obvious (县人民医院 → hospital), else none until someone says."""
    if profile is None:
        profile = profile_from_name(name)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, short_name=short_name, profile=profile)
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
def person_update(*, record: Person, expected_version: int | None, **changes) -> Person:
    """Change a person's unit, name, title, phone or membership (not their login: see ``login_grant``)."""
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def person_end(*, person: Person, day: date, by=None) -> Person:
    """A person leaves on ``day``: their open posts end that day, their duties in the matrix are
    withdrawn and their login is disabled; the person is hidden from lists and choosers but kept
    (their past attendance still names them) and ``person_restore`` brings them back."""
    if person.deleted:
        raise ValidationError({"end": gettext("%(name)s已经离开，无需重复办理。") % {"name": person.name}})
    if person.user_id is not None and login_beyond_admin(person.user, by):
        raise ValidationError(
            {
                "end": gettext("%(name)s的账号另有您管理范围以外的授权，请由上级管理员办理离开。")
                % {"name": person.name}
            }
        )
    open_posts = person.positions.filter(Q(end__isnull=True) | Q(end__gt=day))
    for position in open_posts:
        if position.start and day < position.start:
            raise ValidationError(
                {
                    "end": gettext("离开日期不能早于%(unit)s的任职日期（%(start)s）。")
                    % {"unit": position.unit, "start": f"{position.start:%Y-%m-%d}"}
                }
            )
    for position in open_posts:
        record_update(record=position, expected_version=None, end=day)
    for duty in person.duties.all():
        record_soft_delete(record=duty)
    if person.user_id is not None and person.user.is_active:
        person.user.is_active = False
        person.user.save(update_fields=["is_active"])
    return record_soft_delete(record=person)


@transaction.atomic
def person_restore(*, person: Person) -> Person:
    """Undo ``person_end``: the person and their login come back; posts and duties are given anew."""
    if person.user_id is not None and not person.user.is_active:
        person.user.is_active = True
        person.user.save(update_fields=["is_active"])
    return record_restore(record=person)


def _check_no_overlap(position: Position) -> None:
    """One person holds a post in a unit once at a time: a second, overlapping one is a mistake."""
    others = Position.objects.filter(person=position.person, unit=position.unit, post=position.post)
    if position.pk:
        others = others.exclude(pk=position.pk)
    if position.end:
        others = others.filter(Q(start__isnull=True) | Q(start__lte=position.end))
    if position.start:
        others = others.filter(Q(end__isnull=True) | Q(end__gte=position.start))
    clash = others.first()
    if clash is not None:
        since = gettext("（自 %(start)s 起）") % {"start": f"{clash.start:%Y-%m-%d}"} if clash.start else ""
        raise ValidationError(
            {
                "post": gettext("%(person)s已在%(unit)s担任%(post)s%(since)s，不能重复登记。")
                % {
                    "person": position.person,
                    "unit": position.unit,
                    "post": clash.get_post_display(),
                    "since": since,
                }
            }
        )


@transaction.atomic
def position_create(
    *,
    person: Person,
    unit: Unit,
    post: str,
    title: str = "",
    start: date | None = None,
    end: date | None = None,
) -> Position:
    position = Position(person=person, unit=unit, post=post, title=title, start=start, end=end)
    position.full_clean()
    _check_no_overlap(position)
    position.save()
    return position


@transaction.atomic
def position_update(*, record: Position, expected_version: int | None, **changes) -> Position:
    """Correct a post (its kind, title or dates); the overlap rule holds after the change."""
    proposed = copy.copy(record)  # checked as it would be, before record_update compares and writes
    for name, value in changes.items():
        setattr(proposed, name, value)
    proposed.full_clean()
    _check_no_overlap(proposed)
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def position_end(*, position: Position, day: date, expected_version: int | None = None) -> Position:
    """End a post on ``day`` (离任): kept in the history and the records it signed, no longer current."""
    if position.end is not None and position.end <= day:
        raise ValidationError(
            {"end": gettext("该任职已于 %(end)s 结束。") % {"end": f"{position.end:%Y-%m-%d}"}}
        )
    return record_update(record=position, expected_version=expected_version, end=day)


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
    # A withdrawn cell comes back as the same row (one row per unit, area and person).
    row = Responsibility.all_objects.filter(unit=unit, area=area, person=person).first()
    if row is None:
        row = Responsibility(unit=unit, area=area, person=person, duty=duty)
        row.full_clean()
        row.save()
        return row
    return record_update(record=row, expected_version=None, duty=duty, deleted=False)


@transaction.atomic
def responsibility_withdraw(*, responsibility: Responsibility) -> Responsibility:
    """Take a person out of a matrix cell; kept in the history, restorable by setting it again."""
    return record_soft_delete(record=responsibility)


@transaction.atomic
def grant_create(*, user, unit: Unit, role: str) -> Grant:
    grant = Grant.all_objects.filter(user=user, unit=unit, role=role).first()
    if grant is None:
        return Grant.objects.create(user=user, unit=unit, role=role)
    if grant.deleted:
        return record_restore(record=grant)
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, by=None) -> Grant:
    """Withdraw a role; the row stays in the history. Nobody withdraws their own (an admin who did
    would lock themselves out of the page that could give it back)."""
    if by is not None and grant.user_id == by.pk:
        raise ValidationError({"role": gettext("不能撤销自己的授权，请由上级管理员办理。")})
    return record_soft_delete(record=grant)


# Letters and digits that cannot be misread when read aloud or copied from a screen (no 0/O, 1/l/I).
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    """A random password the admin passes on once; the person sets their own after signing in."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))


@transaction.atomic
def one_time_password_set(*, user) -> str:
    """Give ``user`` a new random password that its owner must replace at the next sign-in; returned,
    the only time it exists in clear. The login's API token goes too: it was had with the old password."""
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    token_revoke(user=user)
    record = OneTimePassword.all_objects.filter(user=user).first()
    if record is None:
        OneTimePassword.objects.create(user=user, issued=timezone.now())
    else:
        record_update(record=record, expected_version=None, issued=timezone.now(), changed=None)
    return password


@transaction.atomic
def password_change(*, user, password: str) -> None:
    """The person's own new password (the form checked the old one and the validators): a one-time
    password they were given is spent."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record = OneTimePassword.all_objects.filter(user=user, changed__isnull=True).first()
    if record is not None:
        record_update(record=record, expected_version=None, changed=timezone.now())


@transaction.atomic
def login_grant(*, person: Person, unit: Unit, role: str, username: str = "") -> tuple[Grant, str | None]:
    """Give ``person`` a role over ``unit``; a person without a login gets one named ``username``
    with a one-time password, returned (the only time it exists in clear) with the grant."""
    if role == Role.MEMBER and unit.pk != person.unit_id:
        raise ValidationError({"unit": gettext("成员角色只能授予本人所在单位。")})
    password = None
    user = person.user
    if user is None:
        username = username.strip()
        if not username:
            raise ValidationError({"username": gettext("请填写登录用户名。")})
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            raise ValidationError(
                {"username": gettext("用户名只能包含字母、数字和 @ . + - _ 符号。")}
            ) from exc
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                {"username": gettext("用户名“%(username)s”已被使用，请换一个。") % {"username": username}}
            )
        user = User.objects.create_user(username=username)
        password = one_time_password_set(user=user)
        record_update(record=person, expected_version=None, user=user)
    elif not user.is_active:
        raise ValidationError(
            {"role": gettext("%(name)s的账号已停用（人员已离开），请先恢复人员。") % {"name": person.name}}
        )
    return grant_create(user=user, unit=unit, role=role), password


def login_beyond_admin(user, by) -> bool:
    """Whether login ``user`` may do more than ``by`` administers: a superuser, staff, or a grant on a
    unit outside ``by``'s units. Such a login is not ``by``'s to take over (a new password) or to stop."""
    if by is None or by.is_superuser:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Grant.objects.filter(user=user).exclude(unit__in=writable_units(by).values("pk")).exists()


@transaction.atomic
def password_reset(*, person: Person, by=None) -> str:
    """A new one-time password for the person's login, returned once; the old one (and the login's API
    token) stops working, and the person chooses their own at the next sign-in. ``by`` (the admin
    asking) may reset only a login that holds nothing beyond their own units."""
    user = person.user
    if user is None:
        raise ValidationError({"username": gettext("%(name)s还没有登录账号。") % {"name": person.name}})
    if login_beyond_admin(user, by):
        raise ValidationError(
            {
                "username": gettext("%(name)s的账号另有您管理范围以外的授权，请由上级管理员重置密码。")
                % {"name": person.name}
            }
        )
    return one_time_password_set(user=user)


def areas_sync(*, path) -> list[Area]:
    """Create or rename the areas the framework file lists; areas it no longer lists are kept."""
    data = read_framework(path)
    out = []
    for position, row in enumerate(data.get("areas") or [], start=1):
        area, _ = Area.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en") or "",
                "order": row.get("order", position),
            },
        )
        out.append(area)
    return out


def areas_sync_from_default_framework(**_kwargs) -> None:
    areas_sync(path=rules_file())
