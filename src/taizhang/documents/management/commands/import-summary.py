"""``taizhang import-summary FILE --unit CODE --period P [--dry-run]``: a past summary's figures as
aggregates of the ledger, marked as imported (see ``documents.drafts.seeding``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from taizhang.core.management.base import (
    TaizhangCommand,
    UsageError,
    input_file,
    parse_period,
    unit_from_code,
)
from taizhang.core.uploads import COMMAND, FileRefused, check_size, limits
from taizhang.documents.drafts.seeding import import_summary_plan, plan_summary_import


class Command(TaizhangCommand):
    help = "把往年总结中的数字导入台账，作为注明来源的汇总数（有明细记录后以明细为准）"
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        parser.add_argument("file", type=input_file, help="往年总结（.txt、.md、.docx）")
        parser.add_argument("--unit", required=True, help="导入到哪个单位（单位代码）")
        parser.add_argument("--period", required=True, help="总结所属期间：2020 或 2020H1")
        parser.add_argument("--dry-run", action="store_true", help="只列出将写入和不写入的数字，不写入")

    def handle(self, *args, file, unit, period, dry_run, **options):
        unit = unit_from_code(unit)
        period = parse_period(period)
        try:
            check_size(file.stat().st_size, file.name, limits(COMMAND))  # before it is read whole
            data = file.read_bytes()
        except FileRefused as exc:
            raise UsageError(str(exc)) from exc
        except OSError as exc:
            raise UsageError(f"无法读取“{file.name}”：{exc.strerror or exc}") from exc
        try:
            plan = plan_summary_import(data=data, name=file.name, unit=unit, period=period)
        except FileRefused as exc:
            raise UsageError(str(exc)) from exc
        console = Console(file=self.stdout, width=160, soft_wrap=False)
        table = Table()
        for column in ("位置", "原文", "计入", "记为"):
            table.add_column(column)
        for a in plan.aggregates:
            table.add_row(str(a.figure.start), a.figure.text, a.what, a.stated)
        if plan.aggregates:
            self.stdout.write(f"将写入{unit.name}{period.label}的汇总数（据《{file.name}》导入）：")
            console.print(table)
        else:
            self.stdout.write("没有可写入的汇总数。")
        if plan.left_out:
            self.stdout.write("不导入的数字：")
            left = Table()
            for column in ("位置", "原文", "所计事项", "原因"):
                left.add_column(column)
            for x in plan.left_out:
                left.add_row(str(x.figure.start), x.figure.text, x.figure.subject, x.reason)
            console.print(left)
        summary = f"{len(plan.aggregates)} 项汇总数，{len(plan.left_out)} 个数字不导入，另有 {plan.dates} 个日期或年份"
        if dry_run:
            self.stdout.write(f"试运行：将写入{unit.name}{period.label} {summary}；未写入")
            return
        if not plan.aggregates:
            raise UsageError(f"“{file.name}”中没有可导入的数字，未写入")
        import_summary_plan(plan)
        self.stdout.write(f"已导入{unit.name}{period.label} {summary}")
