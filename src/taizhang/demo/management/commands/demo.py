"""``taizhang demo [--reset]``: load the two demo organisations reconstructed from the seeds.

On a database that was never set up it runs ``migrate`` first, so a fresh checkout needs one command.
"""

from django.core.management import call_command
from django.db import connection

from taizhang.core.management.base import TaizhangCommand
from taizhang.core.management.database import migration_state
from taizhang.demo.build import DEMO_PASSWORD
from taizhang.demo.loading import load


class Command(TaizhangCommand):
    help = "载入演示单位：县政协机关（cppcc）与县实验中学党支部（school）"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除并重建演示单位及其全部记录")

    def handle(self, *args, reset: bool, **options):
        if migration_state(connection)[1]:
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("已初始化数据库（migrate）。")
        for line in load(reset=reset):
            self.stdout.write(line)
        self.stdout.write(f"演示账号：demo / {DEMO_PASSWORD}（另有 cppcc-clerk、school-clerk 等，密码相同）")
