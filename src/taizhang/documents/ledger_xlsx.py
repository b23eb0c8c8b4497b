"""The ledger of a unit and period as an .xlsx workbook: one sheet per record type.

Inspectors expect the paper ledger's columns (序号, 日期, 内容, 参加人员, 备注 …); each activity
kind gets its own sheet because each is its own ledger book on paper, and so does each other
record type a summary cites (submissions, adoptions, articles, published items, risk points,
channels, campaigns, donations, volunteer activities, selections).

Every sheet reads back with ``taizhang import`` (``ledger.record_imports``; the aliases file knows
these headers), so a unit's ledger moves between databases and a blank template
(``taizhang template ledger``) has the same columns. Derived columns (序号, 出勤, 采用情况, 参加人数)
are written for the reader and ignored when read back.

Every sheet prints as a ledger book: A4, landscape when its columns are wide, scaled to the page's
width, its header row repeated on every page, the sheet's name above and "第 N 页，共 M 页" below.
Widths are in Excel's units (about half a Chinese character each).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from taizhang.core.cells import inert_row
from taizhang.documents.records import ActivityRecord

ACTIVITY_COLUMNS = (
    ("序号", 6),
    ("日期", 11),
    ("内容", 28),
    ("学习材料", 28),
    ("主持人", 9),
    ("地点", 16),
    ("参加人员", 36),
    ("出勤", 18),
    ("备注", 22),
)
REFLECTION_COLUMNS = (("序号", 6), ("日期", 11), ("作者", 10), ("标题", 36), ("关联活动", 36), ("备注", 16))
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
# Wider than this (A4 portrait's printable width at 100%), a sheet prints landscape.
PORTRAIT_WIDTH = 90
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"

# The other record types' sheets: title and columns (header, width, number format or "").
RECORD_SHEETS: dict[str, tuple[str, tuple[tuple[str, int, str], ...]]] = {
    "submissions": (
        "报送信息",
        (("序号", 6, ""), ("报送日期", 11, DATE_FORMAT), ("单位", 20, ""), ("类别", 12, ""),
         ("标题", 40, ""), ("报送人", 9, ""), ("报送刊物", 16, ""), ("采用情况", 30, "")),
    ),
    "adoptions": (
        "信息采用",
        (("序号", 6, ""), ("采用日期", 11, DATE_FORMAT), ("单位", 20, ""), ("信息标题", 40, ""),
         ("采用层级", 9, ""), ("刊物及期号", 24, ""), ("采用媒体", 20, "")),
    ),
    "articles": (
        "宣传稿件",
        (("序号", 6, ""), ("刊发日期", 11, DATE_FORMAT), ("单位", 20, ""), ("标题", 40, ""),
         ("媒体", 16, ""), ("媒体层级", 9, ""), ("作者", 9, ""), ("链接", 24, "")),
    ),
    "published_items": (
        "发布稿件（三审）",
        (("序号", 6, ""), ("发布日期", 11, DATE_FORMAT), ("单位", 20, ""), ("标题", 40, ""),
         ("发布阵地", 20, ""), ("作者", 9, ""), ("审核", 12, "")),
    ),
    "risk_points": (
        "风险点",
        (("序号", 6, ""), ("识别日期", 11, DATE_FORMAT), ("单位", 20, ""), ("风险点", 30, ""),
         ("等级", 6, ""), ("防范措施", 36, ""), ("责任人", 9, ""), ("状态", 8, ""),
         ("下次研判", 11, DATE_FORMAT), ("化解日期", 11, DATE_FORMAT)),
    ),
    "channels": (
        "自办阵地",
        (("序号", 6, ""), ("名称", 26, ""), ("单位", 20, ""), ("类型", 12, ""), ("管理员", 9, ""),
         ("成员数", 8, "0"), ("启用日期", 11, DATE_FORMAT), ("备案日期", 11, DATE_FORMAT),
         ("最近检查", 11, DATE_FORMAT)),
    ),
    "campaigns": (
        "主题活动",
        (("序号", 6, ""), ("开始日期", 11, DATE_FORMAT), ("结束日期", 11, DATE_FORMAT), ("单位", 20, ""),
         ("名称", 30, ""), ("主题", 16, ""), ("说明", 40, "")),
    ),
    "donations": (
        "捐赠",
        (("序号", 6, ""), ("日期", 11, DATE_FORMAT), ("单位", 20, ""), ("捐赠方", 14, ""),
         ("捐赠人", 16, ""), ("类别", 12, ""), ("金额（元）", 14, MONEY_FORMAT), ("物品", 10, ""),
         ("数量", 8, "0"), ("计量单位", 8, ""), ("主题活动", 24, "")),
    ),
    "volunteer_activities": (
        "志愿服务记录",  # not "志愿服务": that is also an activity kind's sheet
        (("序号", 6, ""), ("日期", 11, DATE_FORMAT), ("单位", 20, ""), ("内容", 36, ""), ("地点", 16, ""),
         ("参加人数", 8, "0"), ("参加人员", 30, ""), ("时长（小时）", 8, "0"), ("主题活动", 24, "")),
    ),
    "selections": (
        "评选",
        (("序号", 6, ""), ("评选日期", 11, DATE_FORMAT), ("单位", 20, ""), ("评选名称", 30, ""),
         ("获评人员", 40, ""), ("主题活动", 24, "")),
    ),
    "imported_figures": (
        "导入的汇总数",  # figures of past summaries: no record behind them, the source named on each row
        (("序号", 6, ""), ("期间", 10, ""), ("单位", 20, ""), ("事项", 24, ""), ("原文数字", 12, ""),
         ("计数", 8, "0"), ("金额（元）", 14, MONEY_FORMAT), ("来源", 30, ""), ("原文", 48, ""),
         ("是否计入", 22, "")),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class RecordSheet:
    """One record type's rows, in the order of its ``RECORD_SHEETS`` columns after 序号."""

    code: str
    rows: Sequence[tuple]


