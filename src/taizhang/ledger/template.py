"""The blank ledger a county's clerks fill in: ``taizhang template ledger -o template.xlsx``.

One sheet per record type that ``taizhang import`` reads, with the ledger export's headers (so a
filled template, an exported ledger and a clerk's own sheet all come in the same way), one example
row, a drop-down list on every column whose cells must be one of a few words (activity kinds,
采用层级, 捐赠类别 …) and a short 说明 sheet in front. The lists are kept on a hidden 选项 sheet
because Excel limits a list written into the rule itself to 255 characters.
"""

from __future__ import annotations

import io

from django.apps import apps
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from taizhang.core.cells import inert_row, inert_set
from taizhang.core.registry import DATE_FORMAT, MONEY_FORMAT, RecordType, sheets

GUIDE = (
    "台账导入模板",
    "",
    "每张工作表是一类记录，第一行是表头，第二行是示例：请删去示例行，从第二行起每行填写一条记录。",
    "列的顺序可以调整，表头也可以用本单位习惯的说法（如“活动时间”“学习内容”），能识别的说法见 frameworks/import_aliases.yaml。",
    "日期可写作 2021-03-05、2021.3.5、2021/3/5 或 2021年3月5日；金额以元为单位，可写作 1200、1,200.50 或 1200元。",
    "带下拉箭头的列只能从列表中选择；人员写本单位人员的姓名，多人之间用顿号、逗号或空格分隔。",
    "“单位”列可不填（即导入到所选单位），也可填写所选单位的下属单位。",
    "不需要的工作表可以删除或留空。填好后运行 taizhang import 文件名 --unit 单位代码，或在“导入台账”页面上传；",
    "有任何问题（会指出工作表和单元格）时一条也不会写入，改正后重新导入即可。",
)


def template_sheets() -> list[RecordType]:
    """The types whose sheets ``taizhang import`` reads back, in the workbook's order."""
    return [t for t in sheets() if t.sheet.create or t.sheet.reader]


def template_choices() -> dict[str, dict[str, list[str]]]:
    """Per template sheet, per header, the words its cells may be: a choice field's labels, or the
    names of what a related field names (activity kinds, in the framework's order)."""
    out = {}
    for t in template_sheets():
        model = apps.get_model(t.model)
        lists = out[t.sheet.title] = {}
        for column in t.columns:
            if column.in_template and column.read == "choice":
                model_field = model._meta.get_field(column.field)
                if model_field.is_relation:
                    lists[column.header] = [str(o) for o in model_field.related_model.objects.all()]
                else:
                    lists[column.header] = [str(label) for _, label in model_field.choices]
    return out


def template_workbook(choices: dict[str, dict[str, list[str]]] | None = None) -> bytes:
    """The template: a sheet for each type ``taizhang import`` reads, with its columns, an example row
    and a drop-down list where ``choices[sheet][header]`` (default: ``template_choices()``) says which
    words a column's cells may be."""
    choices = template_choices() if choices is None else choices
    workbook = Workbook()
    guide = workbook.active
    guide.title = "说明"
    guide.column_dimensions["A"].width = 120
    for line in GUIDE:
        guide.append(inert_row([line], guide))
    guide["A1"].font = Font(bold=True, size=14)
    lists = workbook.create_sheet("选项")
    lists.sheet_state = "hidden"
    list_column = 0
    for t in template_sheets():
        title = t.sheet.title
        sheet = workbook.create_sheet(title)
        columns = [c for c in t.columns if c.in_template]
        sheet.append(inert_row((column.header for column in columns), sheet))
        for i, column in enumerate(columns, start=1):
            header, fmt = column.header, column.format
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = column.width
            head = sheet.cell(row=1, column=i)
            head.font, head.alignment = Font(bold=True), Alignment(horizontal="center", wrap_text=True)
            words = choices.get(title, {}).get(header)
            example = column.example if column.example is not None else (words[0] if words else None)
            cell = sheet.cell(row=2, column=i)
            inert_set(cell, example)
            if fmt:
                cell.number_format = fmt
            if fmt in (DATE_FORMAT, MONEY_FORMAT):
                for row in range(3, 502):
                    sheet.cell(row=row, column=i).number_format = fmt
            if words:
                list_column += 1
                list_letter = get_column_letter(list_column)
                inert_set(lists.cell(row=1, column=list_column), f"{title}·{header}")
                for n, word in enumerate(words, start=2):
                    inert_set(lists.cell(row=n, column=list_column), word)
                rule = DataValidation(
                    type="list",
                    formula1=f"{quote_sheetname('选项')}!${list_letter}$2:${list_letter}${len(words) + 1}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="请从列表中选择",
                    error=f"“{header}”只能是列表中的一项。",
                )
                sheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}1000")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
