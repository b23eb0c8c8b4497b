"""GB/T 9704-2012 (党政机关公文格式) layout for python-docx.

Inspectors hold a summary against the standard: A4, margins 37/35/28/26 mm, 22 lines of 28
characters, title in 小标宋 二号, body in 仿宋_GB2312 三号, headings 黑体 / 楷体 / 仿宋, page numbers
"— N —" in 四号宋体 at the outer edge. Every run gets its East Asian font (w:eastAsia) explicitly,
because Word and LibreOffice otherwise fall back to the theme font for Chinese and the page no
longer looks like a 公文; Latin letters and digits use Times New Roman.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from taizhang.documents.model import Block, Document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# The type area is 156 mm × 225 mm; the grid pitches follow from it.
_TYPE_AREA_TWIPS = (round(Mm(156).twips), round(Mm(225).twips))
LINE_PITCH = _TYPE_AREA_TWIPS[1] // LINES_PER_PAGE  # 579 twips ≈ 28.95 pt
# w:charSpace is the difference between the character pitch and the default font size, in 1/4096 pt.
CHAR_SPACE = round((_TYPE_AREA_TWIPS[0] / CHARS_PER_LINE / 20 - BODY_SIZE.pt) * 4096)

CHAR_SQUEEZE_TWIPS = -5  # -0.25 pt per character: 28 × 15.75 pt fit the 442 pt line

_HEADING_FONTS = {1: H1_FONT, 2: H2_FONT, 3: BODY_FONT}


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals without leading zeros, as the 2012 standard requires: 2020年7月6日."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_run_font(run, east_asian: str, size: Pt) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    if size == BODY_SIZE:
        # 28 characters of 16 pt are 448 pt, the line is 442 pt: GB/T's grid squeezes each character
        # by a quarter point. Word does it from the grid; LibreOffice would instead give a character
        # wider than a grid cell two cells (15 per line), so the squeeze is also stated on the run.
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_SQUEEZE_TWIPS))
        rpr.append(spacing)


def _body_format(paragraph, *, indent_chars: int = 2) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # Lines keep the exact 28.95 pt pitch themselves; snapping to the character grid is what
    # LibreOffice gets wrong (see set_run_font), so paragraphs do not snap.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(
        snap, "w:spacing", "w:ind", "w:contextualSpacing", "w:jc", "w:rPr"
    )
    if indent_chars:
        fmt.first_line_indent = Pt(BODY_SIZE.pt * indent_chars)
        # firstLineChars keeps the indent at two characters whatever the font size (Word honours it first).
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))


def plain_format(paragraph, *, line_pitch: bool = True) -> None:
    """No indent, no grid snapping; the exact line pitch unless inside a table cell."""
    _body_format(paragraph, indent_chars=0)
    if not line_pitch:
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _set_page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm below the type area
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)


def _page_number(paragraph, *, align) -> None:
    """ "— N —" with a PAGE field, one character in from the outer edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    set_run_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _set_defaults(docx) -> None:
    """Document defaults of 三号 仿宋 with Chinese language tags.

    The grid's character pitch is relative to the default font size, so the defaults must be 16 pt,
    or LibreOffice puts each Chinese character on two grid cells and a line holds 15 of them.
    """
    rpr = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    half_points = str(int(BODY_SIZE.pt * 2))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), half_points)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = spacing.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")


def new_document():
    """An empty .docx with the page, the grid, the default fonts and the odd/even page numbers set."""
    docx = new_docx()
    _set_defaults(docx)
    normal = docx.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    section = docx.sections[0]
    _set_page(section)
    docx.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)
    # python-docx starts with one empty paragraph; the builders add their own.
    body = docx.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return docx


def add_title(docx, text: str) -> None:
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _body_format(paragraph, indent_chars=0)
    paragraph.paragraph_format.line_spacing = Twips(LINE_PITCH * 1.2)
    set_run_font(paragraph.add_run(text), TITLE_FONT, TITLE_SIZE)
    blank = docx.add_paragraph()  # the standard leaves one blank line under the title
    _body_format(blank, indent_chars=0)


def add_block(docx, block: Block) -> None:
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _body_format(paragraph)
    font = _HEADING_FONTS.get(block.level, BODY_FONT)
    for span in block.spans:
        run = paragraph.add_run(span.text)
        set_run_font(run, font, BODY_SIZE)
        if span.placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def add_signature(docx, unit: str, when: str) -> None:
    """Unit name over the date, the date four characters in from the right, the name centred on it."""
    blank = docx.add_paragraph()
    _body_format(blank, indent_chars=0)
    date_indent = 4
    name_indent = date_indent + max(0.0, (len(when) - len(unit)) / 2)
    for text, indent in ((unit, name_indent), (when, date_indent)):
        paragraph = docx.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _body_format(paragraph, indent_chars=0)
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * indent)
        set_run_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)


def add_page_break(docx) -> None:
    section = docx.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # only a cover opts out of its page number
    _set_page(section)


def render(doc: Document) -> bytes:
    """The document as .docx bytes in GB/T 9704 layout."""
    docx = new_document()
    add_title(docx, doc.title)
    for block in doc.blocks:
        add_block(docx, block)
    if doc.signature_unit:
        add_signature(docx, doc.signature_unit, doc.signature_date)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
