"""The PDF is the document: what LibreOffice prints says what the .docx says, on GB/T 9704's grid.

The demo's CPPCC 2020H1 and school 2020 summaries, in both scripts, are each converted once per test
session (``printed``) and read back with poppler: the text (``pdftotext``), the lines with their
positions (``pdftotext -bbox``), the embedded faces (``pdffonts``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core.periods import Period
from taizhang.documents.output import gbt9704, pdf
from taizhang.documents.output.formats import render
from taizhang.documents.output.model import Document, para
from taizhang.documents.output.scripts import in_script
from taizhang.documents.summary.queries import summary_for
from taizhang.org.models import Unit

from .conftest import read_docx

needs_soffice = pytest.mark.skipif(
    pdf.soffice_path() is None or shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and poppler-utils (pdffonts, pdftotext): apt-get install "
    "libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 poppler-utils",
)

PT_PER_MM = 72 / 25.4
TYPE_AREA_TOP = gbt9704.MARGINS_MM["top"] * PT_PER_MM
TYPE_AREA_BOTTOM = (297 - gbt9704.MARGINS_MM["bottom"]) * PT_PER_MM
TYPE_AREA_RIGHT = (210 - gbt9704.MARGINS_MM["right"]) * PT_PER_MM
PITCH = gbt9704.LINE_PITCH / 20  # points

# The demo documents the issue names, in both scripts.
DEMO = [(unit, period, script) for unit, period in (("cppcc", "2020H1"), ("school", "2020")) for script in ("simplified", "traditional")]  # fmt: skip


def _fonts(path) -> list[str]:
    """The embedded fonts' names as pdffonts lists them, without the subset prefix (ABCDEF+)."""
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+")[-1] for line in rows.splitlines()[2:] if line.strip()]


@dataclass(frozen=True)
class Line:
    y: float  # top of the line's glyphs, points from the top of the page
    right: float  # right end of its last glyph
    text: str
    left: float = 0.0  # left end of its first glyph


