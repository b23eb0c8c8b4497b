"""``taizhang template ledger -o template.xlsx``: the blank ledger workbook clerks fill in and import."""

from __future__ import annotations

from taizhang.core.management.base import TaizhangCommand, output_file, write_output
from taizhang.ledger.template import template_workbook


class Command(TaizhangCommand):
    help = "生成空白模板：ledger 台账导入模板（.xlsx，每类记录一张工作表，含示例行和下拉选项）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        ledger = sub.add_parser("ledger", help="台账导入模板（.xlsx），填好后用 taizhang import 导入")
        ledger.add_argument(
            "-o", "--output", required=True, type=output_file(".xlsx"), help="输出文件（.xlsx）"
        )

    def handle(self, *args, what, output, **options):
        write_output(output, template_workbook())
        self.stdout.write(f"已写入 {output}")
