"""Writes to risk points: who owns them, how serious, and which assessment meetings reviewed them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core.cells import typed_text
from taizhang.core.checks import check_choice, check_date, check_person, check_text
from taizhang.core.services import record_soft_delete, record_update
from taizhang.ledger.models import Activity
from taizhang.org.models import Area, Person, Unit
from taizhang.org.queries import organisation_of
from taizhang.risks.models import RiskLevel, RiskPoint, RiskStatus

ASSESSMENT_KIND = "assessment"
FIELDS = (
    "area", "title", "description", "level", "source", "measures", "owner", "status", "identified_on", "review_date",
    "closed_on",
)  # fmt: skip


def _validate(unit: Unit, data: dict, assessments: list[Activity] | None) -> None:
    errors: dict[str, str] = {}
    check_text(data.get("title"), errors, "title", gettext("风险点"))
    check_choice(data.get("level"), RiskLevel, errors, "level", gettext("风险等级"))
    check_choice(data.get("status"), RiskStatus, errors, "status", gettext("状态"))
    check_person(unit, data.get("owner"), errors, "owner", gettext("责任人"), required=True)
    check_date(data.get("identified_on"), errors, "identified_on", gettext("识别日期"))
    review = data.get("review_date")
    if review is None:
        errors["review_date"] = gettext("请填写下次研判日期。")
    elif data.get("identified_on") and "identified_on" not in errors and review < data["identified_on"]:
        errors["review_date"] = gettext("下次研判日期不能早于识别日期。")
    closed = data.get("closed_on")
    if closed and data.get("identified_on") and closed < data["identified_on"]:
        errors["closed_on"] = gettext("化解日期不能早于识别日期。")
    if closed and closed > timezone.localdate():
        errors["closed_on"] = gettext("化解日期不能晚于今天。")
    if assessments:
        org = organisation_of(unit)
        bad = [
            a for a in assessments if a.kind.code != ASSESSMENT_KIND or not a.unit.path.startswith(org.path)
        ]
        if bad:
            errors["assessments"] = "、".join(str(a) for a in bad) + gettext(" 不是本单位的研判会议。")
    if errors:
        raise ValidationError(errors)


def _closed_on(status: str, given: date | None, stored: date | None) -> date | None:
    """An open risk has no closing day; one mitigated or closed keeps the day it was (today, unless
    the clerk says when), so a period that ended before it is still judged with the risk open."""
    if status == RiskStatus.OPEN:
        return None
    return given or stored or timezone.localdate()


@transaction.atomic
def risk_point_create(
    *,
    unit: Unit,
    title: str,
    level: str,
    owner: Person | None,
    identified_on: date | None,
    review_date: date | None,
    area: Area | None = None,
    description: str = "",
    source: str = "",
    measures: str = "",
    status: str = RiskStatus.OPEN,
    closed_on: date | None = None,
    assessments: Iterable[Activity] = (),
) -> RiskPoint:
    assessments = list(assessments)
    data = {
        "area": area, "title": title, "description": description, "level": level, "source": source,
        "measures": measures, "owner": owner, "status": status, "identified_on": identified_on,
        "review_date": review_date, "closed_on": _closed_on(status, closed_on, None),
    }  # fmt: skip
    _validate(unit, data, assessments)
    risk = RiskPoint(unit=unit, **{**data, "title": typed_text(title)})
    risk.full_clean()
    risk.save()
    risk.assessments.set(assessments)
    return risk


@transaction.atomic
def risk_point_update(
    *,
    record: RiskPoint,
    expected_version: int | None,
    assessments: Iterable[Activity] | None = None,
    **changes,
) -> RiskPoint:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"risk_point_update() got unexpected fields: {sorted(unknown)}")
    if "status" in changes or "closed_on" in changes:
        changes["closed_on"] = _closed_on(
            changes.get("status", record.status), changes.get("closed_on"), record.closed_on
        )
    merged = {f: changes.get(f, getattr(record, f)) for f in FIELDS}
    listed = list(assessments) if assessments is not None else None
    _validate(record.unit, merged, listed)
    record = record_update(record=record, expected_version=expected_version, **changes)
    if listed is not None:
        record.assessments.set(listed)
    return record


@transaction.atomic
def risk_point_assess(*, record: RiskPoint, activity: Activity, next_review: date | None = None) -> RiskPoint:
    """Note that an assessment meeting reviewed the risk point, and when to look again."""
    _validate(
        record.unit,
        {f: getattr(record, f) for f in FIELDS} | ({"review_date": next_review} if next_review else {}),
        [activity],
    )
    record.assessments.add(activity)
    if next_review:
        record = record_update(record=record, expected_version=None, review_date=next_review)
    return record


@transaction.atomic
def risk_point_delete(*, record: RiskPoint) -> RiskPoint:
    return record_soft_delete(record=record)
