"""Per-activity records an inspector reads (会议记录/学习记录), sign-in sheets, and the study archive.

Pure: the builders take ``ActivityRecord`` values (read by ``archive.queries.activity_records``) and lay
them out with the GB/T 9704 page from ``output.gbt9704``. Tables use 四号 (14 pt) so a row fits a name,
a post and a signature cell.

Printed tables read as inspectors expect: a header row repeats at the top of every page, a row
never splits across pages, and short cells (numbers, dates, names, kinds, labels) get columns wide
enough for their longest text, so no word breaks inside them; the long cell of a table (a topic,
a signature box) takes what is left of the 156 mm line.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from taizhang.core.periods import Period
from taizhang.documents.output import gbt9704

TABLE_SIZE = Pt(14)  # 四号
LINE_WIDTH = Mm(156)  # the type area
CELL_PADDING = Pt(2 * 5.4 + 2)  # Table Grid's 0.19 cm left and right margins, and a little air
TOC_ROWS_PER_PAGE = 16  # for the contents' cached page numbers, before a word processor lays it out


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
    highlight: str = ""
    holiday_reason: str = ""  # why it was held on a public holiday, when it was

    @property
    def content(self) -> str:
        """What the record's 主要内容 says, from the record itself: the minutes as the clerk wrote
        them; where there are none, what was studied (the materials) under the topic; and the
        highlight the clerk marked (典型做法与成效), as its outcome. Never a sentence the record does
        not hold: a record with none of these says so."""
        parts = []
        minutes = self.minutes.strip()
        if minutes:
            parts.append(minutes)
        elif self.materials:
            parts.append(f"围绕“{self.topic}”，学习了{'、'.join(self.materials)}。")
        highlight = self.highlight.strip()
        if highlight and highlight not in minutes:
            parts.append(f"成效：{highlight}{'' if highlight[-1] in '。！？' else '。'}")
        return "\n".join(parts) or "（未填写会议记录）"

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


def fit_width(texts: Iterable[str], size: Pt = TABLE_SIZE) -> Length:
    """A column just wide enough for its longest text on one line."""
    return Pt(max((gbt9704.text_ems(t) for t in texts), default=1) * size.pt + CELL_PADDING.pt)


def fill_widths(widths: Sequence[Length | None]) -> tuple[Length, ...]:
    """``widths`` with the one None column given the rest of the line."""
    rest = LINE_WIDTH - sum(w for w in widths if w is not None)
    return tuple(Length(rest) if w is None else w for w in widths)


def pack(items: Sequence[str], width: Length, *, separator: str = "、", size: Pt = TABLE_SIZE) -> str:
    """Items joined by ``separator``, broken into lines only between items (no name split in two).

    A word processor may break Chinese between any two characters, so a list of names would break
    inside a name; the lines are laid out here instead, each as full as the cell allows.
    """
    capacity = (width - CELL_PADDING) / size - 0.5  # in ems, with half an em to spare
    lines: list[str] = []
    line = ""
    for i, item in enumerate(items):
        piece = item + (separator if i < len(items) - 1 else "")
        if line and gbt9704.text_ems(line + piece) > capacity:
            lines.append(line)
            line = piece
        else:
            line += piece
    return "\n".join([*lines, line]) if items else ""


def _mark_row(row, tag: str) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _table(docx, rows: int, widths: Sequence[Length | None], *, header: bool = False) -> object:
    """A grid table; with ``header`` its first row repeats at the top of every page it runs onto."""
    widths = fill_widths(widths)
    table = docx.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    for i, row in enumerate(table.rows):
        _mark_row(row, "w:cantSplit")  # a row is never cut in two by a page break
        if header and i == 0:
            _mark_row(row, "w:tblHeader")
    return table


def _title(docx, text: str, *, bookmark: tuple[int, str] | None = None) -> None:
    paragraph = docx.add_paragraph()
    gbt9704.plain_format(paragraph)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gbt9704.set_run_font(paragraph.add_run(text), gbt9704.TITLE_FONT, gbt9704.TITLE_SIZE)
    if bookmark:
        _bookmark(paragraph, *bookmark)


def _bookmark(paragraph, number: int, name: str) -> None:
    """A bookmark (``number`` unique in the document) around the paragraph's text, for PAGEREF."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(paragraph._p.index(paragraph.runs[0]._r), start)
    paragraph._p.append(end)


