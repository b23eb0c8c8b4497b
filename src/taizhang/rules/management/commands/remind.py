"""``taizhang remind``: mail each responsible person a digest of what is due or overdue (run daily by cron).

Mail goes through Django's email backend: the console backend by default, SMTP when settings say so.
"""

from collections import defaultdict

from django.core.mail import send_mail

from taizhang.core.management.base import DAYS, TaizhangCommand, day, integer, unit_from_code
from taizhang.org.models import Unit
from taizhang.rules.todo import responsible_people, todo_for


class Command(TaizhangCommand):
    help = "向责任人发送到期和逾期事项提醒邮件。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="只提醒该单位（含下级）；默认全部顶层单位")
        parser.add_argument("--as-of", dest="as_of", type=day, help="以哪一天为今天（YYYY-MM-DD，默认今天）")
        parser.add_argument("--days", type=integer(DAYS), default=30, help="提醒多少天内到期的事项（0–366）")

    def handle(self, *args, **options):
        roots = (
            [unit_from_code(options["unit"])]
            if options.get("unit")
            else list(Unit.objects.filter(parent=None))
        )
        today = options["as_of"]
        digests = defaultdict(list)
        for root in roots:
            for item in todo_for(unit=root, today=today, days=options["days"]):
                people = (
                    [item.person]
                    if item.person
                    else responsible_people(unit=item.unit, post=item.responsible)
                )
                for person in people:
                    digests[person].append(item)
        sent = skipped = 0
        for person, items in digests.items():
            email = person.user.email if person.user_id else ""
            if not email:
                skipped += 1
                continue
            lines = [
                f"{'【逾期】' if i.overdue else ''}{i.due:%Y-%m-%d} {i.unit.name}：{i.title} {i.detail}".rstrip()
                for i in items
            ]
            send_mail(
                subject=f"台账提醒：{len(items)} 项到期或逾期事项",
                message=f"{person.name}同志：\n\n" + "\n".join(lines) + "\n\n请及时办理并在台账中登记。",
                from_email=None,
                recipient_list=[email],
            )
            sent += 1
        self.stdout.write(f"已发送 {sent} 封提醒；{skipped} 名责任人没有登记邮箱，未发送。")
