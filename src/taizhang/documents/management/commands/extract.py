"""``taizhang extract FILE [--json]``: every figure of a summary, a draft or a template."""

from __future__ import annotations

import gc
import json

from taizhang.core.management.base import TaizhangCommand, UsageError, input_file
from taizhang.core.uploads import COMMAND, FileRefused, read_document
from taizhang.documents.drafts.queries import vocabulary
from taizhang.extract import extract


class Command(TaizhangCommand):
    help = "列出 .txt、.md 或 .docx 文件中的全部数字（数值、量词、限定词、主题、位置）及模板中的空白"
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        parser.add_argument("file", type=input_file, help="总结、文稿或模板（.txt、.md、.docx）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, file, **options):
        try:
            text = read_document(file, channel=COMMAND)
        except FileRefused as exc:
            raise UsageError(str(exc)) from exc
        vocab = vocabulary()
        # One file, then the process ends: what start-up made (Django, the vocabulary) lives till then.
        # Frozen, it is no longer walked by the collector's full passes, which the tens of thousands
        # of figures of a long summary would set off again and again (30 ms in 3 MB, walking start-up
        # objects).
        gc.freeze()
        result = extract(text, vocab)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        lines = [
            f"{f.start}-{f.end}\t{f.text}\t{'' if f.value is None else f.value}{f.unit}\t{f.qualifier or ''}"
            f"\t{f.subject}\t{f.kind or ''}"
            for f in result.figures
        ]
        lines += [
            f"{f.start}-{f.end}\t（空白）{f.text.strip()}\t\t\t{f.subject}\t{f.kind or ''}"
            for f in result.missing
        ]
        if lines:  # one write: a summary of the genre has a figure every hundred characters
            self.stdout.write("\n".join(lines))
        self.stderr.write(f"共 {len(result.figures)} 个数字，{len(result.missing)} 处空白")
