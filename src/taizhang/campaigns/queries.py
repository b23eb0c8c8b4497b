"""Reads over campaigns: a campaign's totals, the workbook's volunteer sheet, and the campaign an
imported row names. (No requirement counts campaigns; the summary's facts read their records.)"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.translation import gettext

from taizhang.campaigns.models import (
    Campaign,
    Donation,
    DonationKind,
    DonorGroup,
    VolunteerActivity,
)
from taizhang.core.money import format_yuan
from taizhang.org.models import Unit


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
