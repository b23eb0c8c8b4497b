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
from taizhang.documents.scripts import in_script

needs_soffice = pytest.mark.skipif(
    pdf.soffice_path() is None or shutil.which("pdffonts") is None,
    reason="needs LibreOffice (soffice) and poppler-utils (pdffonts): apt-get install libreoffice-writer-nogui "
    "fonts-noto-cjk fonts-arphic-ukai fonts-cwtex-fs fonts-liberation2 poppler-utils",
)


def _fonts(path) -> list[str]:
    """The embedded fonts' names as pdffonts lists them, without the subset prefix (ABCDEF+)."""
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+")[-1] for line in rows.splitlines()[2:] if line.strip()]


SAMPLE = Document(
    title="县政协机关2020年上半年意识形态工作总结",
    blocks=(
        para("正文仿宋，含数字2020和Latin。"),
        para("一、黑体标题", level=1),
        para("（一）楷体标题", level=2),
        para("坚持为民服务，抓好落实。"),
    ),
    signature_unit="县政协机关",
    signature_date="2020年7月6日",
)


@needs_soffice
def test_pdf_embeds_the_mapped_free_fonts(tmp_path):
    out = tmp_path / "s.pdf"
    out.write_bytes(render(SAMPLE, "pdf"))
    fonts = _fonts(out)
    # LibreOffice names a subset of a .ttc after the collection's first face (…CJKjp…): the family
    # and the weight are what count.
    assert any(f.startswith("NotoSerifCJK") and "-Bold" in f for f in fonts)  # 方正小标宋简体: the title
    assert any(f.startswith("NotoSerifCJK") and "-Regular" in f for f in fonts)  # 仿宋_GB2312: the body
    assert any(f.startswith("NotoSansCJK") for f in fonts)  # 黑体
    assert "UKaiCN" in fonts  # 楷体_GB2312
    # Digits and Latin in a Times-compatible face, bold beside the heavy title; never DejaVu.
    assert {"LiberationSerif", "LiberationSerif-Bold"} <= set(fonts)
    assert not [f for f in fonts if "DejaVu" in f]
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "意识形态工作总结" in text and "—1—" in text.replace(" ", "")


@needs_soffice
def test_the_title_prints_visibly_heavier_than_the_body(tmp_path):
    """Ink per character: the title's face is bold, not the body's face at a larger size."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs pdftoppm (poppler-utils)")
    doc = Document(title="意识形态工作总结", blocks=(para("意识形态工作总结"),))
    out = tmp_path / "t.pdf"
    out.write_bytes(render(doc, "pdf"))
    subprocess.run(["pdftoppm", "-gray", "-r", "100", str(out), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.pgm")).read_bytes()
    width, height = (int(v) for v in page.split(b"\n")[1].split())
    pixels = page[-width * height :]

    def ink(top: int, bottom: int) -> float:
        dark = [sum(1 for x in range(width) if pixels[y * width + x] < 128) for y in range(top, bottom)]
        rows = [i for i, n in enumerate(dark) if n]
        return sum(dark) / (len(rows) or 1)  # dark pixels per inked row

    lines, inked = [], [any(p < 128 for p in pixels[y * width : (y + 1) * width]) for y in range(height)]
    for y, on in enumerate(inked):
        if on and (not y or not inked[y - 1]):
            lines.append([y, y])
        if on:
            lines[-1][1] = y + 1
    title, body = lines[0], lines[1]  # the page number comes last
    # 22 pt against 16 pt gives 22/16 the ink per row at the same weight; bold gives clearly more.
    assert ink(*title) / ink(*body) > 22 / 16 * 1.3


@needs_soffice
def test_traditional_pdf_sets_the_body_in_a_real_fangsong_and_headings_in_regional_faces(tmp_path):
    out = tmp_path / "t.pdf"
    out.write_bytes(render(in_script(SAMPLE, "traditional"), "pdf"))
    fonts = _fonts(out)
    assert "cwTeXFangSong" in fonts  # fonts-cwtex-fs: FangSong for traditional characters
    assert "UKaiHK" in fonts  # 楷体 in the Hong Kong cut (the text is zh-HK)
    assert any(f.startswith("NotoSerifCJK") and "-Bold" in f for f in fonts)
    # Every paragraph here is drawn whole by cwTeX: no Song face at all for the body.
    assert not any(f.startswith("NotoSerifCJK") and "-Regular" in f for f in fonts)
    assert not [f for f in fonts if "DejaVu" in f]
    taiwan = tmp_path / "tw.pdf"
    taiwan.write_bytes(render(in_script(SAMPLE, "traditional-tw"), "pdf"))
    assert "UKaiTW" in _fonts(taiwan)


def test_pdf_without_libreoffice_exits_2_naming_the_package(db, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    with pytest.raises(CommandError) as exc:
        call_command(
            "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--format", "pdf", "-o", "x.pdf"
        )
    assert exc.value.returncode == 2 and "libreoffice" in str(exc.value)
    assert Period.parse("2020H1").start == date(2020, 1, 1)
