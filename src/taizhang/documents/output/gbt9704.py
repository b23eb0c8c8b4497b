"""GB/T 9704-2012 (党政机关公文格式) layout for python-docx.

Inspectors hold a summary against the standard: A4, margins 37/35/28/26 mm, 22 lines of 28
characters, title in 小标宋 二号, body in 仿宋_GB2312 三号, headings 黑体 / 楷体 / 仿宋, page numbers
"— N —" in 四号宋体 at the outer edge. Every run gets its East Asian font (w:eastAsia) explicitly,
because Word and LibreOffice otherwise fall back to the theme font for Chinese and the page no
longer looks like a 公文; Latin letters and digits use Times New Roman.

The faces GB/T names for simplified text (仿宋_GB2312, 楷体_GB2312) hold GB2312's characters only;
a traditional document declares their GBK cuts (仿宋, 楷体, 黑体, 宋体), which hold traditional
characters too, and 方正小标宋繁体 for its title, with the script's language (zh-HK, zh-TW).
``fonts/fonts.conf`` maps every declared name to a free face for the PDF, by language.

Every page holds its 22 lines: no widow control and no punctuation hanging into the margin (see
``_print_as_set``); a heading is kept with the paragraph under it and the 落款 with the text above.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import combinations, groupby, pairwise
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from taizhang.documents.output.model import Block, Document
from taizhang.documents.output.scripts import SCRIPTS


@dataclass(frozen=True)
class Faces:
    """The East Asian faces a document declares, by role."""

    title: str
    body: str
    h1: str  # 黑体: "一、"
    h2: str  # 楷体: "（一）"
    page_number: str
    # The face a whole heading takes when its own face lacks one of its characters (see ``render``):
    # a line is never set in two Chinese faces. The body's face holds every character.
    whole: str


SIMPLIFIED_FACES = Faces("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", "宋体")
TRADITIONAL_FACES = Faces("方正小标宋繁体", "仿宋", "黑体", "楷体", "宋体", "宋体")

TITLE_FONT = SIMPLIFIED_FACES.title
BODY_FONT = SIMPLIFIED_FACES.body
H1_FONT = SIMPLIFIED_FACES.h1
H2_FONT = SIMPLIFIED_FACES.h2
PAGE_NUMBER_FONT = SIMPLIFIED_FACES.page_number
LATIN_FONT = "Times New Roman"  # PDF: Liberation Serif, metric-compatible (fonts/fonts.conf)
APPLICATION = "taizhang 台账"

# Whether a face holds every character of a text, for a language: the PDF path asks fontconfig
# (``pdf.face_holds``); a .docx for Word assumes the reader's faces hold everything.
Holds = Callable[[str, str, str], bool]

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

# -0.3 pt per character: 28 × 15.7 pt fit the 442 pt line. A quarter point (28 × 15.75 = 441 pt)
# would do on paper, but LibreOffice breaks such a line after 27: it wants more slack than 1.2 pt.
CHAR_SQUEEZE_TWIPS = -6

TITLE_LEADING = 1.2  # the title's line pitch, in grid lines

# The type area holds 20 characters of 二号 (442 pt / 22 pt): a longer title breaks between words.
TITLE_EMS_PER_LINE = int(_TYPE_AREA_TWIPS[0] / 20 / TITLE_SIZE.pt)


def faces_for(script: str) -> Faces:
    return SIMPLIFIED_FACES if SCRIPTS[script].opencc is None else TRADITIONAL_FACES


def _heading_face(faces: Faces, level: int) -> str:
    return {1: faces.h1, 2: faces.h2}.get(level, faces.body)


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
        # (CHAR_SQUEEZE_TWIPS). Word does it from the grid; LibreOffice would instead give a character
        # wider than a grid cell two cells (15 per line), so the squeeze is also stated on the run.
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_SQUEEZE_TWIPS))
        rpr.append(spacing)


# The order the schema fixes for a paragraph's properties (w:pPr), for flags python-docx does not know.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _set_ppr_flag(ppr, tag: str, on: bool) -> None:
    for old in ppr.findall(qn(tag)):
        ppr.remove(old)
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "1" if on else "0")
    ppr.insert_element_before(flag, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def _print_as_set(ppr) -> None:
    """No punctuation hanging past the line, no widow control: the grid's 22 × 28 as GB/T sets it.

    LibreOffice hangs a line-end comma in the right margin and then drops some of them from a
    justified line altogether (the CPPCC PDF lost three commas and a 顿号). Its .docx reader turns
    that off on ``w:overflowPunct w:val="1"`` (it reads the flag inverted: 0 means hanging on), so
    the flag says 1: a comma that does not fit takes the character before it onto the next line.
    For Word, 1 is its own default (a comma may stand in the margin, never lost). Widow control
    would end a page a line early to keep two lines of a paragraph together; GB/T fills every
    page's 22 lines, and only headings and the 落款 are kept with their neighbours (``add_block``,
    ``add_signature``).
    """
    _set_ppr_flag(ppr, "w:widowControl", False)
    _set_ppr_flag(ppr, "w:overflowPunct", True)


def _body_format(paragraph, *, indent_chars: int = 2) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    ppr = paragraph._p.get_or_add_pPr()
    _print_as_set(ppr)
    # Lines keep the exact 28.95 pt pitch themselves; snapping to the character grid is what
    # LibreOffice gets wrong (see set_run_font), so paragraphs do not snap.
    _set_ppr_flag(ppr, "w:snapToGrid", False)
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


def add_field(paragraph, instruction: str, shown: str, *, face: str, size: Pt) -> None:
    """A field (PAGE, PAGEREF …) showing ``shown`` until Word or LibreOffice computes it."""
    run = paragraph.add_run()
    set_run_font(run, face, size)
    for kind, text in (
        ("begin", None),
        (None, f" {instruction} "),
        ("separate", None),
        (None, shown),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text != shown else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def _page_number(paragraph, *, align, face: str) -> None:
    """ "— N —" with a PAGE field, one character in from the outer edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    set_run_font(paragraph.add_run("— "), face, PAGE_NUMBER_SIZE)
    add_field(paragraph, "PAGE", "1", face=face, size=PAGE_NUMBER_SIZE)
    set_run_font(paragraph.add_run(" —"), face, PAGE_NUMBER_SIZE)


