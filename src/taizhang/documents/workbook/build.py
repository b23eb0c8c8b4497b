"""The ledger of a unit and period as an .xlsx workbook: one sheet per record type.

Inspectors expect the paper ledger's columns (序号, 日期, 内容, 参加人员, 备注 …); each activity
kind gets its own sheet because each is its own ledger book on paper, and so does each other
record type a summary cites (submissions, adoptions, articles, published items, risk points,
channels, campaigns, donations, volunteer activities, selections). Which sheets there are, their
columns and how each cell is written are the record types' declarations (``core.registry``: a
type's ``sheet`` and ``columns``); this module only lays them out.

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

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from taizhang.core.cells import inert_row
from taizhang.core.registry import DATE_FORMAT, MONEY_FORMAT, Column

__all__ = ["DATE_FORMAT", "MONEY_FORMAT", "SheetRows", "ledger_workbook"]

NUMBER = Column("序号", width=6)  # every sheet's first column, numbering its rows from 1
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
# Wider than this (A4 portrait's printable width at 100%), a sheet prints landscape.
PORTRAIT_WIDTH = 90


@dataclass(frozen=True)
class SheetRows:
    """One sheet: its name, its columns after 序号, and a row of cells per record, in order."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[tuple]


def _sheet(workbook, title: str, columns: Sequence[Column]) -> object:
    sheet = workbook.create_sheet(title.translate(_INVALID_SHEET_CHARS)[:31])
    sheet.append(inert_row((column.header for column in columns), sheet))
    header = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
        cell = sheet.cell(row=1, column=i)
        cell.font, cell.alignment = Font(bold=True), header
    sheet.freeze_panes = "A2"
    _printable(sheet, sum(column.width for column in columns))
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


def ledger_workbook(sheets: Sequence[SheetRows], *, unit_label: str = "", author: str = "") -> bytes:
    """The workbook: the sheets in the order given, each even when empty (an inspector sees that none
    were recorded)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for one in sheets:
        sheet = _sheet(workbook, one.title, (NUMBER, *one.columns))
        _fill(sheet, one.rows, [column.format for column in one.columns])
    if unit_label:
        workbook.properties.title = unit_label
    if author:
        workbook.properties.creator = workbook.properties.lastModifiedBy = author
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
