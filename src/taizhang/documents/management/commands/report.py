"""``taizhang report summary|bulletin``: the work summary and the bulletin as .docx, .pdf or Markdown."""

from __future__ import annotations

import json
import sys
from datetime import date

from django.core.management.base import CommandError
from rich.console import Console

from taizhang.core.management.base import (
    JOBS,
    TaizhangCommand,
    UsageError,
    cannot_write,
    check_suffix,
    day,
    integer,
    output_dir,
    output_file,
    parse_period,
    unit_from_code,
    write_output,
)
from taizhang.documents.batches import cores
from taizhang.documents.bulletin.queries import NoPeers, bulletin_for
from taizhang.documents.output import pdf
from taizhang.documents.output.formats import FORMATS, explain, explain_json, render
from taizhang.documents.output.scripts import SCRIPTS, choices_text, in_script
from taizhang.documents.summary.coverage import empty_halves, empty_halves_message
from taizhang.documents.summary.facts import default_date
from taizhang.documents.summary.queries import summary_for
from taizhang.org.models import Unit


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
            p.add_argument("--format", help="docx、pdf 或 md（默认取 -o 的扩展名，否则 docx）")
            p.add_argument(
                "--script",
                default="simplified",
                help="simplified（简体）；traditional（繁体，与原件一致的香港用字）、"
                "traditional-tw（台湾用字）或 traditional-cn（OpenCC 标准字形）",
            )
            p.add_argument(
                "--date",
                type=day,
                help="落款日期，如 2020-07-06（默认：已结束的期间为期末后第一个满五天的工作日）",
            )
            p.add_argument(
                "-o",
                "--output",
                type=output_file(*(f".{fmt}" for fmt in FORMATS), stdout=True),
                help="输出文件；省略或为 - 时 md 输出到屏幕",
            )
            p.add_argument("--explain", action="store_true", help="列出每个数字及其来源记录")
            p.add_argument("--json", action="store_true", help="与 --explain 同用：以 JSON 输出")
            p.add_argument(
                "--strict",
                action="store_true",
                help="文稿中仍有待补充之处时报错退出"
                + ("；年度总结的某个半年没有任何记录时也报错退出" if name == "summary" else ""),
            )
            if name == "summary":
                p.add_argument(
                    "--with-children", action="store_true", help="为本单位及全部下级单位各生成一份"
                )
                p.add_argument("--out-dir", type=output_dir, help="批量生成时的输出目录")
                p.add_argument(
                    "--jobs", type=integer(JOBS), default=0, help="并行进程数（默认 0：每个核心一个）"
                )

    def handle(self, *args, action, **options):
        output, script = options["output"], options["script"]
        to_screen = output in (None, "-")
        fmt = options["format"] or (
            "md" if output == "-" else "docx" if to_screen else output.suffix[1:].lower()
        )
        if fmt not in FORMATS:
            raise UsageError(f"--format 应为 {'、'.join(FORMATS)} 之一，而不是“{fmt}”。")
        if not to_screen:
            check_suffix(output, f".{fmt}", f"--format {fmt}")
        if script not in SCRIPTS:
            raise UsageError(f"--script 应为 {choices_text()} 之一，而不是“{script}”。")
        if fmt == "pdf" and pdf.soffice_path() is None:
            raise UsageError(pdf.INSTALL_HINT)
        many = action == "summary" and options["with_children"]
        if many and not options["out_dir"]:
            raise UsageError("--with-children 需要 --out-dir 指定输出目录。")
        if not many and to_screen and fmt != "md" and not (options["explain"] and output is None):
            raise UsageError(f"请用 -o 指定输出文件（{fmt} 不能输出到屏幕）。")
        unit = unit_from_code(options["unit"])
        period = parse_period(options["period"])
        written_on = options["date"]
        if written_on is None and not many:
            written_on = default_date(period)
            if written_on != date.today():
                self.stderr.write(
                    f"落款日期：{written_on:%Y-%m-%d}（期间已结束，取期末后第一个满五天的工作日；可用 --date 指定）"
                )
        if many:
            return self.batch(unit, period, fmt, script, options, written_on)
        if action == "summary":
            if options["strict"] and (halves := empty_halves(unit, period)):
                raise CommandError(
                    empty_halves_message(unit, period, halves, today=date.today()), returncode=1
                )
            doc = summary_for(unit=unit, period=period, written_on=written_on)
        else:
            try:
                doc = bulletin_for(root=unit, period=period, written_on=written_on)
            except NoPeers as exc:
                raise UsageError(str(exc)) from None
        doc = in_script(doc, script, unit=unit)
        if options["strict"] and doc.placeholders:
            raise CommandError(
                f"文稿中还有 {len(doc.placeholders)} 处待补充：{'；'.join(doc.placeholders)}", returncode=1
            )
        if options["explain"] and options["json"]:
            self.stdout.write(json.dumps(explain_json(doc), ensure_ascii=False, indent=2))
        elif options["explain"]:
            self.stdout.write(explain(doc))
        if to_screen and fmt != "md":
            return  # --explain alone
        data = render(doc, fmt)
        if to_screen:
            self.stdout.write(data.decode("utf-8").rstrip("\n"))
        else:
            write_output(output, data)
            self.stdout.write(f"已写入 {output}")
        if doc.placeholders:
            self.stderr.write(
                f"注意：文稿中还有 {len(doc.placeholders)} 处待补充：{'；'.join(doc.placeholders)}"
            )

    def batch(self, unit, period, fmt, script, options, written_on):
        ids = list(
            Unit.objects.filter(path__startswith=unit.path).order_by("path").values_list("pk", flat=True)
        )
        jobs = options["jobs"] or cores.default_jobs()
        try:
            files = cores.run_summaries(
                unit_ids=ids,
                period=period,
                fmt=fmt,
                script=script,
                out_dir=options["out_dir"],
                jobs=jobs,
                written_on=written_on or default_date(period),
                console=Console(file=sys.stderr),
            )
        except OSError as exc:  # a full disk: the files written so far are whole, the rest absent
            raise cannot_write(options["out_dir"], exc) from exc
        self.stdout.write(f"已生成 {len(files)} 份，保存在 {options['out_dir']}")