def _set_defaults(docx, *, body: str, lang: str) -> None:
    """Document defaults of 三号 仿宋 with the script's Chinese language tag.

    The grid's character pitch is relative to the default font size, so the defaults must be 16 pt,
    or LibreOffice puts each Chinese character on two grid cells and a line holds 15 of them.
    """
    rpr = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), body)
    half_points = str(int(BODY_SIZE.pt * 2))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), half_points)
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:eastAsia"), lang)
    ppr = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")
    _print_as_set(ppr)
    # python-docx's template declares Japanese as the theme's East Asian language, which a reader
    # may take for the text's; the document's own script is the one to declare.
    theme_lang = docx.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), lang)


def _set_properties(docx, *, author: str, title: str, created: datetime | None) -> None:
    """File properties name the unit and the time of writing, not python-docx's template (2013).

    Author and company are the unit (Word's 属性 shows both; python-docx writes no company), the
    title is the document's, created and modified are now: an inspector sorting files sees who wrote
    each one and when.
    """
    when = (created or datetime.now(UTC)).replace(microsecond=0)
    props = docx.core_properties
    props.author = props.last_modified_by = author
    props.title = title
    props.comments = ""
    props.created = props.modified = when
    props.revision = 1
    for part in docx.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            xml = part.blob.decode("utf-8")
            xml = xml.replace("<Company/>", f"<Company>{escape(author)}</Company>")
            xml = xml.replace(
                "<Application>Microsoft Macintosh Word</Application>",
                f"<Application>{escape(APPLICATION)}</Application>",
            )
            part._blob = xml.encode("utf-8")


