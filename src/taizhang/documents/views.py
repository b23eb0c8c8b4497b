"""Summary pages: choose, preview with provenance, edit and save versions, download. Thin."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from taizhang.core.forms import filter_query, remembered_period
from taizhang.core.i18n import in_chinese
from taizhang.documents import services
from taizhang.documents.downloads.files import File
from taizhang.documents.downloads.views import render_start, send
from taizhang.documents.forms import DocumentForm, SummaryForm, WrittenOnForm
from taizhang.documents.models import SummaryVersion
from taizhang.documents.output import pdf
from taizhang.documents.output.formats import CONTENT_TYPES
from taizhang.documents.output.formats import render as render_file
from taizhang.documents.output.model import Document
from taizhang.documents.output.scripts import file_name, in_script
from taizhang.documents.summary.facts import default_date
from taizhang.documents.summary.queries import figure_sources, summary_for
from taizhang.ledger.queries import latest_activity_year
from taizhang.org.scope import can_approve, can_write, visible_units


def _unit_and_period(request, unit: str, period: str):
    """The unit and period the address names (read by the form every page shares); an address
    naming neither is not a page (404, with the form's words)."""
    form = SummaryForm({"unit": unit, "period": period}, user=request.user)
    if not form.is_valid():
        raise Http404(" ".join(message for errors in form.errors.values() for message in errors))
    return form.cleaned_data["unit"], form.cleaned_data["period"]


def summary_start(request):
    """The documents' start page: one form (unit, period, 落款日期, script) for every unit-wide document.

    Its 工作总结 button comes back here and goes on to the summary's preview; the other buttons
    download from ``downloads.views`` with the same fields.
    """
    remembered = {} if request.GET else dict((filter_query(request) or {}).items())  # unit last chosen
    if not request.GET:  # and the period last chosen on any page, else the newest year of ledgers
        period = remembered_period(request)
        year = None if period else latest_activity_year(visible_units(request.user))
        remembered["period"] = period.code if period else (str(year) if year else "")
    form = DocumentForm(request.GET or None, user=request.user, initial=remembered)
    if not form.fields["unit"].codes:
        raise Http404(gettext("您没有可以查看的单位。"))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        url = reverse("documents:summary", kwargs={"unit": data["unit"].code, "period": data["period"].code})
        query = {"date": data["date"].isoformat()} if data["date"] else {}
        return redirect(f"{url}?{urlencode(query)}" if query else url)
    return render_start(request, form, status=400 if form.is_bound else 200)


def _version(request, unit, period, listed: list[SummaryVersion] | None = None) -> SummaryVersion | None:
    """The version the address names (``?version=``), else the latest; found among ``listed`` (the
    latest ones, newest first, as the page lists them) when it is there."""
    number = request.GET.get("version")
    wanted = int(number) if number and number.isdigit() else None
    if listed is not None:
        if wanted is None:
            return listed[0] if listed else None
        found = next((v for v in listed if v.number == wanted), None)
        if found is not None or len(listed) < LISTED_VERSIONS:  # the list holds every version
            return found
    versions = SummaryVersion.objects.filter(unit=unit, period=period.code)
    return versions.first() if wanted is None else versions.filter(number=wanted).first()


LISTED_VERSIONS = 50  # the summary page lists the latest fifty


@in_chinese  # an official Chinese text, whatever language the pages are shown in
def _document(unit, period, version: SummaryVersion | None, written_on: date | None = None) -> Document:
    if version is None:
        return summary_for(unit=unit, period=period, written_on=written_on)
    return summary_for(
        unit=unit,
        period=period,
        written_on=written_on,
        shortcomings=SummaryVersion.lines(version.shortcomings),
        next_steps=SummaryVersion.lines(version.next_steps),
    )


def _options(request) -> WrittenOnForm:
    """The 落款日期 and script the page was asked for (``?date=2020-07-06&script=traditional``)."""
    form = WrittenOnForm(request.GET)
    form.is_valid()
    return form


def summary_preview(request, unit: str, period: str):
    unit_obj, period_obj = _unit_and_period(request, unit, period)
    writable = can_write(request.user, unit_obj)
    if request.method == "POST":
        if not writable:
            raise Http404(gettext("您无权修改该单位的文书。"))
        saved = services.summary_version_save(
            unit=unit_obj,
            period=period_obj,
            shortcomings=request.POST.get("shortcomings", ""),
            next_steps=request.POST.get("next_steps", ""),
            user=request.user,
        )
        messages.success(request, gettext("已保存第%(number)s版。") % {"number": saved.number})
        url = reverse("documents:summary", kwargs={"unit": unit, "period": period_obj.code})
        return redirect(f"{url}?{urlencode({'version': saved.number})}")
    versions = list(
        SummaryVersion.objects.filter(unit=unit_obj, period=period_obj.code).select_related(
            "saved_by__person"
        )[:LISTED_VERSIONS]
    )
    version = _version(request, unit_obj, period_obj, versions)
    options = _options(request)
    written_on = options.cleaned_data.get("date")
    doc = _document(unit_obj, period_obj, version, written_on)

    def blocks() -> list[dict]:
        # asked for by the template only when its kept fragment of the text is missing (a write)
        hover = figure_sources(doc, unit=unit_obj)
        return [{"level": block.level, "html": _spans_html(block.spans, hover)} for block in doc.blocks]

    # The edit boxes start from the saved text, or (no version yet) from the proposals, which are
    # exactly the document just built: no second build.
    section = _sections(doc) if version is None else {}
    context = {
        "unit": unit_obj,
        "period": period_obj,
        "doc": doc,
        "blocks": blocks,
        "version": version,
        "versions": versions,
        "can_write": writable,
        "can_approve": can_approve(request.user, unit_obj),
        "shortcomings": version.shortcomings if version else section["problems"],
        "next_steps": version.next_steps if version else section["steps"],
        "has_pdf": pdf.soffice_path() is not None,
        "written_on": written_on or default_date(period_obj),
        "options": options,
    }
    return render(request, "documents/summary.html", context, status=400 if options.errors else 200)


@require_POST
def summary_approve(request, unit: str, period: str):
    """A leader approves the saved version named in the form."""
    unit_obj, period_obj = _unit_and_period(request, unit, period)
    version = get_object_or_404(
        SummaryVersion, unit=unit_obj, period=period_obj.code, number=request.POST.get("version") or 0
    )
    url = reverse("documents:summary", kwargs={"unit": unit_obj.code, "period": period_obj.code})
    try:
        services.summary_version_approve(version=version, user=request.user)
    except PermissionDenied:
        raise Http404(gettext("您无权审定该单位的文书。")) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("第%(number)s版已审定。") % {"number": version.number})
    return redirect(f"{url}?{urlencode({'version': version.number})}")


