"""Reads over campaigns, and the counting seams for the rules engine and the documents.

Seams:

* ``measure_counts(units=, period=)`` → ``{unit_id: {measure: n}}``, one grouped query per table:
  ``donations_fen`` (money, in fen), ``goods_fen`` (goods valued, in fen), ``donated_items``
  (items counted), ``staff_donations_fen``, ``members_donations_fen``, ``members_goods_fen``,
  ``volunteer_activities``, ``selections``, ``campaigns``.
* ``summary_figures(unit=, period=)`` → the same money figures with ``display`` (exact, e.g.
  "157.348万元"), ``about`` (as a summary writes it, e.g. "157.3万余元") and ids, plus ``donated_items_by_name`` ({物品: "5600个"}, with ``counts`` and ``ids_by`` per item),
  ``volunteer_activities``, ``campaigns`` and ``selections`` (both with ``titles``), ``selection_winners``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum

from taizhang.campaigns.models import (
    Campaign,
    Donation,
    DonationKind,
    DonorGroup,
    Selection,
    VolunteerActivity,
)
from taizhang.core.money import format_yuan, format_yuan_about
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


def summary_figures(*, unit: Unit, period: Period) -> dict[str, dict]:
    subtree = {"unit__path__startswith": unit.path}
    donations = list(
        Donation.objects.filter(**subtree, **_between(period)).values_list(
            "id", "kind", "donor_group", "amount_fen", "item_name", "item_count", "item_unit"
        )
    )

    def money(*, kind: str, group: str | None = None) -> dict:
        rows = [r for r in donations if r[1] == kind and (group is None or r[2] == group)]
        fen = sum(r[3] for r in rows)
        return {
            "value": fen,
            "display": format_yuan(fen),
            "about": format_yuan_about(fen),
            "ids": [r[0] for r in rows],
        }

    items: dict[str, list] = defaultdict(lambda: [0, "", []])
    for pk, kind, _group, _fen, name, count, measure in donations:
        if kind == DonationKind.ITEMS:
            entry = items[name]
            entry[0] += count or 0
            entry[1] = measure
            entry[2].append(pk)
    volunteering = list(
        VolunteerActivity.objects.filter(**subtree, **_between(period)).values_list("id", flat=True)
    )
    selections = list(Selection.objects.filter(**subtree, **_between(period)).order_by("date", "id"))
    campaigns = list(
        Campaign.objects.filter(**subtree, **_between(period, "start"))
        .order_by("start", "id")
        .values_list("id", "title")
    )
    return {
        "donations_fen": money(kind=DonationKind.MONEY),
        "goods_fen": money(kind=DonationKind.GOODS),
        "staff_donations_fen": money(kind=DonationKind.MONEY, group=DonorGroup.STAFF),
        "members_donations_fen": money(kind=DonationKind.MONEY, group=DonorGroup.MEMBERS),
        "members_goods_fen": money(kind=DonationKind.GOODS, group=DonorGroup.MEMBERS),
        "donated_items_by_name": {
            "value": {name: f"{n}{measure}" for name, (n, measure, _) in sorted(items.items())},
            "ids": [pk for _, _, pks in items.values() for pk in pks],
            "counts": {name: n for name, (n, _, _) in sorted(items.items())},
            "ids_by": {name: pks for name, (_, _, pks) in sorted(items.items())},
        },
        "volunteer_activities": {"value": len(volunteering), "ids": volunteering},
        "campaigns": {
            "value": len(campaigns),
            "ids": [pk for pk, _ in campaigns],
            "titles": [title for _, title in campaigns],
        },
        "selections": {
            "value": len(selections),
            "ids": [s.pk for s in selections],
            "titles": [s.title for s in selections],
        },
        "selection_winners": {
            "value": sum(len(s.winner_list) for s in selections),
            "ids": [s.pk for s in selections],
        },
    }


def campaign_totals(campaign: Campaign) -> list[dict]:
    """Donation totals of one campaign by donor group and kind, as its page shows them (one query)."""
    rows = (
        Donation.objects.filter(campaign=campaign)
        .values("donor_group", "kind", "item_unit", "item_name")
        .annotate(fen=Sum("amount_fen"), items=Sum("item_count"), n=Count("id"))
        .order_by("donor_group", "kind", "item_name")
    )
    groups, kinds = dict(DonorGroup.choices), dict(DonationKind.choices)
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