def _line(docx, text: str, *, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = docx.add_paragraph()
    gbt9704.plain_format(paragraph)
    paragraph.alignment = align
    gbt9704.set_run_font(paragraph.add_run(text), gbt9704.BODY_FONT, gbt9704.BODY_SIZE)


def _date(day: date) -> str:
    return gbt9704.chinese_date(day)


def add_activity_record(
    docx, rec: ActivityRecord, unit_name: str, *, bookmark: tuple[int, str] | None = None
) -> None:
    """The 学习记录 of one activity: who, when, where, who came and who did not and why, what was studied."""
    _title(docx, f"{rec.kind_name}记录", bookmark=bookmark)
    _line(docx, unit_name, align=WD_ALIGN_PARAGRAPH.CENTER)
    excused = [
        f"{a.name}（{'请假' if a.status == 'leave' else '缺席'}{'：' + a.reason if a.reason else ''}）"
        for a in rec.excused
    ]
    # A value is a text, or a list of names to lay out between names (``pack``) with its separator.
    rows: list[tuple[str, str | tuple[list[str], str, str]]] = [
        ("时间", _date(rec.date)),
        *([("节假日开展说明", rec.holiday_reason)] if rec.holiday_reason else []),
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
        ("参加人员", ([a.name for a in rec.present], "、", "—")),
        ("请假、缺席人员及事由", (excused, "；", "无")),
        ("学习材料", "\n".join(rec.materials) or "—"),
        ("主要内容", rec.content),
    ]
    label_width = fit_width(label for label, _ in rows)
    value_width = LINE_WIDTH - label_width
    table = _table(docx, len(rows), (label_width, value_width))
    for (label, value), row in zip(rows, table.rows, strict=True):
        if isinstance(value, tuple):
            items, separator, none = value
            value = pack(items, value_width, separator=separator) or none
        _cell(row.cells[0], label, bold=True, center=True)
        _cell(row.cells[1], value)


def add_sign_in_sheet(docx, rec: ActivityRecord, unit_name: str) -> None:
    """A printable sheet: everyone due, with a blank cell to sign in by hand."""
    _title(docx, "签到表")
    _line(docx, f"{unit_name}　{rec.kind_name}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _line(docx, f"主题：{rec.topic}")
    _line(docx, f"时间：{_date(rec.date)}　　地点：{rec.location or '—'}")
    number = fit_width(["序号", str(len(rec.attendees))])
    name = fit_width(["姓名", *(a.name for a in rec.attendees)])
    # Posts fit on one line unless that would leave the signature box narrower than 40 mm.
    post = min(
        fit_width(["职务", *(a.job_title for a in rec.attendees)]), LINE_WIDTH - Mm(40) - number - name
    )
    table = _table(docx, 1 + len(rec.attendees), (number, name, post, None), header=True)
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
    docx = gbt9704.new_document(author=unit_name, title=f"{rec.kind_name}记录：{rec.topic}")
    add_activity_record(docx, rec, unit_name)
    return _save(docx)


def sign_in_sheet_docx(rec: ActivityRecord, unit_name: str) -> bytes:
    docx = gbt9704.new_document(author=unit_name, title=f"签到表：{rec.topic}")
    add_sign_in_sheet(docx, rec, unit_name)
    return _save(docx)


def _update_fields_on_open(docx) -> None:
    """Ask Word to compute the contents' page numbers on opening (LibreOffice computes them anyway)."""
    settings = docx.settings.element
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    # The schema fixes the order of settings: updateFields precedes these.
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids")
    following = next((child for tag in later if (child := settings.find(qn(tag))) is not None), None)
    if following is None:
        settings.append(element)
    else:
        following.addprevious(element)


def study_archive_docx(records: list[ActivityRecord], *, unit_name: str, period: Period) -> bytes:
    """Cover, contents with page numbers, then each record on its own page in date order.

    The contents' page numbers are PAGEREF fields to a bookmark on each record's title: LibreOffice
    computes them when it lays the pages out (the PDF), Word on opening (``updateFields``); until
    then they show an estimate of one page per record.
    """
    ordered = sorted(records, key=lambda r: (r.date, r.id))
    docx = gbt9704.new_document(author=unit_name, title=f"{unit_name}{period.label}学习档案")
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
    days = [f"{rec.date.month}月{rec.date.day}日" for rec in ordered]
    widths = (
        fit_width(["序号", str(len(ordered))]),
        fit_width(["日期", *days]),
        fit_width(["类型", *(rec.kind_name for rec in ordered)]),
        None,
        fit_width(["页码", "999"]),
    )
    table = _table(docx, 1 + len(ordered), widths, header=True)
    for cell, text in zip(table.rows[0].cells, ("序号", "日期", "类型", "主题", "页码"), strict=True):
        _cell(cell, text, bold=True, center=True)
    first_record_page = 2 + math.ceil((len(ordered) + 1) / TOC_ROWS_PER_PAGE)
    for i, (rec, day, row) in enumerate(zip(ordered, days, table.rows[1:], strict=True), start=1):
        _cell(row.cells[0], str(i), center=True)
        _cell(row.cells[1], day, center=True)
        _cell(row.cells[2], rec.kind_name)
        _cell(row.cells[3], rec.topic)
        _cell(row.cells[4], "", center=True)
        page = row.cells[4].paragraphs[0]
        gbt9704.add_field(
            page, f"PAGEREF {_record_bookmark(i)} \\h", str(first_record_page + i - 1),
            face=gbt9704.BODY_FONT, size=TABLE_SIZE,
        )  # fmt: skip
    for i, rec in enumerate(ordered, start=1):
        gbt9704.add_page_break(docx)
        add_activity_record(docx, rec, unit_name, bookmark=(i, _record_bookmark(i)))
    _update_fields_on_open(docx)
    return _save(docx)


def _record_bookmark(number: int) -> str:
    return f"_taizhang_record_{number}"
