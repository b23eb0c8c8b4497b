"""Writes to campaigns, donations, volunteer activities and selections.

Amounts arrive either as exact fen (``amount_fen``, from code) or as the 元 a clerk typed
(``amount``: "18000", "157.3万"); both are checked here, so a form, the API and an import refuse
the same negative or non-numeric amount with the same message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from taizhang.campaigns.models import (
    Campaign,
    Donation,
    DonationKind,
    DonorGroup,
    Selection,
    VolunteerActivity,
)
from taizhang.core.cells import typed_text
from taizhang.core.checks import check_choice, check_date, check_person, check_text
from taizhang.core.money import MoneyError, parse_yuan
from taizhang.core.services import record_soft_delete, record_update
from taizhang.org.models import Person, Unit


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_campaign_ref(unit: Unit, campaign: Campaign | None, errors: dict) -> None:
    if campaign is not None and not unit.path.startswith(campaign.unit.path):
        errors["campaign"] = gettext("主题活动“%(campaign_title)s”不属于%(unit_name)s。") % {
            "campaign_title": campaign.title,
            "unit_name": unit.name,
        }


# -- campaigns ----------------------------------------------------------------------------------
CAMPAIGN_FIELDS = ("title", "theme", "start", "end", "description", "highlight")


def _check_campaign(data: dict) -> None:
    errors: dict[str, str] = {}
    check_text(data.get("title"), errors, "title", gettext("名称"))
    check_date(data.get("start"), errors, "start", gettext("开始日期"))
    end = data.get("end")
    if end is not None and data.get("start") and "start" not in errors and end < data["start"]:
        errors["end"] = gettext("结束日期不能早于开始日期。")
    _raise(errors)


@transaction.atomic
def campaign_create(
    *,
    unit: Unit,
    title: str,
    start: date | None,
    theme: str = "",
    end: date | None = None,
    description: str = "",
    highlight: str = "",
) -> Campaign:
    data = {"title": title, "theme": theme, "start": start, "end": end, "description": description}
    _check_campaign(data)
    campaign = Campaign(unit=unit, **{**data, "title": typed_text(title)}, highlight=highlight.strip())
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, record: Campaign, expected_version: int | None, **changes) -> Campaign:
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_update() got unexpected fields: {sorted(unknown)}")
    _check_campaign({f: changes.get(f, getattr(record, f)) for f in CAMPAIGN_FIELDS})
    return record_update(record=record, expected_version=expected_version, **changes)


# -- donations ----------------------------------------------------------------------------------
DONATION_FIELDS = (
    "campaign", "date", "donor_group", "donor", "donor_name", "kind", "amount_fen", "item_name", "item_count",
    "item_unit",
)  # fmt: skip


def _amount(amount, amount_fen, errors: dict) -> int:
    """The amount in fen from typed 元 or from fen; a field error for anything not a sum of money."""
    if amount not in (None, ""):
        try:
            return parse_yuan(amount)
        except MoneyError as exc:
            errors["amount"] = str(exc)
            return 0
    if amount_fen is None:
        return 0
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        errors["amount"] = gettext("金额“%(amount_fen)s”不是整数分。") % {"amount_fen": amount_fen}
        return 0
    if amount_fen < 0:
        errors["amount"] = gettext("金额不能为负数。")
    return amount_fen


def _check_donation(unit: Unit, data: dict, errors: dict) -> None:
    check_date(data.get("date"), errors, "date", gettext("日期"))
    check_choice(data.get("donor_group"), DonorGroup, errors, "donor_group", gettext("捐赠方"))
    check_choice(data.get("kind"), DonationKind, errors, "kind", gettext("类别"))
    check_person(unit, data.get("donor"), errors, "donor", gettext("捐赠人"), required=False)
    _check_campaign_ref(unit, data.get("campaign"), errors)
    kind = data.get("kind")
    if (
        kind in (DonationKind.MONEY, DonationKind.GOODS)
        and "amount" not in errors
        and not data.get("amount_fen")
    ):
        errors["amount"] = gettext("请填写大于 0 的金额（元）。")
    if kind in (DonationKind.GOODS, DonationKind.ITEMS):
        check_text(data.get("item_name"), errors, "item_name", gettext("物品"))
    if kind == DonationKind.ITEMS:
        count = data.get("item_count")
        if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            errors["item_count"] = gettext("请填写大于 0 的整数数量。")
        check_text(data.get("item_unit"), errors, "item_unit", gettext("计量单位"))
    _raise(errors)


@transaction.atomic
def donation_create(
    *,
    unit: Unit,
    date: date | None,
    donor_group: str,
    kind: str,
    amount: str | None = None,
    amount_fen: int | None = None,
    campaign: Campaign | None = None,
    donor: Person | None = None,
    donor_name: str = "",
    item_name: str = "",
    item_count: int | None = None,
    item_unit: str = "",
) -> Donation:
    errors: dict[str, str] = {}
    fen = _amount(amount, amount_fen, errors)
    data = {
        "campaign": campaign, "date": date, "donor_group": donor_group, "donor": donor, "donor_name": donor_name,
        "kind": kind, "amount_fen": fen, "item_name": item_name, "item_count": item_count, "item_unit": item_unit,
    }  # fmt: skip
    _check_donation(unit, data, errors)
    donation = Donation(unit=unit, **data)
    donation.full_clean()
    donation.save()
    return donation


@transaction.atomic
def donation_update(
    *, record: Donation, expected_version: int | None, amount: str | None = None, **changes
) -> Donation:
    unknown = set(changes) - set(DONATION_FIELDS)
    if unknown:
        raise TypeError(f"donation_update() got unexpected fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if amount not in (None, "") or "amount_fen" in changes:
        changes["amount_fen"] = _amount(amount, changes.get("amount_fen"), errors)
    _check_donation(record.unit, {f: changes.get(f, getattr(record, f)) for f in DONATION_FIELDS}, errors)
    return record_update(record=record, expected_version=expected_version, **changes)


# -- volunteer activities -------------------------------------------------------------------------
VOLUNTEER_FIELDS = ("campaign", "date", "title", "place", "hours")


def _check_volunteering(unit: Unit, data: dict, participants: list[Person]) -> None:
    errors: dict[str, str] = {}
    check_date(data.get("date"), errors, "date", gettext("日期"))
    check_text(data.get("title"), errors, "title", gettext("内容"))
    hours = data.get("hours", 0)
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 0:
        errors["hours"] = gettext("时长应为不小于 0 的整数小时。")
    _check_campaign_ref(unit, data.get("campaign"), errors)
    for person in participants:
        check_person(unit, person, errors, "participants", gettext("参加人员"), required=False)
    _raise(errors)


@transaction.atomic
def volunteer_activity_create(
    *,
    unit: Unit,
    date: date | None,
    title: str,
    place: str = "",
    hours: int = 0,
    campaign: Campaign | None = None,
    participants: Iterable[Person] = (),
) -> VolunteerActivity:
    participants = list(participants)
    data = {"campaign": campaign, "date": date, "title": title, "place": place, "hours": hours}
    _check_volunteering(unit, data, participants)
    activity = VolunteerActivity(unit=unit, **{**data, "title": typed_text(title)})
    activity.full_clean()
    activity.save()
    activity.participants.set(participants)
    return activity


@transaction.atomic
def volunteer_activity_update(
    *,
    record: VolunteerActivity,
    expected_version: int | None,
    participants: Iterable[Person] | None = None,
    **changes,
) -> VolunteerActivity:
    unknown = set(changes) - set(VOLUNTEER_FIELDS)
    if unknown:
        raise TypeError(f"volunteer_activity_update() got unexpected fields: {sorted(unknown)}")
    listed = list(participants) if participants is not None else []
    _check_volunteering(
        record.unit, {f: changes.get(f, getattr(record, f)) for f in VOLUNTEER_FIELDS}, listed
    )
    record = record_update(record=record, expected_version=expected_version, **changes)
    if participants is not None:
        record.participants.set(listed)
    return record


# -- selections ----------------------------------------------------------------------------------
SELECTION_FIELDS = ("campaign", "title", "date", "winners")


def _check_selection(unit: Unit, data: dict) -> None:
    errors: dict[str, str] = {}
    check_text(data.get("title"), errors, "title", gettext("评选名称"))
    check_date(data.get("date"), errors, "date", gettext("评选日期"))
    check_text(data.get("winners"), errors, "winners", gettext("获评人员"))
    _check_campaign_ref(unit, data.get("campaign"), errors)
    _raise(errors)


@transaction.atomic
def selection_create(
    *, unit: Unit, title: str, date: date | None, winners: str, campaign: Campaign | None = None
) -> Selection:
    data = {"campaign": campaign, "title": title, "date": date, "winners": winners}
    _check_selection(unit, data)
    selection = Selection(unit=unit, **{**data, "title": typed_text(title)})
    selection.full_clean()
    selection.save()
    return selection


@transaction.atomic
def selection_update(*, record: Selection, expected_version: int | None, **changes) -> Selection:
    unknown = set(changes) - set(SELECTION_FIELDS)
    if unknown:
        raise TypeError(f"selection_update() got unexpected fields: {sorted(unknown)}")
    _check_selection(record.unit, {f: changes.get(f, getattr(record, f)) for f in SELECTION_FIELDS})
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def record_delete(*, record) -> object:
    """Soft delete for any campaigns record (it leaves lists and sums; restorable)."""
    return record_soft_delete(record=record)
