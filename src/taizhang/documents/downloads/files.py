"""Each document as a file to hand over: its bytes, its content type and a name that says what it is.

The pages, the background batches and (through the same builders) the command line produce the same
files. A name says the unit, the period and the script (《县政协机关2020年上半年台账.xlsx》); the
callers decide who may ask for which unit (``org.scope``), these functions only build.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from taizhang.core.periods import Period
from taizhang.documents.archive.build import activity_record_docx, sign_in_sheet_docx, study_archive_docx
from taizhang.documents.archive.queries import activity_records, study_activities
from taizhang.documents.bulletin.queries import bulletin_for
from taizhang.documents.output import pdf
from taizhang.documents.output.formats import CONTENT_TYPES, render
from taizhang.documents.output.scripts import file_name, in_script
from taizhang.documents.workbook.queries import ledger_export
from taizhang.ledger.models import Activity
from taizhang.org.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {**CONTENT_TYPES, "xlsx": XLSX}
# The formats a Word document is offered in: PDF goes through LibreOffice (documents/output/pdf.py).
WORD_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class File:
    """A finished download: what the browser saves and under which name."""

    name: str
    data: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.name.rsplit(".", 1)[-1]]

    @property
    def content_disposition(self) -> str:
        """RFC 6266 with the RFC 5987 UTF-8 name, after a plain ASCII name for old clients."""
        suffix = self.name.rsplit(".", 1)[-1]
        return f"attachment; filename=\"taizhang.{suffix}\"; filename*=UTF-8''{quote(self.name, safe='')}"


def _safe(text: str) -> str:
    """A name part without the characters file systems refuse (a topic may hold a slash)."""
    return re.sub(r'[\\/:*?"<>|\r\n\t]+', "-", text).strip(" .-")[:60]


def _word(data: bytes, fmt: str) -> bytes:
    """A .docx as it is, or converted to PDF (raises pdf.PdfUnavailable without LibreOffice)."""
    return pdf.docx_to_pdf(data) if fmt == "pdf" else data


def activity_document(activity: Activity, which: str, fmt: str) -> File:
    """The activity's record (``record``, 学习（会议）记录) or its sign-in sheet (``signin``, 签到表)."""
    (rec,) = activity_records(Activity.objects.filter(pk=activity.pk))
    build = activity_record_docx if which == "record" else sign_in_sheet_docx
    what = "活动记录" if which == "record" else "签到表"
    stem = f"{activity.unit.name}{activity.date:%Y-%m-%d}{_safe(activity.topic)}{what}"
    return File(f"{stem}.{fmt}", _word(build(rec, activity.unit.name), fmt))


def study_archive(unit: Unit, period: Period, fmt: str) -> File:
    recs = activity_records(study_activities(unit=unit, period=period))
    data = study_archive_docx(recs, unit_name=unit.name, period=period)
    return File(f"{unit.name}{period.label}学习档案.{fmt}", _word(data, fmt))


def ledger_workbook(
    unit: Unit, period: Period, *, with_children: bool = False, personal: bool = False
) -> File:
    data = ledger_export(unit=unit, period=period, with_children=with_children, personal=personal)
    stem = f"{unit.name}{period.label}台账" + ("（含下级单位）" if with_children else "")
    return File(f"{stem}.xlsx", data)


def bulletin(unit: Unit, period: Period, fmt: str, *, script: str, written_on: date | None = None) -> File:
    """Raises ``bulletin.queries.NoPeers`` for a unit with no sub-units to rank."""
    doc = bulletin_for(root=unit, period=period, written_on=written_on)
    return File(
        file_name(f"{unit.name}{period.label}通报", script, fmt),
        render(in_script(doc, script, unit=unit), fmt),
    )


def score_sheet(unit: Unit, period: Period, *, as_of: date | None = None) -> File:
    """Raises ValueError (in Chinese) for an as-of day the compliance check refuses."""
    from taizhang.rules.check import compliance
    from taizhang.rules.export import score_sheet_write

    check = compliance(unit=unit, window=period, as_of=as_of)
    buffer = io.BytesIO()
    score_sheet_write(check, buffer)
    return File(f"{unit.name}{period.label}考核评分表.xlsx", buffer.getvalue())


def summary(unit: Unit, period: Period, fmt: str, *, script: str, written_on: date | None = None) -> File:
    """The summary as the ledger stands (no saved version): what a batch bundles for each unit."""
    from taizhang.documents.summary.queries import summary_for

    doc = summary_for(unit=unit, period=period, written_on=written_on)
    return File(file_name(doc.title, script, fmt), render(in_script(doc, script, unit=unit), fmt))
