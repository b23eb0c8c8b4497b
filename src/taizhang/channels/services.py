"""Writes to channels: registration and half-yearly review are what the framework checks."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from taizhang.channels.models import Channel, ChannelKind, ChannelStatus
from taizhang.core.cells import typed_text
from taizhang.core.checks import check_choice, check_date, check_person, check_text
from taizhang.core.services import record_soft_delete, record_update
from taizhang.org.models import Person, Unit

FIELDS = (
    "kind",
    "name",
    "administrator",
    "members_count",
    "purpose",
    "opened_on",
    "registered_on",
    "last_reviewed_on",
    "status",
)


def _validate(unit: Unit, data: dict) -> None:
    errors: dict[str, str] = {}
    check_choice(data.get("kind"), ChannelKind, errors, "kind", gettext("阵地类型"))
    check_text(data.get("name"), errors, "name", gettext("阵地名称"))
    check_person(unit, data.get("administrator"), errors, "administrator", gettext("管理员"), required=True)
    check_choice(data.get("status"), ChannelStatus, errors, "status", gettext("状态"))
    members = data.get("members_count")
    if members is not None and (not isinstance(members, int) or members < 0):
        errors["members_count"] = gettext("成员数应为不小于 0 的整数。")
    check_date(data.get("opened_on"), errors, "opened_on", gettext("启用日期"))
    check_date(data.get("registered_on"), errors, "registered_on", gettext("备案日期"), required=False)
    check_date(
        data.get("last_reviewed_on"), errors, "last_reviewed_on", gettext("最近检查日期"), required=False
    )
    registered, reviewed = data.get("registered_on"), data.get("last_reviewed_on")
    if "registered_on" not in errors and "last_reviewed_on" not in errors and reviewed and not registered:
        errors["last_reviewed_on"] = gettext("尚未备案的阵地不能登记检查日期，请先填写备案日期。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def channel_create(
    *,
    unit: Unit,
    kind: str,
    name: str,
    administrator: Person | None,
    opened_on: date | None,
    members_count: int | None = None,
    purpose: str = "",
    registered_on: date | None = None,
    last_reviewed_on: date | None = None,
    status: str = ChannelStatus.ACTIVE,
) -> Channel:
    """Record a channel; a channel without an administrator is refused (someone must answer for it)."""
    data = {
        "kind": kind, "name": name, "administrator": administrator, "members_count": members_count,
        "purpose": purpose, "opened_on": opened_on, "registered_on": registered_on,
        "last_reviewed_on": last_reviewed_on, "status": status,
    }  # fmt: skip
    _validate(unit, data)
    channel = Channel(unit=unit, **{**data, "name": typed_text(name)})
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def channel_update(*, record: Channel, expected_version: int | None, **changes) -> Channel:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"channel_update() got unexpected fields: {sorted(unknown)}")
    merged = {f: changes.get(f, getattr(record, f)) for f in FIELDS}
    _validate(record.unit, merged)
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def channel_review(*, record: Channel, day: date) -> Channel:
    """Note the half-yearly check of a registered channel (管理员、用途、成员仍然合规)."""
    return channel_update(record=record, expected_version=None, last_reviewed_on=day)


@transaction.atomic
def channel_delete(*, record: Channel) -> Channel:
    return record_soft_delete(record=record)
