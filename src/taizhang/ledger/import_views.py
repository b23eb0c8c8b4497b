"""Importing a clerk's own ledger: the blank template, checking and writing an upload, and the figures
imported as totals (台账汇总数)."""

import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from taizhang.core import uploads
from taizhang.core.crud import writable_unit_from
from taizhang.ledger import checked_uploads, imports, queries, record_imports, services
from taizhang.ledger.hooks import counting
from taizhang.ledger.models import ImportedFigure
from taizhang.ledger.template import template_workbook
from taizhang.org.scope import scope


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