ROSTER_COLUMNS = (("序号", 6), ("姓名", 10), ("单位", 24), ("职务", 30), ("党员", 6))
PHONE_COLUMN = ("手机号码", 16)


@dataclass(frozen=True)
class RosterRow:
    """A person as the roster sheet lists them; ``phone`` is personal data, written only on request."""

    name: str
    unit: str
    job_title: str
    party_member: bool
    phone: str = ""


@dataclass(frozen=True)
class ReflectionRow:
    date: date
    author: str
    title: str
    activity: str


def _sheet(workbook, title: str, columns) -> object:
    sheet = workbook.create_sheet(title.translate(_INVALID_SHEET_CHARS)[:31])
    sheet.append(inert_row((column[0] for column in columns), sheet))
    header = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column[1]
        cell = sheet.cell(row=1, column=i)
        cell.font, cell.alignment = Font(bold=True), header
    sheet.freeze_panes = "A2"
    _printable(sheet, sum(column[1] for column in columns))
    return sheet


def _printable(sheet, width: int) -> None:
    """A4, landscape when wide, one page wide (as many long as needed), header row on every page."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.print_options.gridLines = True
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    sheet.oddHeader.center.text = "&A"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _fill(sheet, rows, formats: Sequence[str] = ()) -> None:
    """Rows under the header, numbered from 1, wrapped at the top of their cells, with number formats."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(rows, start=1):
        sheet.append(inert_row((i, *values), sheet))
        for cell, fmt in zip(sheet[i + 1], ("", *formats), strict=False):
            cell.alignment = wrap
            if fmt:
                cell.number_format = fmt


def ledger_workbook(
    records_by_kind: dict[str, list[ActivityRecord]],
    reflections: list[ReflectionRow],
    *,
    unit_label: str = "",
    roster: list[RosterRow] = (),
    personal: bool = False,
    sheets: Sequence[RecordSheet] = (),
    author: str = "",
) -> bytes:
    """The workbook; the roster's phone column exists only with ``personal`` (an admin asked for it).

    ``sheets`` are the other record types, each after the activities and reflections in the order
    given, with a sheet even when empty (an inspector sees that none were recorded).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind_name, records in records_by_kind.items():
        sheet = _sheet(workbook, kind_name, ACTIVITY_COLUMNS)
        rows = []
        for rec in sorted(records, key=lambda r: (r.date, r.id)):
            excused = "；".join(
                f"{a.name}{'请假' if a.status == 'leave' else '缺席'}{'（' + a.reason + '）' if a.reason else ''}"
                for a in rec.excused
            )
            rows.append(
                (
                    rec.date,
                    rec.topic,
                    "\n".join(rec.materials),
                    rec.host,
                    rec.location,
                    "、".join(a.name for a in rec.present),
                    f"应到{len(rec.attendees)}人，实到{len(rec.present)}人",
                    excused,
                )
            )
        _fill(sheet, rows, (DATE_FORMAT,))
    sheet = _sheet(workbook, "学习体会", REFLECTION_COLUMNS)
    _fill(
        sheet,
        [(r.date, r.author, r.title, r.activity, "") for r in sorted(reflections, key=lambda r: r.date)],
        (DATE_FORMAT,),
    )
    for record_sheet in sheets:
        title, columns = RECORD_SHEETS[record_sheet.code]
        sheet = _sheet(workbook, title, columns)
        _fill(sheet, record_sheet.rows, [fmt for _, _, fmt in columns[1:]])
    if roster:
        sheet = _sheet(workbook, "人员名册", (*ROSTER_COLUMNS, PHONE_COLUMN) if personal else ROSTER_COLUMNS)
        rows = []
        for person in roster:
            row = (person.name, person.unit, person.job_title, "是" if person.party_member else "否")
            rows.append((*row, person.phone) if personal else row)
        _fill(sheet, rows)
    if unit_label:
        workbook.properties.title = unit_label
    if author:
        workbook.properties.creator = workbook.properties.lastModifiedBy = author
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
