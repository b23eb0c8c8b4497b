"""``taizhang backup -o FILE``: the database and the uploaded files, in one file, while the app runs."""

from pathlib import Path

from taizhang.core.backup import BackupError, backup_write, describe
from taizhang.core.management.base import TaizhangCommand, UsageError, output_file


class Command(TaizhangCommand):
    help = (
        "把数据库和上传的附件备份到一个文件（服务运行时也可备份；SQLite 用在线备份，PostgreSQL 用 pg_dump）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            type=output_file(".zip"),  # a zip named .txt is a backup nobody finds: refused as for report
            help="备份文件名（.zip），例如 backups/taizhang-2025-01-31.zip",
        )

    def handle(self, *args, output: Path, **options):
        try:
            manifest = backup_write(path=Path(output))
        except BackupError as exc:
            raise UsageError(str(exc)) from exc
        self.stdout.write(f"已备份到 {output}：{describe(manifest)}。")
