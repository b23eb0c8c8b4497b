"""Writes to the ledger. Every rule a form, the API, an import or the demo must obey lives here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core import checks, timeline, uploads
from taizhang.core.cells import typed_text
from taizhang.core.framework_file import read_framework, rules_file
from taizhang.core.services import record_restore, record_soft_delete, record_update
from taizhang.ledger import bulk, rollup
from taizhang.ledger.models import (
    Activity,
    ActivityKind,
    Attachment,
    Attendance,
    AttendanceStatus,
    ImportedFigure,
    Reflection,
    SignInWindow,
)
from taizhang.org.models import Area, Person, Unit
from taizhang.org.queries import organisation_of

if TYPE_CHECKING:
    from taizhang.ledger.imports import PlannedActivity as ImportedActivity


@dataclass(frozen=True)
class AttendanceEntry:
    """One line of an activity's attendance as a form or the API sends it."""

    person: Person
    status: str
    reason: str = ""
    signed_in_at: datetime | None = None


def check_date(value: date | None, errors: dict[str, str], field: str = "date") -> None:
    """An activity's date, by the rule every record's date obeys (``core.checks.check_date``)."""
    checks.check_date(value, errors, field, gettext("日期"))


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
        if field in errors:
            continue
        late = timeline.anachronisms(text or "", day, timeline=line)
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
            if entry.person.pk == host.pk and entry.status in (
                AttendanceStatus.LEAVE,
                AttendanceStatus.ABSENT,
            ):
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
    check_date(date_, errors)
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


def _write_attendance(activity: Activity, attendance: Iterable[AttendanceEntry]) -> None:
    """Make the activity's attendance exactly ``attendance``; rows left out are soft-deleted."""
    existing = {row.person_id: row for row in Attendance.all_objects.filter(activity=activity)}
    keep = set()
    for entry in attendance:
        keep.add(entry.person.pk)
        row = existing.get(entry.person.pk)
        signed = entry.signed_in_at
        if row is None:
            Attendance.objects.create(
                activity=activity,
                person=entry.person,
                status=entry.status,
                reason=entry.reason,
                signed_in_at=signed,
            )
        elif (row.status, row.reason, row.deleted) != (entry.status, entry.reason, False) or (
            signed and row.signed_in_at != signed
        ):
            record_update(
                record=row,
                expected_version=None,
                status=entry.status,
                reason=entry.reason,
                deleted=False,
                signed_in_at=signed or row.signed_in_at,
            )
    for person_id, row in existing.items():
        if person_id not in keep and not row.deleted:
            record_soft_delete(record=row)


@transaction.atomic
def activity_create(
    *,
    unit: Unit,
    kind: ActivityKind | None,
    date: date | None,
    topic: str,
    materials: str = "",
    host: Person | None = None,
    recorder: Person | None = None,
    location: str = "",
    minutes: str = "",
    attendance: Iterable[AttendanceEntry] = (),
    highlight: str = "",
    holiday_reason: str = "",
) -> Activity:
    """Record an activity with its attendance; on any invalid field nothing is written."""
    attendance = list(attendance)
    _validate_activity(
        unit=unit,
        kind=kind,
        date_=date,
        topic=topic,
        host=host,
        recorder=recorder,
        attendance=attendance,
        materials=materials,
        holiday_reason=holiday_reason,
    )
    activity = Activity(
        unit=unit,
        kind=kind,
        date=date,
        topic=typed_text(topic),
        materials=materials,
        host=host,
        recorder=recorder,
        location=location,
        minutes=minutes,
        highlight=highlight.strip(),
        holiday_reason=holiday_reason.strip(),
    )
    activity.full_clean()
    activity.save()
    _write_attendance(activity, attendance)
    return activity


