"""``taizhang framework load FILE`` / ``list`` / ``assign --unit CODE --version N``."""

from taizhang.core.management.base import (
    VERSION,
    TaizhangCommand,
    UsageError,
    input_file,
    integer,
    unit_from_code,
)
from taizhang.rules.framework import FrameworkInvalid
from taizhang.rules.models import Framework
from taizhang.rules.services import framework_assign, framework_load


class Command(TaizhangCommand):
    help = "载入、列出或指定要求库（框架文件）。"
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="校验并载入一个框架文件（有任何错误则不写入）")
        load.add_argument("file", type=input_file, help="框架文件（UTF-8 编码的 YAML）")
        load.add_argument("--slug", help="要求库标识（默认取文件名）")
        sub.add_parser("list", help="列出已载入的版本")
        assign = sub.add_parser("assign", help="指定单位适用的要求库版本")
        assign.add_argument("--unit", required=True)
        assign.add_argument("--slug", default="ideology")
        assign.add_argument("--version", type=integer(VERSION), required=True, dest="fw_version")

    def handle(self, *args, action, **options):
        if action == "load":
            try:
                framework, created = framework_load(path=options["file"], slug=options.get("slug"))
            except FrameworkInvalid as exc:
                if len(exc.errors) == 1:
                    raise UsageError(f"{exc.errors[0]}（未作任何修改）") from None
                for line in exc.errors:
                    self.stderr.write(line)
                raise UsageError(f"框架文件有 {len(exc.errors)} 处错误，未作任何修改。") from None
            verb = "已载入" if created else "内容未变，沿用"
            count = framework.requirements.count()
            self.stdout.write(f"{verb} {framework.slug} 第{framework.version}版（{count} 条要求）")
        elif action == "list":
            for fw in Framework.objects.all():
                self.stdout.write(
                    f"{fw.slug}\t第{fw.version}版\t{fw.requirements.count()} 条\t{fw.loaded:%Y-%m-%d %H:%M}"
                )
        else:
            unit = unit_from_code(options["unit"])
            framework = Framework.objects.filter(slug=options["slug"], version=options["fw_version"]).first()
            if framework is None:
                raise UsageError(f"没有要求库 {options['slug']} 第{options['fw_version']}版。")
            framework_assign(unit=unit, framework=framework)
            self.stdout.write(f"{unit.name} 今后按 {framework} 核查。")
