"""``taizhang check --unit CODE --period P``: the compliance check; without ``--unit``, Django's system check.

The command's name is the one the users asked for, and it shadows Django's ``check``. So that
``taizhang check --deploy`` (and every tool calling ``manage.py check``) keeps working, this command
*is* Django's check command with extra options: when ``--unit`` is absent it runs the system check.
"""

import json

from django.core.management.commands.check import Command as SystemCheckCommand
from rich.console import Console
from rich.table import Table

from taizhang.core.management.base import TaizhangCommand, UsageError, day, parse_period, unit_from_code
from taizhang.rules.check import compliance, result_rows

STATUS_STYLE = {
    "met": "green",
    "on_track": "cyan",
    "behind": "yellow",
    "overdue": "bold red",
    "not_measured": "dim",
}


class Command(TaizhangCommand, SystemCheckCommand):
    help = "核查单位在某期间落实各项要求的情况（不带 --unit 时为 Django 系统检查）。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--unit", help="单位代码；给出时进行意识形态工作要求核查")
        parser.add_argument("--period", help="期间，如 2020、2020H1、2020Q3、2020-05")
        parser.add_argument(
            "--as-of", dest="as_of", type=day, help="核查日期 YYYY-MM-DD（默认：今天与期末中较早者）"
        )
        parser.add_argument("--with-children", action="store_true", help="包括下级单位")
        parser.add_argument("--json", action="store_true", help="输出 JSON 列表")

    def handle(self, *app_labels, **options):
        if not options.get("unit"):
            if options.get("period") or options.get("json"):
                raise UsageError("核查要求须给出 --unit。")
            return super().handle(*app_labels, **options)
        unit = unit_from_code(options["unit"])
        if not options.get("period"):
            raise UsageError("请给出 --period（如 2020H1）。")
        window = parse_period(options["period"])
        try:
            check = compliance(
                unit=unit, window=window, as_of=options["as_of"], with_children=options["with_children"]
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        rows = result_rows(check)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self._table(check, rows)

    def _table(self, check, rows):
        table = Table(
            title=f"{check.unit.name} {check.window.label} 要求落实情况（截至 {check.as_of:%Y-%m-%d}）"
        )
        many = len(check.unit_kinds) > 1
        if many:
            table.add_column("单位")
        for name in ("要求", "期间", "应完成", "已完成", "状态", "未计入"):
            table.add_column(name)
        labels = {"met": "已完成", "on_track": "进度正常", "behind": "进度滞后", "overdue": "逾期未完成"}
        labels["not_measured"] = "不可计量"
        for row in rows:
            cells = [
                row["title"],
                row["period"],
                f"{row['required']:g}",
                f"{row['actual']:g}",
                f"[{STATUS_STYLE[row['status']]}]{labels[row['status']]}[/]",
                str(row["excluded"] or ""),
            ]
            table.add_row(*([row["unit"]] if many else []), *cells)
        Console(file=self.stdout, width=140).print(table)
