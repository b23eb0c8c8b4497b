"""``taizhang factcheck FILE --unit CODE --period P [--json]``: a hand-written draft against the ledger."""

from __future__ import annotations

import json

from taizhang.core.management.base import (
    TaizhangCommand,
    UsageError,
    input_file,
    parse_period,
    unit_from_code,
)
from taizhang.core.registry import REGISTRY
from taizhang.core.uploads import COMMAND, FileRefused, read_document
from taizhang.documents.drafts.factcheck import AGREES, DIFFERS
from taizhang.documents.drafts.queries import factcheck_for
from taizhang.documents.output.formats import NAMES

LABELS = {AGREES: "一致", DIFFERS: "不符", "unknown": "无从核对"}


class Command(TaizhangCommand):
    help = "用台账核对手写文稿中的数字，并检查提法"
    requires_system_checks: list[str] = []  # reads a file: Django's checks would first import every view

    def add_arguments(self, parser):
        parser.add_argument("file", type=input_file, help="文稿（.txt、.md、.docx）")
        parser.add_argument("--unit", required=True, help="单位代码，如 cppcc")
        parser.add_argument("--period", required=True, help="期间：2020H1 或 2020")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, file, **options):
        unit = unit_from_code(options["unit"])
        period = parse_period(options["period"])
        try:
            text = read_document(file, channel=COMMAND)
        except FileRefused as exc:
            raise UsageError(str(exc)) from exc
        _, report = factcheck_for(text=text, unit=unit, period=period)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        for check in report.checks:
            f = check.figure
            line = f"[{LABELS[check.status]}] {f.start}-{f.end} {f.subject} {f.text}"
            if check.ledger:
                labels = "＋".join(x.label for x in check.ledger)
                line += f"；台账：{check.ledger_value}{f.unit}（{labels}；{_sources(check.records)}）"
            self.stdout.write(line)
        for m in report.misworded:
            self.stdout.write(f"[提法] {m.start}-{m.end} “{m.text}”应为“{m.canonical}”")
        differs = sum(1 for c in report.checks if c.status == DIFFERS)
        self.stderr.write(
            f"核对 {len(report.checks)} 个数字：{differs} 个与台账不符；提法问题 {len(report.misworded)} 处"
        )


def _sources(records: list[tuple[str, int]]) -> str:
    by_type: dict[str, list[int]] = {}
    for record_type, pk in records:
        by_type.setdefault(record_type, []).append(pk)
    return "；".join(
        f"{REGISTRY[t].name if t in REGISTRY else NAMES.get(t, t)} "
        + "、".join(f"#{i}" for i in ids[:8])
        + ("等" if len(ids) > 8 else "")
        for t, ids in by_type.items()
    )
