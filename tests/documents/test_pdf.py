"""PDF through LibreOffice renders Chinese in the fonts the project's fontconfig aliases map to."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core.periods import Period
from taizhang.documents import pdf
from taizhang.documents.model import Document, para
from taizhang.documents.output import render

needs_soffice = pytest.mark.skipif(
    pdf.soffice_path() is None or shutil.which("pdffonts") is None,
    reason="needs LibreOffice (soffice) and poppler-utils (pdffonts): apt-get install libreoffice-writer-nogui "
    "fonts-noto-cjk fonts-arphic-ukai poppler-utils",
)


@needs_soffice
def test_pdf_embeds_the_mapped_free_fonts(tmp_path):
    doc = Document(
        title="县政协机关2020年上半年意识形态工作总结",
        blocks=(para("正文仿宋。"), para("一、黑体标题", level=1), para("（一）楷体标题", level=2)),
        signature_unit="县政协机关",
        signature_date="2020年7月6日",
    )
    out = tmp_path / "s.pdf"
    out.write_bytes(render(doc, "pdf"))
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    # LibreOffice names a subset of a .ttc after the collection's first face (…CJKjp…): the family is what counts.
    assert "NotoSerifCJK" in fonts  # 方正小标宋简体, 仿宋_GB2312, 宋体
    assert "NotoSansCJK" in fonts  # 黑体
    assert "UKai" in fonts  # 楷体_GB2312
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "意识形态工作总结" in text and "—1—" in text.replace(" ", "")


def test_pdf_without_libreoffice_exits_2_naming_the_package(db, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    with pytest.raises(CommandError) as exc:
        call_command(
            "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--format", "pdf", "-o", "x.pdf"
        )
    assert exc.value.returncode == 2 and "libreoffice" in str(exc.value)
    assert Period.parse("2020H1").start == date(2020, 1, 1)
