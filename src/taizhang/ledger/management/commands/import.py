"""``taizhang import FILE --unit CODE [--dry-run]``: a clerk's own .xlsx or .csv ledger into the ledger.

One workbook may hold activity sheets and sheets of the other record types (submissions, donations,
risk points …); all are checked, and written together or not at all (``record_imports``).
"""

from __future__ import annotations

from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from taizhang.core.management.base import TaizhangCommand, UsageError, input_file, unit_from_code
from taizhang.ledger.hooks import counting
from taizhang.ledger.import_files import ImportFileError
from taizhang.ledger.import_writes import ActivityWriter
from taizhang.ledger.record_imports import apply, plan_workbook


class Command(TaizhangCommand):
    help = "导入单位自己的台账（.xlsx 或 .csv）：逐行检查，有任何问题则一条也不写入"
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        parser.add_argument("file", type=input_file, help="台账文件（.xlsx 或 .csv）")
        parser.add_argument("--unit", required=True, help="导入到哪个单位（单位代码）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将写入什么，不写入")

    def handle(self, *args, file, unit, dry_run, **options):
        unit = unit_from_code(unit)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} 行"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=not self.stderr.isatty(),  # a bar only for a person watching
        ) as bar:
            task = bar.add_task("检查", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            # The activities are written while the rest of the file is checked (``ActivityWriter``),
            # in this transaction: any problem anywhere rolls all of it back.
            try:
                with transaction.atomic(), ActivityWriter(unit) as writer:
                    writer = None if dry_run else writer
                    plan = plan_workbook(file, unit, progress=progress, writer=writer)
                    if not plan.problems:  # the services' own checks, undone unless written
                        bar.update(
                            task, description="写入" if not dry_run else "检查", completed=0, total=None
                        )
                        apply(plan, unit, write=not dry_run, writer=writer)
                    if plan.problems:
                        transaction.set_rollback(True)
            except ImportFileError as exc:
                raise UsageError(str(exc)) from exc
            if plan.problems:  # the first 200 by cell, then how many more of which kinds
                for line in plan.problems.lines():
                    self.stderr.write(line)
                raise UsageError(f"“{file.name}”有 {len(plan.problems):,} 处问题，未写入任何记录")
        for sheet in plan.skipped_sheets:
            self.stderr.write(f"跳过工作表“{sheet}”：不是可识别的台账")
        standings = _standings(unit, plan.activities.activities)
        counted, left_out, unread, reasons = counting.tally(standings)
        if dry_run:
            for a, standing in zip(plan.activities.activities, standings, strict=True):
                self.stdout.write(
                    f"{a.source[3:]}: {a.date:%Y-%m-%d} {a.kind.name} {a.topic}（{len(a.attendance)} 人）"
                    + ("" if standing.counts or not standing.standings else f" {standing.words}")
                )
            for what, count, measure in plan.counts():
                self.stdout.write(f"  {what}：{count} {measure}")
        if plan.activities.activities:
            self.stdout.write(
                f"  计入考核要求的活动：{counted} 条"
                + (
                    f"；不计入 {left_out} 条（" + "；".join(f"{w} {n} 条" for w, n in reasons) + "）"
                    if left_out
                    else ""
                )
                + (f"；无考核要求计数的类型 {unread} 条" if unread else "")
            )
        if dry_run:
            self.stdout.write(f"试运行：将写入{unit.name} {plan.summary()}；未写入")
            return
        self.stdout.write(f"已导入{unit.name} {plan.summary()}")


def _standings(unit, rows: list) -> list:
    """``counting.planned_standings`` of every row, worked out once for each kind and evidence carried
    (what a planned row's standing depends on): a million rows have a few dozen of them, and the
    standings one by one took longer than a tenth of writing the rows."""
    keys = [(row.kind.code, bool(row.minutes), bool(row.attendance)) for row in rows]
    first: dict[tuple, object] = {}
    for key, row in zip(keys, rows, strict=True):
        first.setdefault(key, row)
    known = dict(zip(first, counting.planned_standings(unit, first.values()), strict=True))
    return [known[key] for key in keys]
