"""The rules an activity must obey before it is written, whoever writes it (a form, the API, an
import, the demo): its date, its people, its time (``core.timeline``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from taizhang.core import timeline
from taizhang.core.checks import check_date
from taizhang.ledger.models import Activity, ActivityKind, AttendanceStatus
from taizhang.org.models import Person, Unit
from taizhang.org.queries import organisation_of


@dataclass(frozen=True)
class AttendanceEntry:
    """One line of an activity's attendance as a form or the API sends it."""

    person: Person
    status: str
    reason: str = ""
    signed_in_at: datetime | None = None


def _check_people(
    unit: Unit, activity_fields: dict[str, Person | None], attendance: Iterable[AttendanceEntry], errors: dict
) -> None:
    """Host, recorder and attendees must all belong to the activity's organisation."""
    org = organisation_of(unit)
    for field, person in activity_fields.items():
        if person is not None and not person.unit.path.startswith(org.path):
            errors[field] = gettext("%(person_name)s不属于%(org_name)s，不能担任本次活动的%(role)s。") % {
                "person_name": person.name,
                "org_name": org.name,
                "role": Activity._meta.get_field(field).verbose_name,
            }
    seen: set[int] = set()
    problems = []
    for line, entry in enumerate(attendance, start=1):
        if entry.status not in AttendanceStatus.values:
            problems.append(
                gettext("第 %(line)s 行：出勤情况“%(entry_status)s”无效（应为出席、请假或缺席）。")
                % {"line": line, "entry_status": entry.status}
            )
        if not entry.person.unit.path.startswith(org.path):
            problems.append(
                gettext("第 %(line)s 行：%(entry_person_name)s不属于%(org_name)s，不能列入本次活动的考勤。")
                % {"line": line, "entry_person_name": entry.person.name, "org_name": org.name}
            )
        if entry.person.pk in seen:
            problems.append(
                gettext("第 %(line)s 行：%(entry_person_name)s重复出现。")
                % {"line": line, "entry_person_name": entry.person.name}
            )
        seen.add(entry.person.pk)
    if problems:
        errors["attendance"] = " ".join(problems)


FIELD_LABELS = {"topic": "主题", "materials": "学习材料"}  # the fields a document's name is read in
# the statuses of someone who was not there (an enum's members looked up once: an import asks per row)
_AWAY = (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)


def check_time_true(
    *,
    day: date | None,
    topic: str = "",
    materials: str = "",
    host: Person | None = None,
    attendance: Iterable[AttendanceEntry] = (),
    holiday_reason: str = "",
    errors: dict[str, str],
    confirm: str = "",
) -> None:
    """The record keeps to its time (``core.timeline``): nothing studied before it existed, no
    activity on a public holiday without a stated reason, no host who was away from it.

    Each problem goes under the field to correct (``topic``, ``materials``, ``date``, ``host``),
    so a form shows it beside that field, the API under that key and an import in that column's cell.
    ``confirm`` says where a holiday activity's reason is given (the form's field by default).
    """
    if day is None:
        return
    line = timeline.load()
    for field, text in (("topic", topic), ("materials", materials)):
        if not text or field in errors:  # an empty text names nothing
            continue
        late = timeline.anachronisms(text, day, timeline=line)
        if late:
            errors[field] = " ".join(
                gettext(
                    "%(label)s中的“%(words)s”指%(event)s，%(when)s才%(what)s，活动日期%(day)s时还没有："
                    "请核对日期或%(label)s。"
                )
                % {
                    "label": gettext(FIELD_LABELS[field]),
                    "words": m.words,
                    "event": m.event.name,
                    "when": m.event.date_text,
                    "what": m.event.what,
                    "day": timeline.chinese_date(day),
                }
                for m in late
            )
    holiday = timeline.holiday_on(day, timeline=line)
    if holiday is not None and not (holiday_reason or "").strip() and "date" not in errors:
        span = (
            timeline.chinese_date(holiday.start)
            if holiday.start == holiday.end
            else f"{timeline.chinese_date(holiday.start)}至{timeline.chinese_date(holiday.end)}"
        )
        errors["date"] = gettext(
            "%(day)s是%(holiday)s假期（%(span)s放假）。确在节假日开展的活动，请%(confirm)s；否则请核对日期。"
        ) % {
            "day": timeline.chinese_date(day),
            "holiday": holiday.name,
            "span": span,
            "confirm": confirm or gettext("在“节假日开展说明”中写明原因"),
        }
    if host is not None and "host" not in errors:
        for entry in attendance:
            if entry.status in _AWAY and entry.person.pk == host.pk:
                errors["host"] = gettext(
                    "主持人%(name)s在本次活动的考勤中记为%(status)s，不能主持：请更正主持人或考勤。"
                ) % {"name": host.name, "status": AttendanceStatus(entry.status).label}
                break


def _validate_activity(
    *,
    unit: Unit,
    kind: ActivityKind | None,
    date_: date | None,
    topic: str,
    host,
    recorder,
    attendance,
    materials: str = "",
    holiday_reason: str = "",
    standing: list[AttendanceEntry] | None = None,
) -> None:
    """``standing``: the attendance the activity will have when ``attendance`` is not being replaced."""
    errors: dict[str, str] = {}
    if kind is None:
        errors["kind"] = gettext("请选择活动类型。")
    check_date(date_, errors, "date", gettext("日期"))
    if not (topic or "").strip():
        errors["topic"] = gettext("请填写活动主题。")
    _check_people(unit, {"host": host, "recorder": recorder}, attendance, errors)
    if "date" not in errors:
        check_time_true(
            day=date_,
            topic=topic,
            materials=materials,
            host=host,
            attendance=attendance if standing is None else standing,
            holiday_reason=holiday_reason,
            errors=errors,
        )
    if errors:
        raise ValidationError(errors)
