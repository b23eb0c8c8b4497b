"""Writes to risk points (who owns them, how serious, which assessment meetings reviewed them) and to
public-opinion incidents (what the unit did about them, and by when it had to)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core.cells import typed_text
from taizhang.core.checks import check_choice, check_date, check_person, check_text
from taizhang.core.framework_file import read_framework, rules_file
from taizhang.core.services import record_soft_delete, record_update
from taizhang.ledger.models import Activity
from taizhang.org.models import Area, Person, Unit
from taizhang.org.queries import organisation_of
from taizhang.risks.models import (
    OpinionIncident,
    OpinionLevel,
    OpinionPlatform,
    OpinionStatus,
    RiskLevel,
    RiskPoint,
    RiskStatus,
)

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


# -- public-opinion incidents (舆情处置) --------------------------------------------------------------

OPINION_FIELDS = (
    "noticed_on", "platform", "outlet", "title", "description", "level", "responded_on", "response",
    "reported_to", "status", "closed_on", "lessons",
)  # fmt: skip
# The framework file's key for the time limits (days after an incident is noticed, by its level).
RESPONSE_DAYS = "opinion_response_days"


def response_days(level: str) -> int:
    """How many days after noticing an incident of ``level`` the unit must have acted on it, as the
    framework file says (``opinion_response_days``). A missing or bad entry is the file's mistake,
    not the clerk's: loud."""
    days = (read_framework(rules_file()).get(RESPONSE_DAYS) or {}).get(level)
    if not isinstance(days, int) or days < 0:
        raise ValueError(f"{rules_file()}: {RESPONSE_DAYS}.{level} 应为天数（非负整数），而不是 {days!r}")
    return days


def _opinion_validate(data: dict) -> None:
    errors: dict[str, str] = {}
    check_date(data.get("noticed_on"), errors, "noticed_on", gettext("发现日期"))
    check_text(data.get("title"), errors, "title", gettext("舆情事件"))
    check_choice(data.get("platform"), OpinionPlatform, errors, "platform", gettext("出现平台"))
    check_choice(data.get("level"), OpinionLevel, errors, "level", gettext("舆情等级"))
    check_choice(data.get("status"), OpinionStatus, errors, "status", gettext("状态"))
    noticed, responded, closed = data.get("noticed_on"), data.get("responded_on"), data.get("closed_on")
    check_date(responded, errors, "responded_on", gettext("处置日期"), required=False)
    if responded and noticed and "noticed_on" not in errors and responded < noticed:
        errors["responded_on"] = gettext("处置日期不能早于发现日期。")
    if data.get("status") == OpinionStatus.CLOSED and not responded:
        errors["responded_on"] = gettext("办结前请填写处置日期。")
    check_date(closed, errors, "closed_on", gettext("办结日期"), required=False)
    if closed and responded and "responded_on" not in errors and closed < responded:
        errors["closed_on"] = gettext("办结日期不能早于处置日期。")
    if errors:
        raise ValidationError(errors)


def _opinion_closed_on(status: str, given: date | None, stored: date | None) -> date | None:
    """Handled is not closed; once closed it keeps the day it was (today, unless the clerk says when),
    so a period that ended before it still sees the incident being handled."""
    if status != OpinionStatus.CLOSED:
        return None
    return given or stored or timezone.localdate()


@transaction.atomic
def opinion_incident_create(
    *,
    unit: Unit,
    noticed_on: date | None,
    platform: str,
    title: str,
    level: str,
    outlet: str = "",
    description: str = "",
    responded_on: date | None = None,
    response: str = "",
    reported_to: str = "",
    status: str = OpinionStatus.HANDLING,
    closed_on: date | None = None,
    lessons: str = "",
) -> OpinionIncident:
    """Record an incident and what the unit did; the day it had to act by follows from its level."""
    data = {
        "noticed_on": noticed_on, "platform": platform, "outlet": outlet, "title": title,
        "description": description, "level": level, "responded_on": responded_on, "response": response,
        "reported_to": reported_to, "status": status, "closed_on": _opinion_closed_on(status, closed_on, None),
        "lessons": lessons,
    }  # fmt: skip
    _opinion_validate(data)
    incident = OpinionIncident(
        unit=unit,
        **{**data, "title": title.strip()},
        respond_by=noticed_on + timedelta(days=response_days(level)),
    )
    incident.full_clean()
    incident.save()
    return incident


@transaction.atomic
def opinion_incident_update(
    *, record: OpinionIncident, expected_version: int | None, **changes
) -> OpinionIncident:
    unknown = set(changes) - set(OPINION_FIELDS)
    if unknown:
        raise TypeError(f"opinion_incident_update() got unexpected fields: {sorted(unknown)}")
    if "status" in changes or "closed_on" in changes:
        changes["closed_on"] = _opinion_closed_on(
            changes.get("status", record.status), changes.get("closed_on"), record.closed_on
        )
    merged = {f: changes.get(f, getattr(record, f)) for f in OPINION_FIELDS}
    _opinion_validate(merged)
    if merged["noticed_on"] != record.noticed_on or merged["level"] != record.level:
        changes["respond_by"] = merged["noticed_on"] + timedelta(days=response_days(merged["level"]))
    return record_update(record=record, expected_version=expected_version, **changes)


@transaction.atomic
def opinion_incident_delete(*, record: OpinionIncident) -> OpinionIncident:
    return record_soft_delete(record=record)
