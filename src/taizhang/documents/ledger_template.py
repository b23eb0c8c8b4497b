"""The blank ledger a county's clerks fill in: ``taizhang template ledger -o template.xlsx``.

One sheet per record type that ``taizhang import`` reads, with the ledger export's headers (so a
filled template, an exported ledger and a clerk's own sheet all come in the same way), one example
row, a drop-down list on every column whose cells must be one of a few words (activity kinds,
采用层级, 捐赠类别 …) and a short 说明 sheet in front. The lists are kept on a hidden 选项 sheet
because Excel limits a list written into the rule itself to 255 characters.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from taizhang.core.cells import inert_row, inert_set
from taizhang.documents.ledger_xlsx import DATE_FORMAT, MONEY_FORMAT, RECORD_SHEETS

ACTIVITY_SHEET = "活动台账"
ACTIVITY_COLUMNS = (
    ("日期", 11, DATE_FORMAT), ("类型", 14, ""), ("内容", 30, ""), ("学习材料", 28, ""), ("主持人", 9, ""),
    ("记录人", 9, ""), ("地点", 16, ""), ("参加人员", 36, ""), ("请假人员", 22, ""), ("备注", 22, ""),
)  # fmt: skip
# Written by the export for the reader, worked out again on import: left out of a blank template.
DERIVED = {"序号", "出勤", "采用情况", "参加人数"}
EXAMPLE_DAY = date(2021, 3, 5)
EXAMPLES: dict[str, dict[str, object]] = {
    ACTIVITY_SHEET: {
        "日期": EXAMPLE_DAY, "内容": "学习《中国共产党宣传工作条例》", "学习材料": "《中国共产党宣传工作条例》",
        "主持人": "张三", "记录人": "李四", "地点": "机关三楼会议室", "参加人员": "张三、李四、王五",
        "请假人员": "赵六请假（出差）",
    },
    "campaigns": {
        "开始日期": EXAMPLE_DAY, "结束日期": date(2021, 6, 30), "名称": "“学党史、办实事”主题宣传",
        "主题": "党史学习教育", "说明": "集中宣讲、走访群众、办实事",
    },
    "submissions": {"报送日期": EXAMPLE_DAY, "标题": "我县开展春耕备耕服务", "报送人": "张三", "报送刊物": "《各界反映》"},
    "adoptions": {
        "采用日期": date(2021, 3, 20), "信息标题": "我县开展春耕备耕服务", "刊物及期号": "《各界反映》2021年第3期",
    },
    "articles": {
        "刊发日期": EXAMPLE_DAY, "标题": "乡村振兴一线见闻", "媒体": "县融媒体中心", "作者": "李四",
        "链接": "https://example.cn/news/1",
    },
    "risk_points": {
        "识别日期": EXAMPLE_DAY, "风险点": "工作群转发未经核实的信息", "防范措施": "明确群管理员，每月检查",
        "责任人": "张三", "下次研判": date(2021, 6, 5),
    },
    "channels": {
        "名称": "机关干部工作群", "管理员": "张三", "成员数": 35, "启用日期": date(2020, 1, 6), "备案日期": date(2020, 1, 10),
        "最近检查": EXAMPLE_DAY,
    },
    "donations": {
        "日期": EXAMPLE_DAY, "捐赠人": "张三", "金额（元）": 200, "主题活动": "“学党史、办实事”主题宣传",
    },
    "volunteer_activities": {
        "日期": EXAMPLE_DAY, "内容": "社区文明交通劝导", "地点": "城关镇十字路口", "参加人员": "张三、李四",
        "时长（小时）": 2, "主题活动": "“学党史、办实事”主题宣传",
    },
    "selections": {"评选日期": EXAMPLE_DAY, "评选名称": "2021年度文明家庭", "获评人员": "张三家庭、李四家庭"},
}  # fmt: skip
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


def template_workbook(choices: dict[str, dict[str, list[str]]]) -> bytes:
    """The template: a sheet for each key of ``choices`` (``ACTIVITY_SHEET``, then ``RECORD_SHEETS``
    codes, in order), where ``choices[sheet][header]`` lists the words a column's cells may be."""
    workbook = Workbook()
    guide = workbook.active
    guide.title = "说明"
    guide.column_dimensions["A"].width = 120
    for line in GUIDE:
        guide.append(inert_row([line], guide))
    guide["A1"].font = Font(bold=True, size=14)
    lists = workbook.create_sheet("选项")
    lists.sheet_state = "hidden"
    sheets = []
    for code in choices:
        if code == ACTIVITY_SHEET:
            sheets.append((code, code, ACTIVITY_COLUMNS))
            continue
        title, columns = RECORD_SHEETS[code]
        sheets.append((code, title, tuple(c for c in columns if c[0] not in DERIVED)))
    list_column = 0
    for key, title, columns in sheets:
        sheet = workbook.create_sheet(title)
        example = EXAMPLES.get(key, {})
        sheet.append(inert_row((header for header, _, _ in columns), sheet))
        for i, (header, width, fmt) in enumerate(columns, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = width
            head = sheet.cell(row=1, column=i)
            head.font, head.alignment = Font(bold=True), Alignment(horizontal="center", wrap_text=True)
            words = choices.get(key, {}).get(header)
            cell = sheet.cell(row=2, column=i)
            inert_set(cell, example.get(header, words[0] if words else None))
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
