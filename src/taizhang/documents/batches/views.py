"""The batch pages: ask for a batch, watch its progress, download the .zip. Thin.

A batch belongs to the person who asked for it: another login's batch answers 404, like any record
outside one's scope. The units are those the person may read in full (``org.scope.visible_units``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from taizhang.documents.forms import BatchForm
from taizhang.documents.models import Batch
from taizhang.documents.tasks import batch_path, batch_start
from taizhang.org.scope import visible_units


def _mine(request):
    return Batch.objects.filter(requested_by=request.user).select_related("unit")


def batch_list(request):
    form = BatchForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if not form.fields["unit"].codes:
        raise Http404(gettext("您没有可以查看的单位。"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = batch_start(
            kind=data["kind"],
            unit=data["unit"],
            units=visible_units(request.user),
            period=data["period"],
            written_on=data["date"],
            script=data["script"],
            user=request.user,
        )
        return redirect("documents:batch-detail", pk=batch.pk)
    context = {"form": form, "batches": _mine(request)[:20], "days": settings.TAIZHANG_BATCH_DAYS}
    return render(request, "documents/batch_list.html", context, status=400 if form.errors else 200)


def batch_detail(request, pk: int):
    batch = get_object_or_404(_mine(request), pk=pk)
    return render(
        request, "documents/batch_detail.html", {"batch": batch, "days": settings.TAIZHANG_BATCH_DAYS}
    )


def batch_progress(request, pk: int):
    """The progress block alone, for the page's polling (htmx swaps it in place)."""
    batch = get_object_or_404(_mine(request), pk=pk)
    return render(
        request, "documents/_batch_progress.html", {"batch": batch, "days": settings.TAIZHANG_BATCH_DAYS}
    )


def batch_download(request, pk: int):
    batch = get_object_or_404(_mine(request), pk=pk, status=Batch.Status.DONE)
    path = batch_path(batch)
    if not path.is_file():
        raise Http404(gettext("文件已删除。"))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
    )
