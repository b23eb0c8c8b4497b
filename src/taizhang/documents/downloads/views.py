"""Downloads of every document: thin views that check who asks, then hand over a ``files.File``.

Who may download what follows ``org.scope``: a unit-wide document (ledger workbook, study archive,
bulletin, score sheet) only for a unit the login reads in full (admin, unit admin, leader of it or
an ancestor); an activity's record and sign-in sheet likewise, since they list every attendee; the
roster's phone numbers only for the unit's admins. A member reads none of these (404, as for any
record outside their scope).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from taizhang.documents.bulletin.queries import NoPeers
from taizhang.documents.downloads import files
from taizhang.documents.forms import DocumentForm
from taizhang.documents.output import pdf
from taizhang.ledger.models import Activity
from taizhang.org.scope import can_see_personal_data, scope, writable_units

# Which document, in which formats, built from the form's cleaned data.
UNIT_DOCUMENTS = {
    "ledger": ("xlsx",),
    "archive": files.WORD_FORMATS,
    "bulletin": files.WORD_FORMATS,
    "score": ("xlsx",),
}


def render_start(request, form: DocumentForm, *, status: int = 200) -> HttpResponse:
    """The documents' start page with ``form`` (and its errors, when a download was refused)."""
    context = {
        "form": form,
        "has_pdf": pdf.soffice_path() is not None,
        # The roster's phone numbers: offered to those who administer some unit, checked per unit.
        "can_personal": writable_units(request.user).exists(),
    }
    return render(request, "documents/start.html", context, status=status)


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def send(file: files.File) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = file.content_disposition
    return response


def _no_pdf(fmt: str) -> HttpResponse | None:
    """Without LibreOffice a PDF link answers what to install (503), not a server error."""
    if fmt == "pdf" and pdf.soffice_path() is None:
        return _text(pdf.INSTALL_HINT, 503)
    return None


def activity_document(request, pk: int, which: str, fmt: str):
    if which not in ("record", "signin") or fmt not in files.WORD_FORMATS:
        raise Http404(gettext("没有这种文书。"))
    # The records of units the login reads in full: a member's own attendance does not open the sheet.
    activity = get_object_or_404(scope(Activity.objects.select_related("unit", "kind"), request.user), pk=pk)
    return _no_pdf(fmt) or send(files.activity_document(activity, which, fmt))


def unit_document(request, which: str, fmt: str):
    """``/documents/ledger.xlsx?unit=cppcc&period=2020H1`` and the like; a bad field is a 400 page."""
    if fmt not in UNIT_DOCUMENTS.get(which, ()):
        raise Http404(gettext("没有这种文书。"))
    form = DocumentForm(request.GET, user=request.user)
    if not form.fields["unit"].codes:
        raise Http404(gettext("您没有可以查看的单位。"))
    if not form.is_valid():
        return render_start(request, form, status=400)
    data = form.cleaned_data
    unit, period = data["unit"], data["period"]
    if which == "ledger":
        if data["personal"] and not can_see_personal_data(request.user, unit):
            return _text(gettext("只有本单位管理员可以导出含手机号码的人员名册。"), 403)
        file = files.ledger_workbook(unit, period, with_children=data["children"], personal=data["personal"])
    elif which == "score":
        try:
            file = files.score_sheet(unit, period, as_of=data["as_of"])
        except ValueError as exc:
            form.add_error("as_of", str(exc))
            return render_start(request, form, status=400)
    else:
        if refused := _no_pdf(fmt):
            return refused
        if which == "archive":
            file = files.study_archive(unit, period, fmt)
        else:
            try:
                file = files.bulletin(unit, period, fmt, script=data["script"], written_on=data["date"])
            except NoPeers as exc:
                form.add_error("unit", str(exc))
                return render_start(request, form, status=400)
    response = send(file)
    if data["personal"] and which == "ledger":
        response["Cache-Control"] = "no-store"
    return response
