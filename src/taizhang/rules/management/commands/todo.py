"""``taizhang todo --unit CODE [--as-of DATE]``: overdue tasks and what falls due in the next 30 days."""

from taizhang.core.management.base import DAYS, TaizhangCommand, day, integer, unit_from_code
from taizhang.rules.todo import todo_for


class Command(TaizhangCommand):
    help = "列出单位（含下级）逾期的任务和 30 天内到期的要求。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--as-of", dest="as_of", type=day, help="以哪一天为今天（YYYY-MM-DD，默认今天）")
        parser.add_argument("--days", type=integer(DAYS), default=30, help="列出多少天内到期的事项（0–366）")

    def handle(self, *args, **options):
        unit = unit_from_code(options["unit"])
        items = todo_for(unit=unit, today=options["as_of"], days=options["days"])
        if not items:
            self.stdout.write(f"{unit.name}：没有逾期或 {options['days']} 天内到期的事项。")
            return
        for item in items:
            flag = "【逾期】" if item.overdue else ""
            who = f" 责任人：{item.person.name}" if item.person else ""
            detail = f"（{item.detail}）" if item.detail else ""
            self.stdout.write(
                f"{item.due:%Y-%m-%d} {flag}{item.unit.short_name or item.unit.name}：{item.title}{detail}{who}"
            )
