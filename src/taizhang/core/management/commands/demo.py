"""``taizhang demo [--reset]``: load the two demo organisations reconstructed from the seeds."""

from django.core.management.base import BaseCommand

from taizhang import demo
from taizhang.demo.build import DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入演示单位：县政协机关（cppcc）与县实验中学党支部（school）"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="删除并重建演示单位及其全部记录")

    def handle(self, *args, reset: bool, **options):
        for line in demo.load(reset=reset):
            self.stdout.write(line)
        self.stdout.write(f"演示账号：demo / {DEMO_PASSWORD}（另有 cppcc-clerk、school-clerk 等，密码相同）")