@transaction.atomic
def activities_import(
    *,
    unit: Unit,
    activities: Sequence[ImportedActivity],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write a checked import (``imports.plan_import``) into ``unit``: all rows or none.

    A clerk's ledger can hold a million rows, so the rows go in as plain tuples in large batches
    (``ledger.bulk``: multi-row INSERTs on SQLite, ``COPY`` on PostgreSQL), each activity and each
    attendance row with its history entry, whose change reason says the file, sheet and row it came
    from; the monthly rollup's triggers are off meanwhile and the unit's buckets are rebuilt in one
    statement at the end (``rollup.suspended_for``), all in this one transaction. The rows were
    checked by the import against the rules ``activity_create`` applies (``check_date``, people of
    the unit's organisation, a kind, a topic, the fields' lengths, ``check_time_true``).

    ``progress(rows written, rows to write)`` is called after each batch.
    """
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    record = {"created": now, "updated": now, "version": 1, "deleted": False}
    activity_table = bulk.Layout(
        Activity,
        (
            "id",
            "date",
            "topic",
            "materials",
            "location",
            "minutes",
            "host_id",
            "recorder_id",
            "kind_id",
            "holiday_reason",
        ),
        {**record, "unit_id": unit.pk, "highlight": ""},
    )
    attendance_table = bulk.Layout(
        Attendance, ("activity_id", "person_id", "status", "reason"), {**record, "signed_in_at": None}
    )
    count = len(activities)
    attendance_count = sum(len(a.attendance) for a in activities)
    total = 2 * count + attendance_count
    done = 0

    def step(table_done: int) -> None:
        if progress:
            progress(done + table_done, total)

    def activity_rows():
        for number, a in enumerate(activities, start=first):
            yield (
                number,
                a.date.isoformat() if sqlite else a.date,
                typed_text(a.topic),
                a.materials,
                a.location,
                a.minutes,
                a.host.id if a.host else None,
                a.recorder.id if a.recorder else None,
                a.kind.id,
                a.holiday_reason,
            )

    def attendance_rows():
        for activity_id, a in enumerate(activities, start=first):
            for entry in a.attendance:
                yield (activity_id, entry.person.id, entry.status, entry.reason)

    step(0)
    with bulk.large_cache(), rollup.suspended_for(connection, unit.pk):
        first = bulk.reserve_ids(Activity, count)
        bulk.insert(activity_table, activity_rows(), progress=step)
        done += count
        attendance_after = bulk.last_id(Attendance)
        bulk.insert(attendance_table, attendance_rows(), progress=step)
        done += attendance_count
        # the history entries are copies of the rows just written, made by the database, with the
        # file, sheet and row each came from as the change reason
        origins = ((number, a.source) for number, a in enumerate(activities, start=first))
        with bulk.origins(origins):
            bulk.insert_history(Activity, after=first - 1, origin_of="id", when=now)
            bulk.insert_history(Attendance, after=attendance_after, origin_of="activity_id", when=now)
        done += count
        step(0)
    return count


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    expected_version: int | None,
    attendance: Iterable[AttendanceEntry] | None = None,
    **changes,
) -> Activity:
    """Change an activity (and, when given, replace its attendance) if nobody changed it meanwhile."""
    allowed = {
        "kind", "date", "topic", "materials", "host", "recorder", "location", "minutes", "highlight",
        "holiday_reason",
    }  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields: {sorted(unknown)}")
    attendance_list = list(attendance) if attendance is not None else []
    merged = {field: changes.get(field, getattr(activity, field)) for field in allowed}
    # the host is checked against the attendance the activity will have: the new one, or as it stands
    standing = (
        attendance_list
        if attendance is not None
        else [
            AttendanceEntry(person=row.person, status=row.status, reason=row.reason)
            for row in Attendance.objects.filter(activity=activity).select_related("person")
        ]
    )
    _validate_activity(
        unit=activity.unit,
        kind=merged["kind"],
        date_=merged["date"],
        topic=merged["topic"],
        host=merged["host"],
        recorder=merged["recorder"],
        attendance=attendance_list,
        materials=merged["materials"],
        holiday_reason=merged["holiday_reason"],
        standing=standing,
    )
    if "topic" in changes:
        changes["topic"] = typed_text(changes["topic"])
    activity = record_update(record=activity, expected_version=expected_version, **changes)
    if attendance is not None:
        _write_attendance(activity, attendance_list)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> Activity:
    """Soft delete: the activity leaves lists and counts; its attendance stays with it for restore."""
    return record_soft_delete(record=activity)


@transaction.atomic
def activity_restore(*, activity: Activity) -> Activity:
    return record_restore(record=activity)


@transaction.atomic
def reflection_create(
    *, person: Person, title: str, text: str, date: date, activity: Activity | None = None, period: str = ""
) -> Reflection:
    errors: dict[str, str] = {}
    check_date(date, errors)
    if not title.strip():
        errors["title"] = gettext("请填写标题。")
    if not text.strip():
        errors["text"] = gettext("请填写正文。")
    if activity is not None and not person.unit.path.startswith(organisation_of(activity.unit).path):
        errors["activity"] = gettext("%(person_name)s不属于该活动所在单位。") % {"person_name": person.name}
    if period:
        from taizhang.core.periods import Period, PeriodError

        try:
            Period.parse(period)
        except PeriodError as exc:
            errors["period"] = str(exc)
    if errors:
        raise ValidationError(errors)
    reflection = Reflection(
        person=person,
        unit=person.unit,
        activity=activity,
        period=period,
        title=typed_text(title),
        text=text,
        date=date,
    )
    reflection.full_clean()
    reflection.save()
    return reflection


SIGN_IN_SALT = "taizhang.ledger.sign-in"
SIGN_IN_MAX_MINUTES = 12 * 60


class SignInRefused(ValidationError):
    """A sign-in that must not be recorded; the message is shown to the member as it is."""


def sign_in_token(window: SignInWindow) -> str:
    """The signed token of the window's QR code: tampering with it breaks the signature."""
    return signing.dumps({"w": window.pk, "a": window.activity_id}, salt=SIGN_IN_SALT)


@transaction.atomic
def sign_in_open(
    *, activity: Activity, opened_by, minutes: int = 30, now: datetime | None = None
) -> SignInWindow:
    """Open sign-in for ``minutes`` from now; any window still open for the activity is closed first."""
    if not 1 <= minutes <= SIGN_IN_MAX_MINUTES:
        raise ValidationError(
            {"minutes": gettext("签到时长应在 1 到 %(most)s 分钟之间。") % {"most": SIGN_IN_MAX_MINUTES}}
        )
    now = now or timezone.now()
    for window in SignInWindow.objects.filter(activity=activity, closes_at__gt=now):
        record_update(record=window, expected_version=None, closes_at=now)
    window = SignInWindow(
        activity=activity, opens_at=now, closes_at=now + timedelta(minutes=minutes), opened_by=opened_by
    )
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def sign_in_close(*, window: SignInWindow, now: datetime | None = None) -> SignInWindow:
    now = now or timezone.now()
    if window.closes_at <= now:
        return window
    return record_update(record=window, expected_version=None, closes_at=now)


def sign_in_window_from_token(token: str) -> SignInWindow:
    """The window a scanned token names, or SignInRefused saying plainly what is wrong with it."""
    try:
        data = signing.loads(token, salt=SIGN_IN_SALT, max_age=timedelta(minutes=SIGN_IN_MAX_MINUTES))
    except signing.SignatureExpired as exc:
        raise SignInRefused(gettext("签到二维码已过期，请向联络员索取新的二维码。"), code="expired") from exc
    except signing.BadSignature as exc:
        raise SignInRefused(
            gettext("签到二维码无效：链接被篡改或不完整，请重新扫描。"), code="tampered"
        ) from exc
    window = (
        SignInWindow.objects.select_related("activity", "activity__unit", "activity__kind")
        .filter(pk=data.get("w"), activity_id=data.get("a"), activity__deleted=False)
        .first()
    )
    if window is None:
        raise SignInRefused(gettext("该签到已被撤销，请向联络员索取新的二维码。"), code="revoked")
    return window


@transaction.atomic
def attendance_sign_in(*, token: str, user, now: datetime | None = None) -> Attendance:
    """Record the logged-in member present at the token's activity; signing in again changes nothing."""
    now = now or timezone.now()
    window = sign_in_window_from_token(token)
    activity = window.activity
    person = Person.objects.select_related("unit").filter(user=user).first()
    if person is None:
        raise SignInRefused(
            gettext("您的账号尚未关联人员信息，无法签到，请联系单位管理员。"), code="no_person"
        )
    org = organisation_of(activity.unit)
    if not person.unit.path.startswith(org.path):
        raise SignInRefused(
            gettext("%(person_name)s不属于%(org_name)s，不能签到该单位的活动。")
            % {"person_name": person.name, "org_name": org.name},
            code="other_unit",
        )
    row = Attendance.all_objects.select_for_update().filter(activity=activity, person=person).first()
    if row is not None and not row.deleted and row.status == AttendanceStatus.PRESENT and row.signed_in_at:
        return row  # idempotent: the first sign-in time stands
    if not window.is_open(now):
        local = timezone.localtime
        raise SignInRefused(
            gettext("不在签到时间内：本次签到时间为 %(opens)s 至 %(closes)s。")
            % {
                "opens": format(local(window.opens_at), "%H:%M"),
                "closes": format(local(window.closes_at), "%H:%M"),
            },
            code="closed",
        )
    if row is None:
        return Attendance.objects.create(
            activity=activity, person=person, status=AttendanceStatus.PRESENT, signed_in_at=now
        )
    return record_update(
        record=row,
        expected_version=None,
        status=AttendanceStatus.PRESENT,
        reason="",
        signed_in_at=now,
        deleted=False,
    )


@transaction.atomic
def attendance_mark(*, activity: Activity, person: Person, status: str, reason: str = "") -> Attendance:
    """The clerk records a person on leave or absent (with the reason), or present without a scan."""
    errors: dict[str, str] = {}
    if status not in AttendanceStatus.values:
        errors["status"] = gettext("出勤情况“%(status)s”无效（应为出席、请假或缺席）。") % {"status": status}
    elif status != AttendanceStatus.PRESENT and not reason.strip():
        errors["reason"] = gettext("请填写%(person_name)s%(status_label)s的事由。") % {
            "person_name": person.name,
            "status_label": AttendanceStatus(status).label,
        }
    org = organisation_of(activity.unit)
    if not person.unit.path.startswith(org.path):
        errors["person"] = gettext("%(person_name)s不属于%(org_name)s，不能列入本次活动的考勤。") % {
            "person_name": person.name,
            "org_name": org.name,
        }
    if errors:
        raise ValidationError(errors)
    row = Attendance.all_objects.filter(activity=activity, person=person).first()
    if row is None:
        return Attendance.objects.create(
            activity=activity, person=person, status=status, reason=reason.strip()
        )
    return record_update(
        record=row, expected_version=None, status=status, reason=reason.strip(), deleted=False
    )


# File types an activity may keep, each with the first bytes its content must start with (None: text).
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK",),
    "xlsx": (b"PK",),
    "pptx": (b"PK",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "ofd": (b"PK",),
    "txt": None,
}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@transaction.atomic
def attachment_create(*, activity: Activity, upload) -> Attachment:
    """Keep an uploaded file with the activity, if its size and type are allowed; else nothing is stored."""
    name = upload.name.rsplit("/", 1)[-1]
    limit = settings.TAIZHANG_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": gettext("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s。")
                % {"name": name, "size": _megabytes(upload.size), "limit": _megabytes(limit)}
            }
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        allowed = "、".join(sorted(ATTACHMENT_TYPES))
        raise ValidationError(
            {
                "file": gettext("文件“%(name)s”的类型不允许上传；允许的类型：%(allowed)s。")
                % {"name": name, "allowed": allowed}
            }
        )
    signatures = ATTACHMENT_TYPES[extension]
    head = upload.read(8)
    upload.seek(0)
    if signatures is not None and not head.startswith(signatures):
        raise ValidationError(
            {
                "file": gettext("文件“%(name)s”的内容与扩展名 .%(extension)s 不符，请检查文件。")
                % {"name": name, "extension": extension}
            }
        )
    if extension in uploads.PACKAGES:  # stored, never parsed; but no zip bomb waits for whoever opens it
        try:
            uploads.check_attachment(upload.read(), name=name, extension=extension)
        except uploads.FileRefused as exc:
            raise ValidationError({"file": str(exc)}) from None
        finally:
            upload.seek(0)
    attachment = Attachment(activity=activity, name=name, size=upload.size)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def activity_kinds_sync(*, path) -> list[ActivityKind]:
    """Create or update the kinds the framework file lists; kinds no longer listed are kept."""
    data = read_framework(path)
    areas = {area.code: area for area in Area.objects.all()}
    out = []
    for position, row in enumerate(data.get("activity_kinds") or [], start=1):
        kind, _ = ActivityKind.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en") or "",
                "description": row.get("description", ""),
                "area": areas.get(row.get("area")),
                "order": position,
            },
        )
        out.append(kind)
    return out


def activity_kinds_sync_from_default_framework(**_kwargs) -> None:
    activity_kinds_sync(path=rules_file())


# -- aggregates imported from past summaries --------------------------------------------------------


@transaction.atomic
def imported_figures_create(
    *, unit: Unit, period, sha256: str, rows: Sequence[ImportedFigure]
) -> list[ImportedFigure]:
    """Write a past summary's aggregates (planned by ``documents.seeding``), each with its history.

    The same file is imported once per unit and period: a second import is refused whole (checked
    again here, under the lock of the transaction, for two clerks importing at once)."""
    if (
        ImportedFigure.objects.select_for_update()
        .filter(unit=unit, period=period.code, source_sha256=sha256)
        .exists()
    ):
        raise ValidationError(
            gettext("该文件已导入过%(name)s%(label)s的汇总数，不能重复导入。")
            % {"name": unit.name, "label": period.label}
        )
    for row in rows:
        row.save()
    return list(rows)


def imported_figure_delete(*, figure: ImportedFigure) -> ImportedFigure:
    """Take an aggregate out of every count; ``imported_figure_restore`` brings it back."""
    return record_soft_delete(record=figure)


def imported_figure_restore(*, figure: ImportedFigure) -> ImportedFigure:
    return record_restore(record=figure)