def new_document(
    *,
    author: str = "",
    title: str = "",
    script: str = "simplified",
    created: datetime | None = None,
):
    """An empty .docx with the page, the grid, the script's fonts and the odd/even page numbers set.

    ``author`` is the unit the document speaks for; every .docx the app writes starts here, so its
    file properties always name the unit and the time it was written.
    """
    faces = faces_for(script)
    docx = new_docx()
    _set_defaults(docx, body=faces.body, lang=SCRIPTS[script].lang)
    _set_properties(docx, author=author, title=title, created=created)
    normal = docx.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), faces.body)
    section = docx.sections[0]
    _set_page(section)
    docx.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.RIGHT, face=faces.page_number)
    _page_number(
        section.even_page_footer.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT, face=faces.page_number
    )
    # python-docx starts with one empty paragraph; the builders add their own.
    body = docx.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return docx


def text_ems(text: str) -> float:
    """Width in ems: Chinese characters and full-width punctuation one, Latin letters and digits half.

    Word and LibreOffice add about a quarter em where Chinese meets Latin or digits (autospace:
    "2020 年"), counted too, so a column sized by this holds its text on one line.
    """
    latin = [ord(c) < 0x2000 for c in text]
    boundaries = sum(a != b for a, b in pairwise(latin))
    return sum(0.5 if is_latin else 1.0 for is_latin in latin) + 0.25 * boundaries


def title_lines(phrases: Sequence[str], *, ems_per_line: int = TITLE_EMS_PER_LINE) -> list[str]:
    """The title broken between phrases into the fewest lines that fit, as even as can be.

    GB/T 9704 §7.3.1: a title that runs over a line breaks where the words allow, its lines of
    balanced length (梯形或菱形). The fewest lines first, then the smallest longest line, then the
    shorter line on top. A single phrase longer than a line cannot be helped: it is left whole.
    """
    phrases = [p for p in phrases if p]
    whole = "".join(phrases)
    if text_ems(whole) <= ems_per_line or len(phrases) < 2:
        return [whole]
    for lines_count in range(2, len(phrases) + 1):
        best = None
        for cuts in combinations(range(1, len(phrases)), lines_count - 1):
            bounds = (0, *cuts, len(phrases))
            lines = ["".join(phrases[a:b]) for a, b in pairwise(bounds)]
            widths = [text_ems(line) for line in lines]
            if max(widths) > ems_per_line:
                continue
            key = (max(widths), widths)
            if best is None or key < best[0]:
                best = (key, lines)
        if best:
            return best[1]
    return [whole]


def add_title(docx, text: str, *, phrases: Sequence[str] = (), face: str = TITLE_FONT) -> None:
    """The title centred, broken between ``phrases`` when longer than a line (one paragraph)."""
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _body_format(paragraph, indent_chars=0)
    paragraph.paragraph_format.line_spacing = Twips(round(LINE_PITCH * TITLE_LEADING))
    lines = title_lines(phrases) if "".join(phrases) == text else [text]
    for i, line in enumerate(lines):
        # Digits and Latin letters in bold Times: 小标宋 is a heavy face and a regular-weight year
        # beside it looks thin. Chinese runs are not bolded (Word would thicken 小标宋 itself).
        for latin, chars in groupby(line, key=lambda c: ord(c) < 0x2000):
            run = paragraph.add_run("".join(chars))
            set_run_font(run, face, TITLE_SIZE)
            run.bold = latin or None
        if i < len(lines) - 1:
            run.add_break()
    # The standard leaves one blank line under the title. The title's lines are a fifth taller than
    # the grid's; the blank line gives that back, so the body starts on the grid (page 1 holds the
    # title's lines, the blank line and 22 minus both of body, and its lines back onto page 2's).
    blank = docx.add_paragraph()
    _body_format(blank, indent_chars=0)
    blank.paragraph_format.line_spacing = Twips(
        round(LINE_PITCH * max(0.4, 1 - (TITLE_LEADING - 1) * len(lines)))
    )
    paragraph.paragraph_format.keep_with_next = blank.paragraph_format.keep_with_next = True


