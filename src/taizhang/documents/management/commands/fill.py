"""``taizhang fill TEMPLATE --unit CODE --period P -o FILE``: a blank template filled from the ledger."""

from __future__ import annotations

from taizhang.core.management.base import (
    TaizhangCommand,
    UsageError,
    input_file,
    output_file,
    parse_period,
    unit_from_code,
    write_output,
)
from taizhang.core.uploads import COMMAND, FileRefused, check_document, check_size, limits
from taizhang.documents.drafts.fill import fill
from taizhang.documents.drafts.queries import fill_values, vocabulary
from taizhang.extract.reader import SUFFIXES


class Command(TaizhangCommand):
    help = "用台账填写空白模板（.txt、.md、.docx），填不了的空白标为【待补充】"
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        parser.add_argument("template", type=input_file, help="空白模板（.txt、.md、.docx）")
        parser.add_argument("--unit", required=True, help="单位代码，如 school")
        parser.add_argument("--period", required=True, help="期间：2020 或 2020H1")
        parser.add_argument(
            "-o", "--output", required=True, type=output_file(*SUFFIXES), help="输出文件，与模板同类型"
        )

    def handle(self, *args, template, output, **options):
        suffix = template.suffix.lower()
        if suffix not in SUFFIXES:
            raise UsageError(f"“{template}”：只能填写 .txt、.md 或 .docx 模板")
        if output.suffix.lower() != suffix:
            raise UsageError(f"输出文件应与模板同为 {suffix} 文件，而不是“{output}”")
        unit = unit_from_code(options["unit"])
        period = parse_period(options["period"])
        try:
            check_size(template.stat().st_size, template.name, limits(COMMAND))  # before it is read whole
            data = template.read_bytes()
            check_document(data, name=template.name, channel=COMMAND)  # before python-docx opens it here
            data, done = fill(
                data,
                name=template.name,
                vocab=vocabulary(),
                resolve=lambda blanks: fill_values(blanks, unit=unit, period=period),
            )
        except FileRefused as exc:
            raise UsageError(str(exc)) from exc
        write_output(output, data)
        self.stdout.write(f"已写入 {output}")
        filled = [item for item in done if item.text is not None]
        pending = [item for item in done if item.text is None]
        self.stderr.write(f"已填写 {len(filled)} 处：")
        for item in filled:
            self.stderr.write(f"  {item.describe()}")
        self.stderr.write(f"待补充 {len(pending)} 处：")
        for item in pending:
            self.stderr.write(f"  {item.describe()}")
