"""The score sheet as an .xlsx workbook: one row per requirement with the figures behind its points."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from taizhang.core.cells import inert_row
from taizhang.rules.check import Check
from taizhang.rules.requirements import rules_of
from taizhang.rules.score import score_lines, total

HEADERS = ["代码", "要求", "期间数", "应完成", "已完成", "逾期期间", "分值", "得分", "扣分", "实得分", "说明"]


def score_sheet_write(check: Check, path: Path) -> tuple[float, float]:
    """Write the sheet of ``check.unit`` to ``path``; returns (score, maximum)."""
    lines = score_lines(rules_of(check.framework), check.results, unit=check.unit.pk)
    book = Workbook()
    sheet = book.active
    sheet.title = "考核评分"
    sheet.append(inert_row([f"{check.unit.name}{check.window.label}意识形态工作考核评分表"], sheet))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(inert_row([f"截至 {check.as_of:%Y-%m-%d}，依据：{check.framework}"], sheet))
    sheet.append(inert_row(HEADERS, sheet))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(
            inert_row(
                [
                    line.rule.code,
                    line.rule.title,
                    line.periods,
                    line.required,
                    line.actual,
                    line.overdue,
                    line.rule.points,
                    line.earned if line.measurable else None,
                    line.deduction if line.measurable else None,
                    line.score if line.measurable else None,
                    "" if line.measurable else "暂无相应台账，不计分",
                ],
                sheet,
            )
        )
    score, maximum = total(lines)
    sheet.append(inert_row(["", "合计", "", "", "", "", maximum, "", "", score, ""], sheet))
    sheet[sheet.max_row][1].font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJK", [22, 40, 8, 8, 8, 9, 7, 7, 7, 8, 22], strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4):
        row[1].alignment = Alignment(wrap_text=True)
    book.save(path)
    return score, maximum
