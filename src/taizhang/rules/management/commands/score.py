"""``taizhang score --unit CODE --period P -o sheet.xlsx``: the score sheet of one unit."""

from taizhang.core.management.base import (
    TaizhangCommand,
    UsageError,
    day,
    output,
    output_file,
    parse_period,
    unit_from_code,
)
from taizhang.rules.check import compliance
from taizhang.rules.export import score_sheet_write


class Command(TaizhangCommand):
    help = "按要求库生成单位的考核评分表（.xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--as-of", dest="as_of", type=day)
        parser.add_argument(
            "-o", "--output", required=True, type=output_file(".xlsx"), help="输出文件（.xlsx）"
        )

    def handle(self, *args, **options):
        unit = unit_from_code(options["unit"])
        window = parse_period(options["period"])
        try:
            check = compliance(unit=unit, window=window, as_of=options["as_of"])
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        with output(options["output"]) as path:
            score, maximum = score_sheet_write(check, path)
        self.stdout.write(
            f"{unit.name}{window.label}得分 {score:g} / {maximum:g}，已写入 {options['output']}"
        )
