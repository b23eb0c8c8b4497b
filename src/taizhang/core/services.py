"""Writes every table shares: versioned updates, soft delete and restore; and API tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from taizhang.core.auth import token_expires_at
from taizhang.core.models import HISTORY, Record


class StaleEdit(ValidationError):
    """The record changed after the editor read it; the edit is refused, never merged silently."""


@transaction.atomic
def record_update(*, record: Record, expected_version: int | None, **changes: Any) -> Record:
    """Apply ``changes`` if the stored version is still ``expected_version``, and bump the version.

    The version check and the write are one conditional UPDATE, so two editors racing on the same
    row cannot both succeed. ``expected_version=None`` skips the check (scripts, imports).
    """
    model = type(record)
    attnames = {field: model._meta.get_field(field).attname for field in changes}
    before = {field: getattr(record, attname) for field, attname in attnames.items()}
    for field, value in changes.items():
        setattr(record, field, value)
    record.full_clean()
    rows = model.all_objects.filter(pk=record.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    values = {field: getattr(record, attname) for field, attname in attnames.items()}
    if values == before:
        # A form saved unchanged: no new version and no history row that changes nothing.
        if not rows.exists():
            _refuse_stale(model, record, expected_version)
        return record
    updated = rows.update(version=F("version") + 1, **values, updated=timezone.now())
    if not updated:
        _refuse_stale(model, record, expected_version)
    record.refresh_from_db()
    HISTORY.create_historical_record(record, "~")
    return record


def _refuse_stale(model, record: Record, expected_version: int | None) -> None:
    current = model.all_objects.filter(pk=record.pk).values_list("version", flat=True).first()
    raise StaleEdit(
        gettext("该记录已被他人修改（您读取的是第 %(read)s 版，当前为第 %(current)s 版），请刷新后重新编辑。")
        % {"read": expected_version, "current": current},
        code="stale",
    )


@transaction.atomic
def record_soft_delete(*, record: Record) -> Record:
    """Hide a record from lists and counts; ``record_restore`` brings it back."""
    return record_update(record=record, expected_version=None, deleted=True)


@transaction.atomic
def record_restore(*, record: Record) -> Record:
    return record_update(record=record, expected_version=None, deleted=False)


@transaction.atomic
def token_issue(*, user) -> Token:
    """The user's API token; a new key when the old one has expired (an expired key never works again)."""
    stale = Token.objects.select_for_update().filter(user=user).first()
    if stale is not None and token_expires_at(stale) <= timezone.now():
        stale.delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def token_revoke(*, user) -> bool:
    """Delete the user's API token, so that scripts holding it are refused; False when there was none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
