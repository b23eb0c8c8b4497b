"""The fact-check page: a draft uploaded (or pasted), shown with each figure marked against the ledger
and each wrongly written expression marked with its canonical form. Thin: reads and renders only;
nothing is stored. An upload is read only once the unit and period are known to be the user's
(``core.uploads``: in a child process, under the upload limits); pasted text is held to the same
limits on characters and lines."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taizhang.core.forms import remember_period, remembered_period
from taizhang.core.limits import check_text
from taizhang.core.uploads import UPLOAD, FileRefused, check_size, limits, read_document
from taizhang.documents.drafts.factcheck import AGREES, DIFFERS, Report
from taizhang.documents.drafts.queries import factcheck_for
from taizhang.documents.forms import SummaryForm
from taizhang.ledger.queries import latest_activity_year
from taizhang.org.scope import visible_units

STATUS_LABELS = {AGREES: _("与台账一致"), DIFFERS: _("与台账不符"), "unknown": _("台账中无此项，无从核对")}


def _default_period(request) -> str:
    """The period last chosen on any page, else the newest year the login's units kept ledgers in
    (the matrix, the unit page and the documents open on the same one)."""
    remembered = remembered_period(request)
    if remembered is not None:
        return remembered.code
    year = latest_activity_year(visible_units(request.user))
    return str(year) if year else ""


def factcheck_page(request):
    posted = request.method == "POST"
    initial = {
        "unit": request.GET.get("unit"),
        "period": request.GET.get("period") or _default_period(request),
    }
    form = SummaryForm(request.POST if posted else None, user=request.user, initial=initial)
    # what was pasted stays in its box after the check, beside the draft marked up below it
    context = {"form": form, "text": request.POST.get("text", ""), "pasted": request.POST.get("text", "")}
    if not posted:
        return render(request, "documents/factcheck.html", context)
    # The unit's and the period's errors are shown on their fields; the draft's are listed above.
    errors = []
    valid = form.is_valid()
    unit, period = form.cleaned_data.get("unit"), form.cleaned_data.get("period")
    text = context["text"]
    upload = request.FILES.get("draft")
    within = limits(UPLOAD)
    if upload is not None and valid:  # a file is read for a unit the user may check, not before
        name = upload.name.rsplit("/", 1)[-1]
        try:
            check_size(upload.size, name, within)
            text = read_document(upload.read(), name=name, channel=UPLOAD)
        except FileRefused as exc:
            errors.append(str(exc))
    elif upload is None and not text.strip():
        errors.append(gettext("请上传文稿（.txt、.md、.docx）或把文稿粘贴在文本框里。"))
    elif upload is None:
        try:
            check_text(text, gettext("粘贴的文稿"), within)
        except FileRefused as exc:
            errors.append(str(exc))
    if errors or not valid:
        return render(request, "documents/factcheck.html", {**context, "errors": errors}, status=400)
    _, report = factcheck_for(text=text, unit=unit, period=period)
    remember_period(request)
    return render(
        request,
        "documents/factcheck.html",
        {
            **context,
            "text": text,
            "checked_unit": unit,
            "checked_period": period,
            "report": report,
            "lines": _marked(text, report),
            "differs": sum(1 for c in report.checks if c.status == DIFFERS),
        },
    )


def _marked(text: str, report: Report) -> list[list[dict]]:
    """The draft as lines of pieces, each figure or misworded expression a marked piece."""
    marks = []
    for check in report.checks:
        f = check.figure
        title = STATUS_LABELS[check.status]
        if check.ledger:
            title += (
                f"：台账为 {check.ledger_value}{f.unit}（" + "＋".join(x.label for x in check.ledger) + "）"
            )
        marks.append((f.start, f.end, check.status, title))
    for m in report.misworded:
        marks.append(
            (
                m.start,
                m.end,
                "misworded",
                gettext("提法有误，应为“%(canonical)s”") % {"canonical": m.canonical},
            )
        )
    pieces: list[dict] = []
    position = 0
    for start, end, status, title in sorted(marks):
        if start < position:
            continue
        if start > position:
            pieces.append({"text": text[position:start]})
        pieces.append({"text": text[start:end], "status": status, "title": title})
        position = end
    pieces.append({"text": text[position:]})
    lines: list[list[dict]] = [[]]
    for piece in pieces:
        parts = piece["text"].split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append([])
            if part:
                lines[-1].append({**piece, "text": part})
    return lines
