"""``taizhang token list`` and ``taizhang token revoke USERNAME…``: who holds an API token, and taking one back."""

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from taizhang.core.auth import token_expires_at
from taizhang.core.management.base import TaizhangCommand, user_from_name
from taizhang.core.services import token_revoke


class Command(TaizhangCommand):
    help = "列出 API 令牌及其到期时间，或撤销某个账号的令牌（例如丢失了保存令牌的电脑）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="列出持有令牌的账号、签发和到期时间")
        revoke = actions.add_parser("revoke", help="撤销账号的令牌：持有它的脚本从此被拒绝")
        revoke.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, action: str, **options):
        if action == "list":
            self.list_tokens()
            return
        users = [user_from_name(name) for name in options["usernames"]]  # every name checked first
        for user in users:
            if token_revoke(user=user):
                self.stdout.write(f"已撤销 {user.get_username()} 的令牌。")
            else:
                self.stdout.write(f"{user.get_username()} 没有令牌。")

    def list_tokens(self):
        from django.utils import timezone

        now = timezone.now()
        tokens = Token.objects.select_related("user").order_by(f"user__{get_user_model().USERNAME_FIELD}")
        if not tokens:
            self.stdout.write("没有签发中的令牌。")
        for token in tokens:
            expires = token_expires_at(token)
            state = "已过期" if expires <= now else "有效"
            self.stdout.write(
                f"{token.user.get_username()}\t签发 {timezone.localtime(token.created):%Y-%m-%d %H:%M}"
                f"\t到期 {timezone.localtime(expires):%Y-%m-%d %H:%M}\t{state}"
            )
