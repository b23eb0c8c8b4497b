"""Per-activity records an inspector reads (会议记录/学习记录), sign-in sheets, and the study archive.

Pure: the builders take ``ActivityRecord`` values (read by ``queries.activity_records``) and lay
them out with the GB/T 9704 page from ``gbt9704``. Tables use 四号 (14 pt) so a row fits a name,
a post and a signature cell.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from taizhang.core.periods import Period
from taizhang.documents import gbt9704

TABLE_SIZE = Pt(14)  # 四号


@dataclass(frozen=True)
class Attendee:
    name: str
    job_title: str
    status: str  # present | leave | absent
    reason: str = ""


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    kind_name: str
    date: date
    topic: str
    location: str
    host: str
    recorder: str
    materials: tuple[str, ...]
    minutes: str
    attendees: tuple[Attendee, ...] = field(default=())

    @property
    def present(self) -> list[Attendee]:
        return [a for a in self.attendees if a.status == "present"]

    @property
    def excused(self) -> list[Attendee]:
        return [a for a in self.attendees if a.status != "present"]


def _cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph = cell.add_paragraph()
        gbt9704.plain_format(paragraph, line_pitch=False)
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        gbt9704.set_run_font(run, gbt9704.H1_FONT if bold else gbt9704.BODY_FONT, TABLE_SIZE)


def _table(docx, rows: int, widths: tuple) -> object:
    table = docx.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _title(docx, text: str) -> None:
    paragraph = docx.add_paragraph()
    gbt9704.plain_format(paragraph)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gbt9704.set_run_font(paragraph.add_run(text), gbt9704.TITLE_FONT, gbt9704.TITLE_SIZE)


def _line(docx, text: str, *, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = docx.add_paragraph()
    gbt9704.plain_format(paragraph)
    paragraph.alignment = align
    gbt9704.set_run_font(paragraph.add_run(text), gbt9704.BODY_FONT, gbt9704.BODY_SIZE)


def _date(day: date) -> str:
    return gbt9704.chinese_date(day)


def add_activity_record(docx, rec: ActivityRecord, unit_name: str) -> None:
    """The 学习记录 of one activity: who, when, where, who came and who did not and why, what was studied."""
    _title(docx, f"{rec.kind_name}记录")
    _line(docx, unit_name, align=WD_ALIGN_PARAGRAPH.CENTER)
    absent = "；".join(
        f"{a.name}（{'请假' if a.status == 'leave' else '缺席'}{'：' + a.reason if a.reason else ''}）"
        for a in rec.excused
    )
    rows = [
        ("时间", _date(rec.date)),
        ("地点", rec.location or "—"),
        ("主持人", rec.host or "—"),
        ("记录人", rec.recorder or "—"),
        ("主题", rec.topic),
        (
            "出勤情况",
            f"应到{len(rec.attendees)}人，实到{len(rec.present)}人，"
            f"请假{sum(a.status == 'leave' for a in rec.attendees)}人，"
            f"缺席{sum(a.status == 'absent' for a in rec.attendees)}人",
        ),
        ("参加人员", "、".join(a.name for a in rec.present) or "—"),
        ("请假、缺席人员及事由", absent or "无"),
        ("学习材料", "\n".join(rec.materials) or "—"),
        ("主要内容", rec.minutes or "—"),
    ]
    table = _table(docx, len(rows), (Mm(40), Mm(116)))
    for (label, value), row in zip(rows, table.rows, strict=True):
        _cell(row.cells[0], label, bold=True, center=True)
        _cell(row.cells[1], value)


def add_sign_in_sheet(docx, rec: ActivityRecord, unit_name: str) -> None:
    """A printable sheet: everyone due, with a blank cell to sign in by hand."""
    _title(docx, "签到表")
    _line(docx, f"{unit_name}　{rec.kind_name}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(docx, f"主题：{rec.topic}")
    _line(docx, f"时间：{_date(rec.date)}　　地点：{rec.location or '—'}")
    table = _table(docx, 1 + len(rec.attendees), (Mm(16), Mm(30), Mm(62), Mm(48)))
    for cell, text in zip(table.rows[0].cells, ("序号", "姓名", "职务", "签名"), strict=True):
        _cell(cell, text, bold=True, center=True)
    for i, (attendee, row) in enumerate(zip(rec.attendees, table.rows[1:], strict=True), start=1):
        row.height, row.height_rule = Mm(12), WD_ROW_HEIGHT_RULE.AT_LEAST
        _cell(row.cells[0], str(i), center=True)
        _cell(row.cells[1], attendee.name, center=True)
        _cell(row.cells[2], attendee.job_title)
        _cell(row.cells[3], "")  # signed by hand on the printed sheet


def _save(docx) -> bytes:
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def activity_record_docx(rec: ActivityRecord, unit_name: str) -> bytes:
    docx = gbt9704.new_document()
    add_activity_record(docx, rec, unit_name)
    return _save(docx)


def sign_in_sheet_docx(rec: ActivityRecord, unit_name: str) -> bytes:
    docx = gbt9704.new_document()
    add_sign_in_sheet(docx, rec, unit_name)
    return _save(docx)


def study_archive_docx(records: list[ActivityRecord], *, unit_name: str, period: Period) -> bytes:
    """Cover, contents, then each record on its own page in date order."""
    ordered = sorted(records, key=lambda r: (r.date, r.id))
    docx = gbt9704.new_document()
    # The cover carries no page number: its section gets an empty first-page footer.
    docx.sections[0].different_first_page_header_footer = True
    for _ in range(4):
        _line(docx, "")
    _title(docx, unit_name)
    _title(docx, f"{period.label}学习档案")
    for _ in range(6):
        _line(docx, "")
    _line(docx, f"共{len(ordered)}次学习活动", align=WD_ALIGN_PARAGRAPH.CENTER)
    gbt9704.add_page_break(docx)
    _title(docx, "目　录")
    table = _table(docx, 1 + len(ordered), (Mm(16), Mm(28), Mm(44), Mm(68)))
    for cell, text in zip(table.rows[0].cells, ("序号", "日期", "类型", "主题"), strict=True):
        _cell(cell, text, bold=True, center=True)
    for i, (rec, row) in enumerate(zip(ordered, table.rows[1:], strict=True), start=1):
        _cell(row.cells[0], str(i), center=True)
        _cell(row.cells[1], f"{rec.date.month}月{rec.date.day}日", center=True)
        _cell(row.cells[2], rec.kind_name)
        _cell(row.cells[3], rec.topic)
    for rec in ordered:
        gbt9704.add_page_break(docx)
        add_activity_record(docx, rec, unit_name)
    return _save(docx)
