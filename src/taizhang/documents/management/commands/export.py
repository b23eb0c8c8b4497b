"""``taizhang export ledger|archive|record|signin``: the ledger workbook, the study archive, records."""

from __future__ import annotations

from taizhang.core.management.base import (
    RECORD_ID,
    TaizhangCommand,
    UsageError,
    integer,
    output_file,
    parse_period,
    unit_from_code,
    write_output,
)
from taizhang.documents.downloads import files
from taizhang.documents.output import pdf
from taizhang.documents.workbook.queries import ledger_export
from taizhang.ledger.models import Activity

DOCUMENT = output_file(".docx", ".pdf")


class Command(TaizhangCommand):
    help = "导出：ledger 台账 .xlsx，archive 学习档案，record 活动记录，signin 签到表"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ledger = sub.add_parser("ledger", help="某单位某期间的台账（.xlsx，每类记录一张工作表）")
        archive = sub.add_parser("archive", help="某单位某期间的学习档案（.docx/.pdf）")
        for p in (ledger, archive):
            p.add_argument("--unit", required=True, help="单位代码")
            p.add_argument("--period", required=True, help="期间：2020H1 或 2020")
        ledger.add_argument(
            "-o", "--output", required=True, type=output_file(".xlsx"), help="输出文件（.xlsx）"
        )
        archive.add_argument("-o", "--output", required=True, type=DOCUMENT, help="输出文件（.docx 或 .pdf）")
        ledger.add_argument("--with-children", action="store_true", help="包含下级单位")
        ledger.add_argument(
            "--with-personal-data",
            action="store_true",
            help="人员名册中包含手机号码（个人信息，仅供单位管理员使用）",
        )
        for name, text in (("record", "一次活动的学习（会议）记录"), ("signin", "一次活动的签到表")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--activity", required=True, type=integer(RECORD_ID), help="活动编号")
            p.add_argument("-o", "--output", required=True, type=DOCUMENT, help="输出文件（.docx 或 .pdf）")

    def handle(self, *args, action, output, **options):
        fmt = output.suffix.lower().lstrip(".")
        if action == "ledger":
            unit, period = unit_from_code(options["unit"]), parse_period(options["period"])
            personal = options["with_personal_data"]
            data = ledger_export(
                unit=unit, period=period, with_children=options["with_children"], personal=personal
            )
            if personal:
                self.stderr.write("注意：导出文件含手机号码等个人信息，请妥善保管，用后删除。")
        else:
            if fmt == "pdf" and pdf.soffice_path() is None:
                raise UsageError(pdf.INSTALL_HINT)
            data = self._docx(action, options)
            if fmt == "pdf":
                data = pdf.docx_to_pdf(data)
        write_output(output, data)
        self.stdout.write(f"已写入 {output}")

    def _docx(self, action, options) -> bytes:
        """The same files the pages offer (``documents.downloads.files``), as .docx."""
        if action == "archive":
            unit, period = unit_from_code(options["unit"]), parse_period(options["period"])
            return files.study_archive(unit, period, "docx").data
        activity = Activity.objects.select_related("unit").filter(pk=options["activity"]).first()
        if activity is None:
            raise UsageError(f"没有编号为 {options['activity']} 的活动。")
        return files.activity_document(activity, action, "docx").data
