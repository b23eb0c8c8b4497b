"""Activity pages: list with filters, detail, create and edit with attendance. Thin: parse, call, render."""

import tempfile
from pathlib import Path
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from taizhang.core import tables, uploads
from taizhang.core.crud import writable_unit_from
from taizhang.core.forms import add_service_errors, filter_query
from taizhang.documents.ledger_template import template_workbook
from taizhang.ledger import checked_uploads, imports, queries, record_imports, services
from taizhang.ledger.filters import COLUMNS, SORTABLE, ActivityFilterSet
from taizhang.ledger.forms import ActivityForm, ReflectionForm
from taizhang.ledger.models import Activity, Attendance, AttendanceStatus, ImportedFigure
from taizhang.org.queries import organisation_of, organisation_people
from taizhang.org.scope import can_read, can_write, own_person, scope
from taizhang.rules import counting

ERROR_LABELS = {"attendance": _("考勤")}


readable_activities = queries.readable_activities
# what the list's rows leave unread (ActivityFilterSet's rows with unit, kind and host)
LIST_UNREAD = (
    *("materials", "location", "highlight", "holiday_reason", "recorder", "created", "updated", "version"),
    *("host__job_title", "host__phone", "host__created", "host__updated", "host__version"),
)


def activity_list(request):
    """The filtered list (ledger.filters: the same filters as ``/api/activities/``), a page at a time
    or downloaded whole (``export=csv|xlsx``)."""
    query = filter_query(request)
    filterset = ActivityFilterSet(query, queryset=readable_activities(request.user), request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    activities = filterset.qs.select_related("unit", "kind", "host") if valid else Activity.objects.none()
    export = tables.export_format(query)
    if export and valid:
        rows = (
            [f"{a.date:%Y-%m-%d}", a.unit.name, a.kind.name, a.topic, a.host.name if a.host else ""]
            for a in activities.iterator(chunk_size=500)
        )
        return tables.export(rows, labels=[label for label, _ in COLUMNS], name="活动台账", fmt=export)
    # the columns the table and the standings read (a row's other texts and times are not shown)
    shown = activities.defer(*LIST_UNREAD)
    page = tables.paginate(counting.with_evidence(shown), request)
    # whether each listed activity counts, and why not: one read of the requirements for the page
    standings = counting.standings_of(page.object_list)
    # the detail page's address made once, not a reverse() per row
    detail = reverse("ledger:activity-detail", args=[0]).removesuffix("0/")
    for activity in page.object_list:
        activity.standing = standings[activity.pk]
        activity.url = f"{detail}{activity.pk}/"
    return render(
        request,
        "ledger/activity_list.html",
        {
            "form": filterset.form,
            "page": page,
            "unit": filterset.unit,
            "query": tables.query_without(query, "page"),
            "head": tables.head(query, COLUMNS, SORTABLE),
            "exports": tables.export_links(query) if valid else [],
        },
        status=400 if filterset.form.errors else 200,
    )


def activity_detail(request, pk: int):
    activity = get_object_or_404(queries.activity_detail(readable_activities(request.user)), pk=pk)
    full = can_read(request.user, activity.unit)
    rows = queries.attendance_shown(activity, request.user)
    return render(
        request,
        "ledger/activity_detail.html",
        {
            "activity": activity,
            "attendance": rows,
            "full": full,
            "summary": queries.attendance_summary(activity),
            "standing": counting.activity_standing(activity) if full else None,
            "can_write": can_write(request.user, activity.unit),
            # The history names who changed what: for those who read the unit's ledger in full.
            "history": queries.activity_history(activity) if full else [],
        },
    )


def activity_create(request):
    unit, choose = writable_unit_from(
        request, what=gettext("活动"), template="ledger/activity_choose_unit.html"
    )
    if unit is None:
        return choose

    people = organisation_people(unit)
    # ?kind=: the kind a to-do line asks for (its link to record the missing work)
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") else None
    form = ActivityForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                unit=unit,
                kind=data["kind"],
                date=data["date"],
                topic=data["topic"],
                materials=data["materials"],
                host=data["host"],
                recorder=data["recorder"],
                location=data["location"],
                minutes=data["minutes"],
                highlight=data["highlight"],
                holiday_reason=data["holiday_reason"],
                attendance=form.attendance_entries(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, ERROR_LABELS)
        else:
            _say_standing(request, activity, gettext("活动已登记。"))
            return redirect("ledger:activity-detail", pk=activity.pk)
    return render(
        request,
        "ledger/activity_form.html",
        {
            "form": form,
            "unit": unit,
            "rows": form.attendance_rows(),
            "creating": True,
            "needs": counting.needs_by_kind(unit),
        },
    )


def activity_edit(request, pk: int):
    activity = get_object_or_404(
        scope(Activity.objects.select_related("unit", "kind"), request.user, write=True), pk=pk
    )
    people = organisation_people(activity.unit)
    initial = {
        "kind": activity.kind,
        "date": activity.date,
        "topic": activity.topic,
        "materials": activity.materials,
        "host": activity.host,
        "recorder": activity.recorder,
        "location": activity.location,
        "minutes": activity.minutes,
        "highlight": activity.highlight,
        "holiday_reason": activity.holiday_reason,
        "version": activity.version,
    }
    form = ActivityForm(request.POST or None, initial=initial, people=people)
    form.fields["version"].required = True  # an edit must say which state it read
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.activity_update(
                activity=activity,
                expected_version=version,
                attendance=form.attendance_entries(),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, ERROR_LABELS)
        else:
            _say_standing(request, activity, gettext("修改已保存。"))
            return redirect("ledger:activity-detail", pk=activity.pk)
    return render(
        request,
        "ledger/activity_form.html",
        {
            "form": form,
            "unit": activity.unit,
            "activity": activity,
            "rows": form.attendance_rows(activity),
            "needs": counting.needs_by_kind(activity.unit),
        },
    )


def _say_standing(request, activity: Activity, saved: str) -> None:
    """The message after a save: saved, and whether the record counts (a warning when it does not)."""
    standing = counting.activity_standing(activity)
    if standing.standings and not standing.counts:
        titles = pgettext("list separator", "、").join(
            counting.rule_title(rule) for rule in standing.left_out_of
        )
        messages.warning(
            request,
            gettext("%(saved)s%(words)s（%(titles)s）。")
            % {"saved": saved, "words": standing.words, "titles": titles},
        )
    else:
        messages.success(request, saved)


activity_edit.model = Activity  # what it edits, as RecordPages says it (tests find edit forms by it)


def activity_delete(request, pk: int):
    """Soft delete after a confirmation: the activity leaves lists and counts until an admin restores it."""
    activity = get_object_or_404(
        scope(Activity.objects.select_related("unit"), request.user, write=True), pk=pk
    )
    if request.method == "POST":
        services.activity_delete(activity=activity)
        messages.success(
            request,
            gettext("活动“%(activity_topic)s”已删除，可在“已删除的活动”中恢复。")
            % {"activity_topic": activity.topic},
        )
        return redirect("ledger:activity-list")
    return render(request, "ledger/activity_confirm_delete.html", {"activity": activity})


def activity_deleted_list(request):
    """Deleted activities of the units the user administers, newest first, each restorable."""
    deleted = scope(Activity.all_objects.filter(deleted=True), request.user, write=True)
    page = Paginator(deleted.select_related("unit", "kind").order_by("-updated"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "ledger/activity_deleted_list.html", {"page": page})


def activity_restore(request, pk: int):
    activity = get_object_or_404(
        scope(Activity.all_objects.filter(deleted=True), request.user, write=True), pk=pk
    )
    if request.method != "POST":
        return redirect("ledger:activity-deleted")
    services.activity_restore(activity=activity)
    messages.success(
        request,
        gettext("活动“%(activity_topic)s”已恢复，考勤随之恢复。") % {"activity_topic": activity.topic},
    )
    return redirect("ledger:activity-detail", pk=activity.pk)


def mine(request):
    """A member's own page, made for a phone: their attendance, their reflections and a form to add one."""
    person = own_person(request.user)
    form = ReflectionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and person is not None and form.is_valid():
        try:
            services.reflection_create(person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("学习体会已提交。"))
            return redirect("ledger:mine")
    # short on a phone: the form first, then the history ten at a time (each list paged on its own)
    attendance = Paginator(queries.attendance_of(person) if person else [], MINE_PAGE).get_page(
        request.GET.get("page")
    )
    reflections = Paginator(queries.reflections_of(person) if person else [], MINE_PAGE).get_page(
        request.GET.get("rpage")
    )
    return render(
        request,
        "ledger/mine.html",
        {"person": person, "attendance": attendance, "reflections": reflections, "form": form},
    )


MINE_PAGE = 10


def _sign_in_state(activity):
    now = timezone.now()
    window = activity.sign_in_windows.filter(opens_at__lte=now, closes_at__gte=now).first()
    signed = (
        Attendance.objects.filter(
            activity=activity, status=AttendanceStatus.PRESENT, signed_in_at__isnull=False
        )
        .select_related("person", "person__unit")
        .order_by("signed_in_at")
    )
    return window, list(signed)


def activity_sign_in(request, pk: int):
    """The clerk's sign-in page: open or close the window, show the QR code, mark leave and absence."""
    activity = get_object_or_404(
        scope(Activity.objects.select_related("unit", "kind"), request.user, write=True), pk=pk
    )
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                try:
                    minutes = int(request.POST.get("minutes") or 30)
                except ValueError:
                    raise ValidationError({"minutes": gettext("签到时长请填写整数分钟。")}) from None
                services.sign_in_open(activity=activity, opened_by=request.user, minutes=minutes)
                messages.success(request, gettext("已开始签到，请成员扫描二维码。"))
            elif action == "close":
                window, _ = _sign_in_state(activity)
                if window is not None:
                    services.sign_in_close(window=window)
                messages.success(request, gettext("签到已结束。"))
            elif action == "mark":
                person = organisation_people(activity.unit).filter(pk=request.POST.get("person") or 0).first()
                if person is None:
                    raise ValidationError({"person": gettext("所选人员不属于本单位，请重新选择。")})
                services.attendance_mark(
                    activity=activity,
                    person=person,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, gettext("已登记%(person_name)s的考勤。") % {"person_name": person.name}
                )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            return redirect("ledger:activity-sign-in", pk=activity.pk)
    window, signed = _sign_in_state(activity)
    qr = url = None
    if window is not None:
        url = request.build_absolute_uri(reverse("ledger:sign-in", args=[services.sign_in_token(window)]))
        qr = segno.make(url, error="m").svg_inline(scale=5, border=2)
    people = _people_marked(activity)
    return render(
        request,
        "ledger/activity_sign_in.html",
        {
            "activity": activity,
            "window": window,
            "qr": qr,
            "url": url,
            "signed": signed,
            "people": people,
            "errors": errors,
            "statuses": AttendanceStatus.choices,
        },
    )


def _people_marked(activity) -> list[dict]:
    """Each person of the activity's organisation with their attendance row (None: not marked)."""
    marked = {row.person_id: row for row in Attendance.objects.filter(activity=activity)}
    return [{"person": person, "row": marked.get(person.pk)} for person in organisation_people(activity.unit)]


def activity_sign_in_live(request, pk: int):
    """Who has signed in so far: the fragment the sign-in page polls, with every person's status
    swapped in place too (a member who signs in stops being 未登记 without a reload)."""
    activity = get_object_or_404(scope(Activity.objects.all(), request.user, write=True), pk=pk)
    _, signed = _sign_in_state(activity)
    return render(
        request,
        "ledger/sign_in_live.html",
        {"signed": signed, "people": _people_marked(activity), "oob": True},
    )


def sign_in(request, token: str):
    """What a member's phone opens from the QR code: confirm, then recorded present (once)."""
    try:
        window = services.sign_in_window_from_token(token)
        if request.method == "POST":
            row = services.attendance_sign_in(token=token, user=request.user)
            return render(request, "ledger/sign_in_done.html", {"activity": window.activity, "row": row})
    except services.SignInRefused as exc:
        return render(request, "ledger/sign_in_refused.html", {"message": exc.messages[0]}, status=403)
    person = own_person(request.user)
    org = organisation_of(window.activity.unit)
    if person is None or not person.unit.path.startswith(org.path):
        # Refused before the member taps anything, and without telling them which activity it was.
        name = person.name if person else request.user.get_username()
        message = gettext("%(name)s不属于该活动所在单位，不能签到。") % {"name": name}
        return render(request, "ledger/sign_in_refused.html", {"message": message}, status=403)
    return render(
        request,
        "ledger/sign_in.html",
        {"activity": window.activity, "window": window, "person": person, "now": timezone.now()},
    )


def activity_attachment_add(request, pk: int):
    """Upload a file to an activity; a refused file leaves a message on the activity page and no trace."""
    activity = get_object_or_404(scope(Activity.objects.all(), request.user, write=True), pk=pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, gettext("附件：请选择要上传的文件。"))
        else:
            try:
                services.attachment_create(activity=activity, upload=upload)
            except ValidationError as exc:
                for message in exc.message_dict.get("file", exc.messages):
                    messages.error(request, gettext("附件：%(message)s") % {"message": message})
            else:
                messages.success(
                    request, gettext("附件“%(upload_name)s”已上传。") % {"upload_name": upload.name}
                )
    return redirect("ledger:activity-detail", pk=activity.pk)


def import_template(request):
    """The blank ledger workbook (``taizhang template ledger``): a sheet per record type to fill in."""
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('台账导入模板.xlsx')}"
    return response


def activity_import(request):
    """Upload a clerk's own .xlsx or .csv ledger: check it, then write the file checked.

    A workbook may hold activity sheets and sheets of the other record types (submissions, donations,
    risk points …). The upload is checked in full before anything is written
    (``record_imports.plan_workbook``, read in a child process under the upload limits, then the
    services' own checks in a transaction undone unless written). 检查 (``action=check``) lists every
    problem by cell, or what would be written per type and whether each activity would count toward
    the requirements (``rules.counting``); a passing file is kept for this login
    (``checked_uploads``) and 写入 (``action=write``) writes that very file, checked again against
    the ledger as it is then. A file posted without an action is checked and, if it passes, written
    at once.
    """
    unit, choose = writable_unit_from(
        request,
        what=gettext("活动"),
        template="ledger/activity_choose_unit.html",
        context={"importing": True},
    )
    if unit is None:
        return choose
    context = {"unit": unit, "limit_mb": settings.TAIZHANG_UPLOAD_MAX_BYTES // 1024 // 1024}
    if request.method != "POST":
        return render(request, "ledger/activity_import.html", context)
    action = request.POST.get("action", "")
    if action == "write":
        return _import_checked(request, unit, context)
    upload = request.FILES.get("file")
    if upload is None:
        context["errors"], context["error_count"] = [gettext("请选择要导入的台账文件（.xlsx 或 .csv）。")], 1
        return render(request, "ledger/activity_import.html", context, status=400)
    name = Path(upload.name).name
    if upload.size > settings.TAIZHANG_UPLOAD_MAX_BYTES:
        context["errors"] = [
            gettext(
                "“%(name)s”超过 %(context_limit_mb)s MB，请拆分后上传，或请管理员用 taizhang import 导入。"
            )
            % {"name": name, "context_limit_mb": context["limit_mb"]}
        ]
        context["error_count"] = 1
        return render(request, "ledger/activity_import.html", context, status=400)
    check_only = action == "check" or bool(request.POST.get("dry_run"))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"upload{Path(name).suffix.lower()}"
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        plan = _import_plan(path, unit, name, context, write=not check_only)
        if plan is not None and action == "check":  # (``dry_run``, the old form's box: no write step)
            context["token"] = checked_uploads.keep(user=request.user, unit=unit.code, name=name, source=path)
    return _import_answer(request, unit, plan, context, written=not check_only)


def _import_plan(path: Path, unit, name: str, context: dict, *, write: bool):
    """Check the file (and write it when ``write``): the plan, or None with ``context["errors"]``."""
    try:  # read in a child process under the upload limits (core.uploads); messages name the user's file
        plan = record_imports.plan_workbook(
            path, unit, display_name=name, limits=uploads.limits(uploads.UPLOAD)
        )
    except imports.ImportFileError as exc:
        context["errors"], context["error_count"] = [str(exc)], 1
        return None
    if not plan.problems:
        record_imports.apply(plan, unit, write=write)
    if plan.problems:  # the first 200 by cell, then how many more of which kinds
        context["errors"], context["error_count"] = plan.problems.lines(), len(plan.problems)
        return None
    return plan


def _import_checked(request, unit, context: dict):
    """写入: the file this login checked (kept under its token), checked again and written."""
    checked = checked_uploads.take(user=request.user, token=request.POST.get("token", ""))
    if checked is None or checked.unit != unit.code:
        context["errors"] = [gettext("检查过的文件已失效（超过1小时或已写入），请重新选择文件检查。")]
        context["error_count"] = 1
        return render(request, "ledger/activity_import.html", context, status=400)
    plan = _import_plan(checked.path, unit, checked.name, context, write=True)
    if plan is not None:
        checked_uploads.discard(user=request.user, token=checked.token)
    return _import_answer(request, unit, plan, context, written=True)


def _import_answer(request, unit, plan, context: dict, *, written: bool):
    if plan is None:
        return render(request, "ledger/activity_import.html", context, status=400)
    rows = plan.activities.activities
    standings = counting.planned_standings(unit, rows)
    counted, left_out, unread, reasons = counting.tally(standings)
    if not written:
        context.update(
            plan=plan,
            planned=list(zip(rows, standings, strict=True)),
            counted=counted,
            left_out=left_out,
            unread=unread,
            reasons=reasons,
        )
        return render(request, "ledger/activity_import.html", context)
    if left_out:
        messages.warning(
            request,
            gettext("已导入 %(summary)s；其中 %(count)s 条活动不计入考核（%(reasons)s）。")
            % {
                "summary": plan.summary(),
                "count": left_out,
                "reasons": gettext("；").join(
                    gettext("%(words)s %(n)s 条") % {"words": words, "n": n} for words, n in reasons
                ),
            },
        )
    else:
        messages.success(request, gettext("已导入 %(summary)s。") % {"summary": plan.summary()})
    return redirect(f"{reverse('ledger:activity-list')}?unit={unit.code}")


def imported_list(request):
    """The aggregates imported from past summaries (``taizhang import-summary``) of the units the user
    reads, each with its source and whether it counts; one who may write to the unit deletes one
    (it stops counting) or restores it. The one POST names the figure and what to do with it."""
    if request.method == "POST":
        figure = get_object_or_404(
            scope(ImportedFigure.all_objects.select_related("unit"), request.user, write=True),
            pk=request.POST.get("figure") if str(request.POST.get("figure", "")).isdigit() else 0,
        )
        action = request.POST.get("action")
        if action == "delete" and not figure.deleted:
            services.imported_figure_delete(figure=figure)
            messages.success(
                request,
                gettext("已删除导入的汇总数“%(what)s%(figure_text)s”，不再计数；可恢复。")
                % {"what": figure.what, "figure_text": figure.figure_text},
            )
        elif action == "restore" and figure.deleted:
            services.imported_figure_restore(figure=figure)
            messages.success(
                request,
                gettext("已恢复导入的汇总数“%(what)s%(figure_text)s”。")
                % {"what": figure.what, "figure_text": figure.figure_text},
            )
        return redirect(f"{reverse('ledger:imported-list')}?unit={figure.unit.code}")
    figures = scope(ImportedFigure.all_objects.all(), request.user)
    unit_code = request.GET.get("unit")
    if unit_code:
        figures = figures.filter(unit__code=unit_code)
    writable = set(
        scope(ImportedFigure.all_objects.all(), request.user, write=True).values_list("pk", flat=True)
    )
    page = Paginator(queries.imported_list(figures), 50).get_page(request.GET.get("page"))
    return render(
        request, "ledger/imported_list.html", {"page": page, "writable": writable, "unit_code": unit_code}
    )
