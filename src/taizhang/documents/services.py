"""Writes of the documents module: saving a summary version."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from taizhang.core.periods import Period
from taizhang.documents.model import to_markdown
from taizhang.documents.models import SummaryVersion
from taizhang.documents.queries import summary_for
from taizhang.org.models import Unit


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
