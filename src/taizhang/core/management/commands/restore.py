"""``taizhang restore FILE [--force]``: a backup back into an empty database, refused when it cannot be trusted."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import OperationalError

from taizhang.core.backup import BackupError, describe
from taizhang.core.management.base import TaizhangCommand, UsageError
from taizhang.core.restore import RestoreIncomplete, backup_restore


class Command(TaizhangCommand):
    help = (
        "从 taizhang backup 写的文件恢复数据库和附件。目标须是空数据库（SQLite 文件不存在时自动创建）；"
        "先校验整个文件，损坏或不匹配时不写入任何内容。"
    )
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库已有数据时也恢复：用备份替换其中的全部数据"
        )

    def handle(self, *args, file: str, force: bool, **options):
        try:
            report = backup_restore(path=Path(file), force=force)
        except RestoreIncomplete as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except BackupError as exc:
            raise UsageError(str(exc)) from exc
        except OperationalError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
            raise UsageError(f"无法连接目标数据库：{reason}") from exc
        self.stdout.write(f"已恢复 {describe(report.manifest)}，行数与备份清单一致。")
        if report.pending_migrations:
            self.stdout.write(
                f"备份来自较早的版本，还有 {report.pending_migrations} 个迁移未应用：请运行 taizhang migrate。"
            )
