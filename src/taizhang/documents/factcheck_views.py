"""The fact-check page: a draft uploaded (or pasted), shown with each figure marked against the ledger
and each wrongly written expression marked with its canonical form. Thin: reads and renders only;
nothing is stored."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from taizhang.core.periods import Period, PeriodError
from taizhang.documents.drafts import factcheck_for
from taizhang.documents.factcheck import AGREES, DIFFERS, Report
from taizhang.extract.reader import ReadError, read_bytes
from taizhang.org.scope import visible_units

STATUS_LABELS = {AGREES: "与台账一致", DIFFERS: "与台账不符", "unknown": "台账中无此项，无从核对"}


def factcheck_page(request):
    units = visible_units(request.user).order_by("path")[:500]
    data = request.POST if request.method == "POST" else request.GET
    context = {
        "units": units,
        "unit": data.get("unit", ""),
        "period": data.get("period", "").strip() or "2020H1",
        "text": request.POST.get("text", ""),
    }
    if request.method != "POST":
        return render(request, "documents/factcheck.html", context)
    errors = []
    unit = visible_units(request.user).filter(code=context["unit"]).first()
    if unit is None:
        errors.append("没有该单位，或您无权查看。")
    try:
        period = Period.parse(context["period"])
    except PeriodError as exc:
        errors.append(str(exc))
    text = context["text"]
    upload = request.FILES.get("draft")
    if upload is not None:
        limit = settings.TAIZHANG_UPLOAD_MAX_BYTES
        try:
            text = read_bytes(upload.read(limit + 1), name=upload.name, max_bytes=limit)
        except ReadError as exc:
            errors.append(str(exc))
    elif not text.strip():
        errors.append("请上传文稿（.txt、.md、.docx）或把文稿粘贴在文本框里。")
    if errors:
        return render(request, "documents/factcheck.html", {**context, "errors": errors}, status=400)
    _, report = factcheck_for(text=text, unit=unit, period=period)
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
        marks.append((m.start, m.end, "misworded", f"提法有误，应为“{m.canonical}”"))
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