@dataclass(frozen=True)
class Printed:
    """A demo summary as the user downloads it: the document, its .docx and its PDF (a file)."""

    doc: Document
    docx: bytes
    pdf: Path

    def text(self) -> str:
        return subprocess.run(
            ["pdftotext", str(self.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout

    def pages(self) -> list[list[Line]]:
        """Each page's lines of the type area, top to bottom (the page number below it left out)."""
        xml = subprocess.run(
            ["pdftotext", "-bbox", str(self.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = []
        for page in re.findall(r"<page .*?</page>", xml, flags=re.S):
            words: dict[float, list[tuple[float, float, str]]] = {}
            for x0, y0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page
            ):
                y = float(y0)
                key = next((k for k in words if abs(k - y) < 2), y)
                words.setdefault(key, []).append((float(x0), float(x1), word))
            pages.append(
                [
                    Line(y, max(w[1] for w in ws), "".join(w[2] for w in sorted(ws)), min(w[0] for w in ws))
                    for y, ws in sorted(words.items())
                    if y < TYPE_AREA_BOTTOM
                ]
            )
        return pages


@pytest.fixture(scope="session")
def printed(django_db_setup, django_db_blocker, tmp_path_factory):
    """``printed(unit_code, period, script)``: the demo summary converted once per test session."""
    made: dict[tuple[str, str, str], Printed] = {}

    def get(code: str, period: str, script: str) -> Printed:
        key = (code, period, script)
        if key not in made:
            with django_db_blocker.unblock():
                unit = Unit.objects.get(code=code)
                doc = in_script(summary_for(unit=unit, period=Period.parse(period)), script, unit=unit)
            path = tmp_path_factory.mktemp("printed") / f"{code}-{period}-{script}.pdf"
            path.write_bytes(render(doc, "pdf"))
            made[key] = Printed(doc, render(doc, "docx"), path)
        return made[key]

    return get


def _visible(text: str) -> Counter:
    return Counter(re.sub(r"\s", "", text))


@needs_soffice
@pytest.mark.parametrize(("unit", "period", "script"), DEMO)
def test_the_pdf_keeps_every_character_of_the_docx(printed, unit, period, script):
    """Every character the .docx holds (read back with python-docx), punctuation included, is printed."""
    doc = printed(unit, period, script)
    in_docx = _visible("".join(p.text for p in read_docx(doc.docx).paragraphs))
    page_numbers = sum(1 for _ in re.finditer(r"—\s*\d+\s*—", doc.text()))
    in_pdf = _visible(re.sub(r"—\s*\d+\s*—", "", doc.text()))
    assert page_numbers == len(doc.pages())
    assert in_docx - in_pdf == Counter(), "the PDF lost these"
    assert in_pdf - in_docx == Counter(), "the PDF added these"
    assert in_docx["，"] > 50 and in_docx["、"] > 5  # punctuation is part of what is compared


@needs_soffice
@pytest.mark.parametrize(("unit", "period", "script"), DEMO)
def test_every_full_body_page_holds_22_lines_of_28_characters(printed, unit, period, script):
    """GB/T 9704: 22 lines of 28 characters in the type area, on the grid from page to page.

    A page ends early only where the next page starts with a heading (kept with its paragraph) or
    with the last paragraph (kept with the 落款); no character stands in the right margin.
    """
    doc = printed(unit, period, script)
    pages = doc.pages()
    assert len(pages) >= 3
    title_lines = len(gbt9704.title_lines(doc.doc.title_phrases)) if doc.doc.title_phrases else 1
    kept = {b.text[:8] for b in doc.doc.blocks if b.level} | {doc.doc.blocks[-1].text[:8]}
    # Where a line's glyphs start below the top of its grid line, read on page 2's first line.
    offset = pages[1][0].y - TYPE_AREA_TOP
    assert 0 < offset < PITCH
    widths = []
    for number, lines in enumerate(pages, start=1):
        body = lines[title_lines:] if number == 1 else lines
        slots = []
        for line in body:
            slot = (line.y - TYPE_AREA_TOP - offset) / PITCH
            assert abs(slot - round(slot)) < 0.05, ("off the grid", number, line.text)
            assert line.right <= TYPE_AREA_RIGHT + 0.5, ("in the margin", number, line.text)
            slots.append(round(slot))
            if all(ord(c) >= 0x2000 for c in line.text):  # Chinese and full-width punctuation only
                widths.append(len(line.text))
        if number == 1:  # the title's lines and the blank line under it take the first grid lines
            assert slots[0] == title_lines + 1
        if number == len(pages):  # a blank line between the text and the 落款
            assert slots[-2] == slots[-3] + 2
            slots[-2:] = [slots[-2] - 1, slots[-1] - 1]
        assert slots == list(range(slots[0], slots[0] + len(slots))) and slots[-1] <= 21, number
        if number < len(pages) and slots[-1] < 21:
            assert pages[number][0].text[:8] in kept, (
                "page ends early",
                number,
                len(slots),
                pages[number][0].text,
            )
    # A line of Chinese and full-width punctuation holds at most 28 (a half-width 《 would let a
    # 29th in), and one that runs on holds 28 (27 when a comma took the 28th onto the next line).
    assert max(widths) == 28


@needs_soffice
@pytest.mark.parametrize(("unit", "period", "script"), DEMO)
def test_headings_never_end_a_page_and_the_signature_never_stands_alone(printed, unit, period, script):
    doc = printed(unit, period, script)
    pages = doc.pages()
    headings = {b.text for b in doc.doc.blocks if b.level}
    assert headings
    for number, lines in enumerate(pages[:-1], start=1):
        assert lines[-1].text not in headings, f"page {number} ends with its heading"
    signature = {doc.doc.signature_unit, doc.doc.signature_date.replace(" ", "")}
    last = [line.text.replace(" ", "") for line in pages[-1]]
    assert signature <= set(last[-2:])
    assert [text for text in last if text not in signature], "the 落款 alone on the last page"
    name, day = pages[-1][-2:]  # the unit's name centred over the date (GB/T 9704 §7.3.5.1)
    assert abs((name.left + name.right) / 2 - (day.left + day.right) / 2) < 8


@needs_soffice
def test_people_keep_their_names_in_the_traditional_pdf(printed):
    text = printed("cppcc", "2020H1", "traditional").text()
    assert "董丽杰" in text and "董麗傑" not in text


@needs_soffice
@pytest.mark.parametrize(("unit", "period", "script"), DEMO)
def test_chinese_faces_of_the_script_and_one_body_face(printed, unit, period, script):
    """Noto CJK's Chinese faces by the script's region, never a face named Japanese; one body face."""
    doc = printed(unit, period, script)
    fonts = _fonts(doc.pdf)
    assert not [f for f in fonts if re.search("jp|JP|Japan", f)]
    region = "sc" if script == "simplified" else "hk"
    cjk = {re.sub(r"-(Regular|Bold)-.*", r"-\1", f) for f in fonts if "CJK" in f}
    assert cjk == {
        f"NotoSerifCJK{region}-Bold",
        f"NotoSerifCJK{region}-Regular",
        f"NotoSansCJK{region}-Regular",
    }
    # The body, its numbers and the page numbers: Noto Serif and Liberation Serif, nothing else
    # (no cwTeX, no other face for a paragraph whose character one face lacks).
    others = {f for f in fonts if "CJK" not in f and not f.startswith(("Liberation", "UKai"))}
    assert others == set()


@needs_soffice
def test_traditional_punctuation_is_full_width(tmp_path):
    """《》（） take a full cell in traditional as in simplified (cwTeX's were half-width): 28 a line."""
    brackets = "《》（）" * 14
    for script in ("simplified", "traditional"):
        out = tmp_path / f"{script}.pdf"
        out.write_bytes(render(in_script(Document(title="", blocks=(para(brackets),)), script), "pdf"))
        lines = Printed(Document(title="", blocks=()), b"", out).pages()[0]
        assert [len(line.text) for line in lines] == [26, 28, 2], script  # the first line is indented 2


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
    assert any(f.startswith("NotoSerifCJKsc-Bold") for f in fonts)  # 方正小标宋简体: the title
    assert any(f.startswith("NotoSerifCJKsc-Regular") for f in fonts)  # 仿宋_GB2312: the body
    assert any(f.startswith("NotoSansCJKsc-Regular") for f in fonts)  # 黑体
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
def test_glyph_forms_follow_the_script_region(tmp_path):
    """骨, 直, 角 are drawn differently in mainland and Hong Kong forms; each script prints its own."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs pdftoppm (poppler-utils)")
    doc = Document(title="", blocks=(para("骨直角"),))

    def pixels(script: str, name: str) -> bytes:
        out = tmp_path / f"{name}.pdf"
        out.write_bytes(render(in_script(doc, script), "pdf"))
        subprocess.run(["pdftoppm", "-gray", "-r", "100", str(out), str(tmp_path / name)], check=True)
        return next(tmp_path.glob(f"{name}*.pgm")).read_bytes()

    assert in_script(doc, "traditional").text == doc.text  # the same characters in either script
    assert pixels("simplified", "sc") != pixels("traditional", "hk")


def test_a_face_of_a_collection_comes_out_standalone_with_its_region_in_its_names():
    """The extracted face is a valid OpenType font (checksums) whose CFF names say the region."""
    faces = pdf._noto_faces()
    if not faces:
        pytest.skip("needs fontconfig (fc-list) and fonts-noto-cjk")
    file, index, name = next(f for f in faces if f[2].startswith("NotoSansCJKsc"))
    font = pdf.extract_face(file.read_bytes(), index, "sc")
    head = font[: 1 << 16]  # the table directory and the CFF's names
    assert font[:4] == b"OTTO" and name.encode() in head and b"Noto Sans CJK SC" in head
    assert b"CJKjp" not in head and b"CJK JP" not in head
    assert pdf._checksum(font) == 0xB1B0AFBA  # the whole file sums as OpenType requires


def test_pdf_without_libreoffice_exits_2_naming_the_package(db, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    with pytest.raises(CommandError) as exc:
        call_command(
            "report", "summary", "--unit", "cppcc", "--period", "2020H1", "--format", "pdf", "-o", "x.pdf"
        )
    assert exc.value.returncode == 2 and "libreoffice" in str(exc.value)
    assert Period.parse("2020H1").start == date(2020, 1, 1)
