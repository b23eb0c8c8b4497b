"""Reads over campaigns, and the counting seams for the rules engine and the documents.

Seams:

* ``measure_counts(units=, period=)`` → ``{unit_id: {measure: n}}``, one grouped query per table:
  ``donations_fen`` (money, in fen), ``goods_fen`` (goods valued, in fen), ``donated_items``
  (items counted), ``staff_donations_fen``, ``members_donations_fen``, ``members_goods_fen``,
  ``volunteer_activities``, ``selections``, ``campaigns``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext

from taizhang.campaigns.models import (
    Campaign,
    Donation,
    DonationKind,
    DonorGroup,
    Selection,
    VolunteerActivity,
)
from taizhang.core.money import format_yuan
from taizhang.core.periods import Period
from taizhang.org.models import Unit

MONEY = Q(kind=DonationKind.MONEY)
GOODS = Q(kind=DonationKind.GOODS)


def _between(period: Period, field: str = "date") -> dict:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


def measure_counts(*, units: QuerySet[Unit], period: Period) -> dict[int, dict[str, int]]:
    ids = units.values("pk")
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Donation.objects.filter(unit__in=ids, **_between(period))
        .values("unit_id")
        .annotate(
            money=Sum("amount_fen", filter=MONEY),
            goods=Sum("amount_fen", filter=GOODS),
            items=Sum("item_count", filter=Q(kind=DonationKind.ITEMS)),
            staff=Sum("amount_fen", filter=MONEY & Q(donor_group=DonorGroup.STAFF)),
            members=Sum("amount_fen", filter=MONEY & Q(donor_group=DonorGroup.MEMBERS)),
            members_goods=Sum("amount_fen", filter=GOODS & Q(donor_group=DonorGroup.MEMBERS)),
        )
        .order_by()
    ):
        out[row["unit_id"]].update(
            donations_fen=row["money"] or 0,
            goods_fen=row["goods"] or 0,
            donated_items=row["items"] or 0,
            staff_donations_fen=row["staff"] or 0,
            members_donations_fen=row["members"] or 0,
            members_goods_fen=row["members_goods"] or 0,
        )
    for model, code, field in (
        (VolunteerActivity, "volunteer_activities", "date"),
        (Selection, "selections", "date"),
        (Campaign, "campaigns", "start"),
    ):
        for row in (
            model.objects.filter(unit__in=ids, **_between(period, field))
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            out[row["unit_id"]][code] = row["n"]
    return dict(out)


def campaign_totals(campaign: Campaign) -> list[dict]:
    """Donation totals of one campaign by donor group and kind, as its page shows them (one query)."""
    rows = (
        Donation.objects.filter(campaign=campaign)
        .values("donor_group", "kind", "item_unit", "item_name")
        .annotate(fen=Sum("amount_fen"), items=Sum("item_count"), n=Count("id"))
        .order_by("donor_group", "kind", "item_name")
    )
    groups = {value: str(label) for value, label in DonorGroup.choices}
    kinds = {value: str(label) for value, label in DonationKind.choices}
    out = []
    for row in rows:
        if row["kind"] == DonationKind.ITEMS:
            total = f"{row['item_name']}{row['items'] or 0}{row['item_unit']}"
        else:
            total = format_yuan(row["fen"] or 0)
        out.append(
            {"group": groups[row["donor_group"]], "kind": kinds[row["kind"]], "total": total, "n": row["n"]}
        )
    return out


def volunteer_sheet(rows: QuerySet[VolunteerActivity]) -> QuerySet[VolunteerActivity]:
    """The ledger workbook's volunteer service, with how many took part and who, oldest first."""
    from taizhang.org.models import Person

    return (
        rows.select_related("unit", "campaign")
        .annotate(people=Count("participants"))
        .prefetch_related(Prefetch("participants", queryset=Person.all_objects.order_by("id")))
        .order_by("date", "id")
    )


def campaign_named(unit: Unit, title: str) -> Campaign | str:
    """The campaign an imported row names by its title: the unit's own, else the nearest enclosing
    unit's; or why there is none, or no one."""
    found = [
        c
        for c in Campaign.objects.filter(title=title).select_related("unit")
        if unit.path.startswith(c.unit.path)
    ]
    if not found:
        return gettext("没有名为“%(title)s”的主题活动（可在同一工作簿的“主题活动”表中一并导入）") % {
            "title": title
        }
    nearest = max(len(c.unit.path) for c in found)  # the unit's own before an enclosing unit's
    found = [c for c in found if len(c.unit.path) == nearest]
    if len(found) > 1:
        return gettext("有 %(count)s 个名为“%(title)s”的主题活动，无法确定是哪一个") % {
            "count": len(found),
            "title": title,
        }
    return found[0]
