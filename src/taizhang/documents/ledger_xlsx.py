"""The ledger of a unit and period as an .xlsx workbook: one sheet per record type.

Inspectors expect the paper ledger's columns (序号, 日期, 内容, 参加人员, 备注 …); each activity
kind gets its own sheet because each is its own ledger book on paper.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from taizhang.documents.records import ActivityRecord

ACTIVITY_COLUMNS = (
    ("序号", 6),
    ("日期", 12),
    ("内容", 40),
    ("学习材料", 40),
    ("主持人", 10),
    ("地点", 20),
    ("参加人员", 50),
    ("出勤", 18),
    ("备注", 30),
)
REFLECTION_COLUMNS = (("序号", 6), ("日期", 12), ("作者", 10), ("标题", 40), ("关联活动", 40), ("备注", 20))
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


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
    sheet.append([name for name, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.cell(row=1, column=i).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def ledger_workbook(
    records_by_kind: dict[str, list[ActivityRecord]],
    reflections: list[ReflectionRow],
    *,
    unit_label: str = "",
    roster: list[RosterRow] = (),
    personal: bool = False,
) -> bytes:
    """The workbook; the roster's phone column exists only with ``personal`` (an admin asked for it)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for kind_name, records in records_by_kind.items():
        sheet = _sheet(workbook, kind_name, ACTIVITY_COLUMNS)
        for i, rec in enumerate(sorted(records, key=lambda r: (r.date, r.id)), start=1):
            excused = "；".join(
                f"{a.name}{'请假' if a.status == 'leave' else '缺席'}{'（' + a.reason + '）' if a.reason else ''}"
                for a in rec.excused
            )
            sheet.append(
                [
                    i,
                    rec.date,
                    rec.topic,
                    "\n".join(rec.materials),
                    rec.host,
                    rec.location,
                    "、".join(a.name for a in rec.present),
                    f"应到{len(rec.attendees)}人，实到{len(rec.present)}人",
                    excused,
                ]
            )
            sheet.cell(row=i + 1, column=2).number_format = "yyyy-mm-dd"
            for cell in sheet[i + 1]:
                cell.alignment = wrap
    sheet = _sheet(workbook, "学习体会", REFLECTION_COLUMNS)
    for i, row in enumerate(sorted(reflections, key=lambda r: r.date), start=1):
        sheet.append([i, row.date, row.author, row.title, row.activity, ""])
        sheet.cell(row=i + 1, column=2).number_format = "yyyy-mm-dd"
    if roster:
        sheet = _sheet(workbook, "人员名册", (*ROSTER_COLUMNS, PHONE_COLUMN) if personal else ROSTER_COLUMNS)
        for i, person in enumerate(roster, start=1):
            row = [i, person.name, person.unit, person.job_title, "是" if person.party_member else "否"]
            sheet.append([*row, person.phone] if personal else row)
    if unit_label:
        workbook.properties.title = unit_label
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