def _spans_html(spans, hover: dict[str, str]) -> str:
    """A paragraph of the preview: its placeholders marked, its figures with the records behind
    them (a tooltip), escaped as the template would; drawn here rather than by the template's loop,
    which after each write in the unit took longer than the rest of the page."""
    out = []
    for span in spans:
        text = conditional_escape(span.text)
        title = hover.get(span.figure, "")
        if span.placeholder:
            out.append(f"<mark>{text}</mark>")
        elif title:
            out.append(
                f'<span class="figure" tabindex="0" title="{conditional_escape(title)}">{text}'
                f'<span class="sources" role="tooltip">{linebreaksbr(title, autoescape=True)}</span></span>'
            )
        else:
            out.append(text)
    return mark_safe("".join(out))  # every piece escaped above


def _sections(doc: Document) -> dict[str, str]:
    """The proposed 存在的问题 / 下一步打算 paragraphs as editable text (placeholders left out): those
    under the headings the summary marked as opening these sections (``Block.section``)."""
    out = {"problems": [], "steps": []}
    current = None
    for block in doc.blocks:
        if block.level == 1:
            current = block.section if block.section in out else None
        elif current and not any(s.placeholder for s in block.spans):
            # Paragraphs that still ask for input are not proposals; the clerk writes those.
            out[current].append(block.text)
    return {key: "\n".join(lines) for key, lines in out.items()}


@in_chinese
def summary_download(request, unit: str, period: str, fmt: str):
    unit_obj, period_obj = _unit_and_period(request, unit, period)
    if fmt not in CONTENT_TYPES:
        raise Http404(gettext("不支持的格式"))
    options = _options(request)
    if options.errors:
        message = "；".join(
            f"{options[name].label}：{' '.join(errors)}" for name, errors in options.errors.items()
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    script = options.cleaned_data["script"]
    if fmt == "pdf" and pdf.soffice_path() is None:
        return HttpResponse(pdf.INSTALL_HINT, status=503, content_type="text/plain; charset=utf-8")
    simplified = _document(
        unit_obj, period_obj, _version(request, unit_obj, period_obj), options.cleaned_data["date"]
    )
    doc = in_script(simplified, script, unit=unit_obj)
    # The name says what the file is and in which script: 《…工作总结（繁体）.docx》.
    response = send(File(file_name(simplified.title, script, fmt), render_file(doc, fmt)))
    if doc.placeholders:
        # A draft with open placeholders may be downloaded, but says so.
        response["X-Taizhang-Placeholders"] = str(len(doc.placeholders))
    return response
