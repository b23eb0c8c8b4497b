"""Writes of the documents module: saving a summary version."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from taizhang.core.periods import Period
from taizhang.documents.models import SummaryVersion
from taizhang.documents.output.model import to_markdown
from taizhang.documents.summary.queries import summary_for
from taizhang.org.models import Unit
from taizhang.org.scope import can_approve


@transaction.atomic
def summary_version_save(
    *, unit: Unit, period: Period, shortcomings: str, next_steps: str, user
) -> SummaryVersion:
    """Save the clerk's text as the next version, with a snapshot of the document it produces."""
    # Lock the unit row so two clerks saving at once get consecutive numbers, not a clash.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = SummaryVersion.objects.filter(unit=unit, period=period.code).aggregate(n=Max("number"))["n"] or 0
    doc = summary_for(
        unit=unit,
        period=period,
        shortcomings=SummaryVersion.lines(shortcomings),
        next_steps=SummaryVersion.lines(next_steps),
    )
    return SummaryVersion.objects.create(
        unit=unit,
        period=period.code,
        number=last + 1,
        shortcomings=shortcomings,
        next_steps=next_steps,
        snapshot=to_markdown(doc),
        saved_by=user,
    )


@transaction.atomic
def summary_version_approve(*, version: SummaryVersion, user) -> SummaryVersion:
    """A leader approves (审定) one saved version; it is then the text the unit hands in.

    Only a version without open placeholders can be approved, and a version is approved once:
    a later change is a new version, approved on its own.
    """
    if not can_approve(user, version.unit):
        raise PermissionDenied("只有本单位领导可以审定文稿。")
    version = SummaryVersion.objects.select_for_update().get(pk=version.pk)
    if version.approved_at is not None:
        raise ValidationError(
            f"第{version.number}版已于 {timezone.localtime(version.approved_at):%Y-%m-%d %H:%M} 审定。"
        )
    open_items = version.snapshot.count("【待补充：")
    if open_items:
        raise ValidationError(f"第{version.number}版还有 {open_items} 处待补充，补全并保存新版本后才能审定。")
    version.approved_by = user
    version.approved_at = timezone.now()
    version.save(update_fields=["approved_by", "approved_at", "updated"])
    return version
