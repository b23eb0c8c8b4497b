"""Writes to the ledger. Every rule a form, the API, an import or the demo must obey lives here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from taizhang.core import uploads
from taizhang.core.cells import typed_text
from taizhang.core.checks import check_date
from taizhang.core.framework_file import read_framework, rules_file
from taizhang.core.services import record_restore, record_soft_delete, record_update
from taizhang.ledger.activity_checks import AttendanceEntry, _validate_activity
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
from taizhang.org.scope import own_person


def _write_attendance(
    activity: Activity, attendance: Iterable[AttendanceEntry], *, new_activity: bool = False
) -> list[Attendance]:
    """Make the activity's attendance exactly ``attendance``; rows left out are soft-deleted.

    The new rows go in with one INSERT and their history entries with another (an activity is
    recorded with a whole meeting's attendance: two statements instead of two per person); the
    entries are what a save writes (``HISTORY``: the same fields, the login of the request), and
    ``bulk_create`` notes the activity's unit for ``core.stamps`` as a save's entry would.
    Returns the new rows."""
    existing = (
        {}  # an activity just written has no rows yet
        if new_activity
        else {row.person_id: row for row in Attendance.all_objects.filter(activity=activity)}
    )
    keep = set()
    new = []
    for entry in attendance:
        row = existing.get(entry.person.pk)
        signed = entry.signed_in_at
        if row is None:
            new.append(
                Attendance(
                    activity=activity,
                    person=entry.person,
                    status=entry.status,
                    reason=entry.reason,
                    signed_in_at=signed,
                )
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
        keep.add(entry.person.pk)
    if new:
        Attendance.all_objects.bulk_create(new)
        Attendance.history.bulk_history_create(new, default_change_reason=None)
    for person_id, row in existing.items():
        if person_id not in keep and not row.deleted:
            record_soft_delete(record=row)
    return new


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
    """Record an activity with its attendance; on any invalid field nothing is written. Its checks
    read before the write transaction, which holds SQLite's write lock (``attendance_sign_in``)."""
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
    with transaction.atomic():
        activity.save()
        rows = _write_attendance(activity, attendance, new_activity=True)
    # Its attendance as ``prefetch_related`` would keep it (every row new, by person): whoever
    # shows the activity next reads no more (a filter still queries).
    kept = Attendance.objects.filter(activity=activity)
    kept._result_cache, kept._prefetch_done = sorted(rows, key=lambda row: row.person_id), True
    activity._prefetched_objects_cache = {"attendances": kept}
    return activity


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
    check_date(date, errors, "date", gettext("日期"))
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


def attendance_sign_in(
    *, token: str, user, now: datetime | None = None, window: SignInWindow | None = None
) -> Attendance:
    """Record the logged-in member present at the token's activity; signing in again changes nothing.
    ``window``: the token's, when the caller has already read it (``sign_in_window_from_token``).

    Who the member is and whether they may sign in are read before the write transaction, which
    holds SQLite's one write lock (from BEGIN) for the member's row alone: a 主题党日's hundreds of
    members queue on that lock, and each read inside it lengthened everyone's wait."""
    now = now or timezone.now()
    window = window or sign_in_window_from_token(token)
    activity = window.activity
    person = own_person(user)  # kept on the login: the page after names it without reading it again
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
    with transaction.atomic():
        row = Attendance.all_objects.select_for_update().filter(activity=activity, person=person).first()
        if (
            row is not None
            and not row.deleted
            and row.status == AttendanceStatus.PRESENT
            and row.signed_in_at
        ):
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
    """Write a past summary's aggregates (planned by ``documents.drafts.seeding``), each with its history.

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
