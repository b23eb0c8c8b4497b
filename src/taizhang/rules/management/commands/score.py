"""``taizhang score --unit CODE --period P -o sheet.xlsx``: the score sheet of one unit."""

from pathlib import Path

from taizhang.core.management.base import TaizhangCommand, UsageError, parse_period, unit_from_code
from taizhang.rules.export import score_sheet_write
from taizhang.rules.management.commands.check import parse_day
from taizhang.rules.queries import compliance


class Command(TaizhangCommand):
    help = "按要求库生成单位的考核评分表（.xlsx）。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args, **options):
        unit = unit_from_code(options["unit"])
        window = parse_period(options["period"])
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"-o 应为 .xlsx 文件：“{output}”")
        try:
            check = compliance(unit=unit, window=window, as_of=parse_day(options.get("as_of")))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        score, maximum = score_sheet_write(check, output)
        self.stdout.write(f"{unit.name}{window.label}得分 {score:g} / {maximum:g}，已写入 {output}")
