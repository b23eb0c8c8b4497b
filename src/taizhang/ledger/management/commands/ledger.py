"""``taizhang ledger counts --unit CODE --period P [--with-children] [--json]``."""

import json

from rich.console import Console
from rich.table import Table

from taizhang.core.management.base import TaizhangCommand as BaseCommand
from taizhang.core.management.base import parse_period, unit_from_code, user_from_name
from taizhang.ledger import queries
from taizhang.ledger.models import ActivityKind


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

    def handle(self, *args, action, **options):
        if action == "counts":
            self.counts(**options)

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


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
