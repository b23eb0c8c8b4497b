"""Template helpers for the download links other modules' pages carry."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from taizhang.documents.output import pdf

register = template.Library()


@register.simple_tag
def pdf_available() -> bool:
    """Whether PDF links are offered: LibreOffice is installed (without it a PDF link says what to install)."""
    return pdf.soffice_path() is not None


@register.simple_tag
def document_url(which: str, fmt: str, unit, period, **extra) -> str:
    """``/documents/ledger.xlsx?unit=cppcc&period=2020H1`` for a unit (or code) and a period (or code)."""
    query = {
        "unit": getattr(unit, "code", unit),
        "period": getattr(period, "code", period),
        **{k: v for k, v in extra.items() if v not in (None, "", False)},
    }
    return f"{reverse('documents:unit-document', args=[which, fmt])}?{urlencode(query)}"
