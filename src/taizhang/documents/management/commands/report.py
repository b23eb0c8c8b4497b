"""``taizhang report summary|bulletin``: the work summary and the bulletin as .docx, .pdf or Markdown."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from taizhang.core.management.base import TaizhangCommand, UsageError, parse_period, unit_from_code
from taizhang.documents import batch, pdf
from taizhang.documents.bulletin_queries import NoPeers, bulletin_for
from taizhang.documents.output import FORMATS, explain, render
from taizhang.documents.queries import summary_for
from taizhang.documents.scripts import SCRIPTS, choices_text, in_script
from taizhang.org.models import Unit


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期格式不正确：“{text}”（应为 2020-07-06）") from None


class Command(TaizhangCommand):
    help = "生成文书：summary 意识形态工作总结，bulletin 通报"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("summary", "某单位某期间的意识形态工作总结"),
            ("bulletin", "单位及下级单位的通报"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("--unit", required=True, help="单位代码，如 cppcc")
            p.add_argument("--period", required=True, help="期间：2020H1 或 2020")
            p.add_argument("--format", default="docx", help="docx、pdf 或 md（默认 docx）")
            p.add_argument(
                "--script",
                default="simplified",
                help="simplified（简体）；traditional（繁体，与原件一致的香港用字）、"
                "traditional-tw（台湾用字）或 traditional-cn（OpenCC 标准字形）",
            )
            p.add_argument("--date", help="落款日期，如 2020-07-06（默认今天）")
            p.add_argument("-o", "--output", help="输出文件；省略时 md 输出到屏幕")
            p.add_argument("--explain", action="store_true", help="列出每个数字及其来源记录")
            if name == "summary":
                p.add_argument(
                    "--with-children", action="store_true", help="为本单位及全部下级单位各生成一份"
                )
                p.add_argument("--out-dir", help="批量生成时的输出目录")
                p.add_argument("--jobs", type=int, default=0, help="并行进程数（默认全部核心）")

    def handle(self, *args, action, **options):
        fmt, script = options["format"], options["script"]
        if fmt not in FORMATS:
            raise UsageError(f"--format 应为 {'、'.join(FORMATS)} 之一，而不是“{fmt}”。")
        if script not in SCRIPTS:
            raise UsageError(f"--script 应为 {choices_text()} 之一，而不是“{script}”。")
        if fmt == "pdf" and pdf.soffice_path() is None:
            raise UsageError(pdf.INSTALL_HINT)
        unit = unit_from_code(options["unit"])
        period = parse_period(options["period"])
        written_on = _date(options["date"])
        if action == "summary" and options["with_children"]:
            return self.batch(unit, period, fmt, script, options, written_on)
        if action == "summary":
            doc = summary_for(unit=unit, period=period, written_on=written_on)
        else:
            try:
                doc = bulletin_for(root=unit, period=period, written_on=written_on)
            except NoPeers as exc:
                raise UsageError(str(exc)) from None
        doc = in_script(doc, script)
        if options["explain"]:
            self.stdout.write(explain(doc))
        output = options["output"]
        if output is None and fmt != "md":
            if options["explain"]:
                return
            raise UsageError(f"请用 -o 指定输出文件（{fmt} 不能输出到屏幕）。")
        data = render(doc, fmt)
        if output is None or output == "-":
            self.stdout.write(data.decode("utf-8").rstrip("\n"))
        else:
            Path(output).write_bytes(data)
            self.stdout.write(f"已写入 {output}")
        if doc.placeholders:
            self.stderr.write(
                f"注意：文稿中还有 {len(doc.placeholders)} 处待补充：{'；'.join(doc.placeholders)}"
            )

    def batch(self, unit, period, fmt, script, options, written_on):
        if not options["out_dir"]:
            raise UsageError("--with-children 需要 --out-dir 指定输出目录。")
        ids = list(
            Unit.objects.filter(path__startswith=unit.path).order_by("path").values_list("pk", flat=True)
        )
        jobs = options["jobs"] or batch.default_jobs()
        files = batch.run_summaries(
            unit_ids=ids,
            period=period,
            fmt=fmt,
            script=script,
            out_dir=Path(options["out_dir"]),
            jobs=jobs,
            written_on=written_on or date.today(),
            console=Console(file=sys.stderr),
        )
        self.stdout.write(f"已生成 {len(files)} 份，保存在 {options['out_dir']}")