def add_recipients(docx, text: str, *, face: str = BODY_FONT) -> None:
    """主送机关: under the title's blank line, flush left (lines that wrap stay flush), 三号仿宋."""
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _body_format(paragraph, indent_chars=0)
    set_run_font(paragraph.add_run(text), face, BODY_SIZE)


def add_block(docx, block: Block, *, face: str | None = None, keep_with_next: bool = False) -> None:
    """A heading or body paragraph; a heading is kept with the paragraph under it (never ends a page)."""
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _body_format(paragraph)
    if block.level or keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    font = face or _heading_face(SIMPLIFIED_FACES, block.level)
    # One run per stretch of plain text and figures (the page shows no difference between them);
    # a placeholder keeps a run of its own for its highlight. Fewer runs, fewer font elements.
    runs: list[tuple[str, bool]] = []
    for span in block.spans:
        if runs and not span.placeholder and not runs[-1][1]:
            runs[-1] = (runs[-1][0] + span.text, False)
        else:
            runs.append((span.text, span.placeholder))
    for text, placeholder in runs:
        run = paragraph.add_run(text)
        set_run_font(run, font, BODY_SIZE)
        if placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def add_signature(docx, unit: str, when: str, *, face: str = BODY_FONT) -> None:
    """Unit name over the date, the date four characters in from the right, the name centred on it.

    The blank line, the name and the date are kept together and with the text above them (the
    caller keeps the last paragraph with the blank line), so the 落款 never stands alone on a page.
    """
    blank = docx.add_paragraph()
    _body_format(blank, indent_chars=0)
    blank.paragraph_format.keep_with_next = True
    date_indent = 4
    # Centred on the date as printed (its digits are half as wide as its characters); a name longer
    # than the date still keeps two characters from the right edge.
    name_indent = max(2.0, date_indent + (text_ems(when) - text_ems(unit)) / 2)
    for text, indent in ((unit, name_indent), (when, date_indent)):
        paragraph = docx.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _body_format(paragraph, indent_chars=0)
        paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * indent)
        paragraph.paragraph_format.keep_with_next = text is unit
        set_run_font(paragraph.add_run(text), face, BODY_SIZE)


def add_page_break(docx) -> None:
    section = docx.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # only a cover opts out of its page number
    _set_page(section)


def render(doc: Document, *, holds: Holds | None = None) -> bytes:
    """The document as .docx bytes in GB/T 9704 layout, in the faces of its script.

    With ``holds`` (the PDF path), a paragraph whose face lacks one of its characters is set whole
    in ``Faces.whole``: the body's face (Noto Serif CJK in the PDF) holds every character of either
    script, so the body keeps one face from the first page to the last; a heading in 楷体 (AR PL
    UKai, about 26,000 characters) with a rare character in it changes face as a whole line.
    """
    faces = faces_for(doc.script)
    lang = SCRIPTS[doc.script].lang

    def face(role: str, text: str) -> str:
        return role if holds is None or holds(role, lang, text) else faces.whole

    docx = new_document(author=doc.signature_unit, title=doc.title, script=doc.script)
    add_title(docx, doc.title, phrases=doc.title_phrases, face=face(faces.title, doc.title))
    if doc.recipients:
        add_recipients(docx, doc.recipients, face=face(faces.body, doc.recipients))
    for i, block in enumerate(doc.blocks, start=1):
        last = i == len(doc.blocks)
        add_block(
            docx,
            block,
            face=face(_heading_face(faces, block.level), block.text),
            keep_with_next=last and bool(doc.signature_unit),
        )
    if doc.signature_unit:
        signature = doc.signature_unit + doc.signature_date
        add_signature(docx, doc.signature_unit, doc.signature_date, face=face(faces.body, signature))
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
