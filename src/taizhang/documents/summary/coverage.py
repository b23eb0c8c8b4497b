"""Whether a period has records in each of its halves: an annual summary tells both halves or none.

``taizhang report summary --strict`` refuses a year in which a whole half holds no record at all (of
any type the registry declares, in the unit or any unit under it, nor an aggregate imported from a
past summary): such a summary could only be the other half relabelled as the year.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps

from taizhang.core.periods import Period
from taizhang.core.registry import REGISTRY
from taizhang.ledger.models import ImportedFigure
from taizhang.org.models import Unit


def has_records(unit: Unit, period: Period) -> bool:
    """True when the unit's tree holds at least one live record dated in ``period``."""
    tree = Unit.all_objects.filter(path__startswith=unit.path).values("pk")
    for record_type in REGISTRY.values():
        if record_type.base or record_type.stock or not record_type.date_field:
            continue  # a subset counts the rows of its table; a stock stands, it is not done in a period
        model = apps.get_model(record_type.model)
        rows = model._default_manager.filter(
            **{f"{record_type.unit_field}__in": tree},
            **{f"{record_type.date_field}__range": (period.start, period.end)},
            **record_type.where,
        )
        if rows.exists():
            return True
    return ImportedFigure.objects.filter(unit__in=tree, start__lte=period.end, end__gte=period.start).exists()


def empty_halves(unit: Unit, period: Period) -> list[Period]:
    """The halves of a year period with no record at all (empty for a half, a quarter or a month)."""
    if period.kind != "year":
        return []
    return [half for half in period.split("half") if not has_records(unit, half)]


def empty_halves_message(unit: Unit, period: Period, halves: list[Period], *, today: date) -> str:
    """One Chinese line naming the empty half (or both) and what the clerk can do instead."""
    names = "、".join(h.label for h in halves)
    not_begun = [h for h in halves if h.start > today]
    why = "尚未开始" if not_begun == halves else "没有任何记录"
    if len(halves) == len(period.split("half")):
        return f"{unit.name}{names}都{why}，不能生成{period.label}的年度总结。"
    other = next(h for h in period.split("half") if h not in halves)
    return (
        f"{unit.name}{names}{why}：{period.label}的年度总结只能写出{other.label}，--strict 不予生成。"
        f"请先补录{halves[0].label}的台账，或改为生成{other.code}的总结。"
    )
