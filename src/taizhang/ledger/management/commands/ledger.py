"""``taizhang ledger counts --unit CODE --period P [--with-children] [--json]``;
``taizhang ledger rollup [--rebuild]`` (the monthly rollup the compliance check reads)."""

import json

from django.core.management.base import CommandError
from django.db import connection, transaction
from rich.console import Console
from rich.table import Table

from taizhang.core.management.base import TaizhangCommand as BaseCommand
from taizhang.core.management.base import parse_period, unit_from_code, user_from_name
from taizhang.ledger import queries, rollup
from taizhang.ledger.models import ActivityKind
from taizhang.org.models import Unit


class Command(BaseCommand):
    help = "台账查询：counts 按活动类型统计某单位某期间的活动次数"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        counts = sub.add_parser("counts", help="按活动类型统计活动次数")
        counts.add_argument("--unit", required=True, help="单位代码，如 cppcc")
        counts.add_argument("--period", required=True, help="期间：2020、2020H1、2020Q3 或 2020-05")
        counts.add_argument("--with-children", action="store_true", help="包含下级单位")
        counts.add_argument("--json", action="store_true", help="输出 JSON：活动类型代码 → 次数")
        counts.add_argument(
            "--as", dest="as_user", help="以该账号的权限查询（默认：服务器管理员，可查看全部）"
        )

        monthly = sub.add_parser("rollup", help="核对活动月度汇总与台账是否一致（--rebuild：按台账重算）")
        monthly.add_argument(
            "--rebuild", action="store_true", help="重建维护汇总的触发器，并按台账重新计算全部活动月度汇总"
        )

    def handle(self, *args, action, **options):
        if action == "counts":
            self.counts(**options)
        elif action == "rollup":
            self.check_rollup(**options)

    def check_rollup(self, *, rebuild: bool, **_):
        """The rollup is kept by database triggers; this finds (and with --rebuild repairs) any
        difference, e.g. after rows were loaded into the ledger with triggers switched off."""
        if rebuild:
            with transaction.atomic():
                rollup.install(connection)  # the triggers too, should they have been dropped
                n = rollup.rebuild(connection)
            self.stdout.write(f"已重建维护活动月度汇总的触发器，并按台账重算：{n} 行。")
            return
        stale = rollup.stale(connection)
        if not stale:
            self.stdout.write("活动月度汇总与台账一致。")
            return
        shown = stale[:20]
        units = Unit.all_objects.in_bulk({row[0] for row in shown})
        kinds = ActivityKind.objects.in_bulk({row[1] for row in shown})
        for unit_id, kind_id, month, mask, stored, fresh in shown:
            unit, kind = units.get(unit_id), kinds.get(kind_id)
            self.stdout.write(
                f"{unit.name if unit else f'单位 {unit_id}'} {kind.name if kind else f'活动类型 {kind_id}'} "
                f"{month}（佐证 {mask}）：汇总为 {stored or '无'}，台账为 {fresh or '无'}"
                "（活动数、出席人次、应到人次）"
            )
        raise CommandError(
            f"活动月度汇总有 {len(stale)} 处与台账不一致；运行 taizhang ledger rollup --rebuild 可按台账重算。",
            returncode=1,
        )

    def counts(self, *, unit, period, with_children, json: bool, as_user=None, **_):
        unit_obj = unit_from_code(unit, user=user_from_name(as_user))
        period_obj = parse_period(period)
        counts = queries.kind_counts(unit=unit_obj, period=period_obj, with_children=with_children)
        if json:
            self.stdout.write(_dumps(counts))
            return
        names = dict(ActivityKind.objects.values_list("code", "name"))
        table = Table(title=f"{unit_obj.name} {period_obj.label}{'（含下级单位）' if with_children else ''}")
        table.add_column("活动类型")
        table.add_column("代码")
        table.add_column("次数", justify="right")
        for code, n in counts.items():
            table.add_row(names.get(code, code), code, str(n))
        table.add_row("合计", "", str(sum(counts.values())))
        Console(file=self.stdout, width=100).print(table)
        imported = queries.imported_activity_counts(
            unit=unit_obj, period=period_obj, with_children=with_children
        )
        if imported:
            n = sum(n for months in imported.values() for n in months.values())
            self.stdout.write(
                f"其中 {n} 次是从往年总结导入的汇总数（taizhang import-summary），与考核的计数一致。"
            )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
