"""The .docx layout against GB/T 9704-2012, read back from the file as Word would."""

from __future__ import annotations

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from taizhang.documents.output import gbt9704
from taizhang.documents.output.model import Document, Span, para

from .conftest import east_asian, read_docx


def _sample() -> bytes:
    doc = Document(
        title="县政协机关2020年上半年意识形态工作总结",
        blocks=(
            para("开头一段，含数字2020和Latin。"),
            para("一、组织领导", level=1),
            para("（一）责任落实", level=2),
            para("1. 具体做法", level=3),
            para("宣传稿件", Span("【待补充：宣传稿件数】", placeholder=True), "。"),
        ),
        signature_unit="县政协机关",
        signature_date=gbt9704.chinese_date(date(2020, 7, 6)),
    )
    return gbt9704.render(doc)


def test_page_is_a4_with_the_standard_margins_and_grid():
    docx = read_docx(_sample())
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert line_pitch * 22 <= Mm(225).twips < line_pitch * 23  # 22 lines in the 225 mm type area
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert 27.9 < 156 / 25.4 * 72 / char_pitch_pt < 28.1  # 28 characters in the 156 mm line


def test_title_body_and_headings_use_the_official_fonts_and_sizes():
    docx = read_docx(_sample())
    title, blank, body, h1, h2, h3, placeholder = docx.paragraphs[:7]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert blank.text == ""
    for paragraph, font in ((body, "仿宋_GB2312"), (h1, "黑体"), (h2, "楷体_GB2312"), (h3, "仿宋_GB2312")):
        for run in paragraph.runs:
            assert east_asian(run) == font, paragraph.text
            assert run.font.size == Pt(16)
            assert run.font.name == "Times New Roman"
        fmt = paragraph.paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.first_line_indent == Pt(32)  # two characters of 三号
    assert h1.text.startswith("一、") and h2.text.startswith("（一）") and h3.text.startswith("1.")
    marked = [r for r in placeholder.runs if r.text.startswith("【待补充")]
    assert marked and marked[0].font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_every_run_sets_its_east_asian_font():
    docx = read_docx(_sample())
    runs = [r for p in docx.paragraphs for r in p.runs]
    assert runs and all(east_asian(r) for r in runs)


def test_page_numbers_are_dashed_fields_outside_on_odd_and_even_pages():
    docx = read_docx(_sample())
    assert docx.settings.odd_and_even_pages_header_footer
    section = docx.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for paragraph in (odd, even):
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.runs[0].text == "— " and paragraph.runs[-1].text == " —"
        assert all(east_asian(r) == "宋体" and r.font.size == Pt(14) for r in paragraph.runs)


def test_signature_ends_the_document_with_an_arabic_date_without_leading_zeros():
    docx = read_docx(_sample())
    unit, when = docx.paragraphs[-2:]
    assert unit.text == "县政协机关" and when.text == "2020年7月6日"
    assert when.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert gbt9704.chinese_date(date(2021, 1, 9)) == "2021年1月9日"


def test_a_long_title_breaks_between_its_phrases_into_balanced_lines():
    phrases = ("县政协社会法制民族宗教委员会", "2020年上半年", "意识形态工作", "总结")
    lines = gbt9704.title_lines(phrases)
    assert "".join(lines) == "".join(phrases)
    assert lines == ["县政协社会法制民族宗教委员会", "2020年上半年意识形态工作总结"]
    assert all(gbt9704.text_ems(line) <= gbt9704.TITLE_EMS_PER_LINE for line in lines)
    assert gbt9704.title_lines(("关于", "某事", "的通知")) == ["关于某事的通知"]  # fits: one line
    # A docx title keeps its phrases whole: the break is a line break between them.
    doc = Document(title="".join(phrases), blocks=(), title_phrases=phrases)
    title = read_docx(gbt9704.render(doc)).paragraphs[0]
    assert title.text == "\n".join(lines)


def test_pages_fill_their_22_lines_and_headings_and_the_signature_keep_with_their_neighbours():
    """No widow control (a page is never cut a line short), no punctuation in the margin; a heading
    is kept with the paragraph under it and the last paragraph with the blank line, name and date."""
    docx = read_docx(_sample())
    paragraphs = docx.paragraphs
    for paragraph in paragraphs:
        ppr = paragraph._p.pPr
        assert paragraph.paragraph_format.widow_control is False
        # LibreOffice reads w:overflowPunct inverted: 1 turns its hanging punctuation off (Word: its default).
        assert ppr.find(qn("w:overflowPunct")).get(qn("w:val")) == "1"
    keeps = {p.text: bool(p.paragraph_format.keep_with_next) for p in paragraphs}
    assert keeps["一、组织领导"] and keeps["（一）责任落实"] and keeps["1. 具体做法"]
    assert not keeps["开头一段，含数字2020和Latin。"]
    *_, last, blank, unit, when = paragraphs
    assert [bool(p.paragraph_format.keep_with_next) for p in (last, blank, unit, when)] == [
        True,
        True,
        True,
        False,
    ]
    # The template's Japanese theme language gives way to the document's.
    theme = docx.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:eastAsia")) == "zh-CN"


def test_the_title_and_its_blank_line_take_whole_grid_lines():
    """Page 1's body lines stay on the grid of the pages after it (lines back onto lines when printed
    on both sides): the title's lines and the blank line under it add up to whole grid lines."""
    for phrases in (("工作总结",), ("县政协社会法制民族宗教委员会", "2020年上半年", "意识形态工作", "总结")):
        doc = Document(title="".join(phrases), title_phrases=phrases, blocks=(para("正文"),))
        title, blank = read_docx(gbt9704.render(doc)).paragraphs[:2]
        lines = len(gbt9704.title_lines(phrases))
        height = title.paragraph_format.line_spacing.twips * lines + blank.paragraph_format.line_spacing.twips
        assert abs(height - gbt9704.LINE_PITCH * (lines + 1)) <= 2, phrases


def test_the_signature_is_centred_on_the_date_as_printed():
    """The date's digits are half a character wide: the name is centred on what is printed; a name
    longer than the date keeps two characters from the right edge."""
    for unit in ("县政协机关", "中共清源县委宣传部", "县政协社会法制民族宗教委员会党支部"):
        doc = Document(
            title="通报", blocks=(para("正文。"),), signature_unit=unit, signature_date="2021年1月5日"
        )
        name, when = read_docx(gbt9704.render(doc)).paragraphs[-2:]
        ems = {p.text: p.paragraph_format.right_indent.pt / 16 for p in (name, when)}
        assert ems["2021年1月5日"] == 4
        centre = ems[unit] + gbt9704.text_ems(unit) / 2
        assert abs(centre - (4 + gbt9704.text_ems("2021年1月5日") / 2)) < 0.01 or ems[unit] == 2
