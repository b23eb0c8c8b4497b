"""What a file may hold before taizhang reads it, checked without trusting it (pure: no Django).

Every upload and every file a command reads is checked here before its parser sees it
(``core.uploads`` runs the checks and the parser in a child process, ``core.sandbox``): the size
as given, then for a zip package (.xlsx, .docx) the number of members, each member's unpacked
size and the sum, the compression ratio, XML declarations (a DTD or entity: billion laughs); for a
workbook every sheet's extent as its cells place them — the rectangle python-calamine allocates
whole, so a 1.5 KB file with cells at A1 and XFD1048576 asks for 17 billion cells — and the
``<dimension>`` it declares; for a document its paragraphs, characters, longest paragraph or line,
and how deep its XML nests.

Sheets are scanned by byte patterns over the unpacked XML as it streams (a C-speed pass over each
megabyte: the cell references Excel, WPS, LibreOffice and openpyxl write, ``<c r="B12"``), about
60% of the CPU calamine itself takes to read the sheet; a sheet written any other way (cells without
``r``, namespace prefixes) is scanned again with expat, element by element, placing each cell as
calamine would. Each refusal is ``FileRefused``: one Chinese line naming the file as its user
called it and the limit it broke.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import IO
from xml.parsers import expat

from taizhang.core.sandbox import Budget

CHUNK = 1 << 20
RATIO_FROM = 1 << 20  # a member's ratio is judged once it unpacks to more than this


class FileRefused(ValueError):
    """A file refused before or while it was read: one line, naming the file and the limit."""


@dataclass(frozen=True)
class Limits:
    """The most a file may hold, and what reading it may cost (``core.uploads`` fills them from the
    settings: one set for pages' uploads, a larger one for commands)."""

    max_bytes: int  # the file as given
    unpacked_bytes: int  # a zip package's members unpacked, all together
    ratio: int  # a member's unpacked size over its packed size
    members: int  # entries in a zip package
    rows: int  # rows of a workbook (all sheets) or a CSV
    columns: int  # columns of a sheet or a CSV
    cells: int  # one sheet's rectangle, rows × columns
    cell_chars: int  # the longest cell
    paragraphs: int  # a .docx's paragraphs
    chars: int  # a document's characters
    line_chars: int  # the longest paragraph of a document, or line of a text file
    depth: int  # how deep a document's XML may nest
    memory_bytes: int  # what a reader may add to the process it runs in
    seconds: float  # how long a reader may take

    @property
    def budget(self) -> Budget:
        return Budget(memory_bytes=self.memory_bytes, seconds=self.seconds)

    @property
    def xml_elements(self) -> int:
        """Elements a document's XML may hold in all: fifty to a paragraph (runs, properties, text)."""
        return self.paragraphs * 50


def megabytes(size: int) -> str:
    """A size as people write it: 20 MB, 1.5 GB, 700 KB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} 字节"


def number(n: int) -> str:
    return f"{n:,}"


def check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise FileRefused(
            f"“{name}”有 {megabytes(size)}，超过 {megabytes(limits.max_bytes)} 的上限，请拆分后再试"
        )


# -- what a file is ------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.xls、.doc）或加了密码的 Office 文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"\x7fELF", "可执行程序"),
    (b"MZ", "可执行程序"),
    (b"{\\rtf", "RTF 文档"),
    (b"\xff\xfe", "UTF-16 编码的文本"),
    (b"\xfe\xff", "UTF-16 编码的文本"),
    (b"<?xml", "XML 文本"),
    (b"<html", "网页（HTML）"),
    (b"<!DOCTYPE", "网页（HTML）"),
)


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is, in a clerk's words (None: nothing recognisable)."""
    start = head.lstrip()[:16].lower()
    return next((what for magic, what in _MAGIC if start.startswith(magic.lower())), None)


# -- zip packages ----------------------------------------------------------------------------------


def open_package(handle: IO[bytes], name: str, limits: Limits, *, kind: str) -> zipfile.ZipFile:
    """The zip package of an .xlsx or .docx (``kind`` names it: "Excel (.xlsx) 文件"), refused when it is
    not a zip or when what it declares breaks a limit: members, unpacked sizes, ratio, encryption.

    The members' real sizes are checked as they are unpacked (``members``): zipfile stops at the
    size a member declares and checks its CRC, so a member that lies is refused as damaged."""
    head = handle.read(8)
    handle.seek(0)
    if not head.startswith(b"PK"):
        what = sniff(head)
        raise FileRefused(
            f"“{name}”不是有效的 {kind}"
            + (f"：它实际上是{what}" if what else "：文件已损坏或扩展名与内容不符")
        )
    try:
        package = zipfile.ZipFile(handle)
        entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise FileRefused(f"“{name}”不是有效的 {kind}：压缩包不完整或已损坏") from exc
    if len(entries) > limits.members:
        raise FileRefused(
            f"“{name}”中有 {number(len(entries))} 个部件，超过 {number(limits.members)} 个的上限，不是正常的 {kind}"
        )
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise FileRefused(f"“{name}”中的 {info.filename} 加了密，无法读取")
        total += info.file_size
        _check_ratio(name, info.filename, info.file_size, info.compress_size, limits)
    if total > limits.unpacked_bytes:
        raise FileRefused(
            f"“{name}”解压后有 {megabytes(total)}，超过 {megabytes(limits.unpacked_bytes)} 的上限"
        )
    return package


def _check_ratio(name: str, member: str, unpacked: int, packed: int, limits: Limits) -> None:
    if unpacked > RATIO_FROM and unpacked > limits.ratio * max(packed, 1):
        raise FileRefused(
            f"“{name}”中的 {member} 压缩比为 {unpacked // max(packed, 1):,}:1，超过 {limits.ratio}:1 的上限"
            "（异常的压缩文件）"
        )


def member_chunks(package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """A member unpacked a megabyte at a time; FileRefused when it is damaged or truncated."""
    try:
        with package.open(info) as member:
            while chunk := member.read(CHUNK):
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise FileRefused(f"“{name}”已损坏：其中的 {info.filename} 无法解压（文件不完整或校验失败）") from exc


def _pieces(chunks: Iterator[bytes], name: str, member: str, chars: int) -> Iterator[bytes]:
    """The member's XML cut after a ``>``, so that no tag is split between two pieces; a run without
    one longer than a text of ``chars`` characters can be is refused rather than buffered."""
    carry = b""
    longest = max(1 << 20, chars * 6)  # a character is at most 6 bytes escaped (&#x4E2D; is 8: rare)
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = data.rfind(b">") + 1
        if cut == 0:
            if len(data) > longest:
                raise FileRefused(f"“{name}”的 {member} 中有一段超过 {number(chars)} 个字符的文字，超过上限")
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


_PROLOG_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _check_prolog(piece: bytes, name: str, member: str) -> bool:
    """Refuse a DTD or entity declaration before the root element (billion laughs, external
    entities); True once the root element has been seen (later pieces need no check: a DTD after
    it is malformed XML that every parser here refuses)."""
    root = _FIRST_ELEMENT.search(piece)
    head = piece[: root.start()] if root else piece
    if _PROLOG_DECLARATION.search(head):
        raise FileRefused(f"“{name}”的 {member} 含有 DTD 或实体声明（Office 文件不会有），拒绝读取")
    return root is not None


# -- workbooks -------------------------------------------------------------------------------------


@dataclass
class SheetExtent:
    """Where a sheet's cells are, as calamine will place them (1-based), and what it declares."""

    name: str
    member: str
    first_row: int = 0
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0
    declared: str = ""

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.last_row else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if self.last_column else 0

    def place(self, row: int, column: int) -> None:
        if not self.last_row:
            self.first_row = self.last_row = row
            self.first_column = self.last_column = column
            return
        self.first_row, self.last_row = min(self.first_row, row), max(self.last_row, row)
        self.first_column, self.last_column = min(self.first_column, column), max(self.last_column, column)


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_REF = re.compile(r"^\$?([A-Za-z]{1,7})\$?(\d{1,10})$")


def _parse_ref(text: str) -> tuple[int, int] | None:
    match = _REF.match(text.strip())
    return (int(match[2]), column_number(match[1])) if match else None


def scan_workbook(path: str, name: str, limits: Limits) -> list[SheetExtent]:
    """Every sheet's extent, refusing a workbook that breaks a limit; nothing is parsed whole."""
    with open(path, "rb") as handle:
        package = open_package(handle, name, limits, kind="Excel (.xlsx) 文件")
        with package:
            sheets = _sheet_members(package, name)
            extents: list[SheetExtent] = []
            rows = 0
            for info in package.infolist():
                member = info.filename
                if not (member in sheets or member.lower().endswith((".xml", ".rels", ".vml"))):
                    continue  # pictures and the like, which calamine does not read
                extent = SheetExtent(sheets.get(member, member), member)
                _scan_cells(package, info, extent, name, limits)
                if extent.rows:
                    extents.append(extent)
                    rows += extent.rows
                    if rows > limits.rows:
                        raise FileRefused(
                            f"“{name}”共有超过 {number(limits.rows)} 行，超过上限，请拆分后再导入"
                        )
    return extents


def _sheet_members(package: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Member path → sheet name, from xl/workbook.xml and its relationships (as calamine finds them)."""
    names: dict[str, str] = {}
    try:
        workbook = package.getinfo("xl/workbook.xml")
        rels = package.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return names  # calamine refuses such a package; the scan covers every member anyway
    sheets: list[tuple[str, str]] = []
    targets: dict[str, str] = {}

    def on_workbook(tag: str, attributes: dict[str, str]) -> None:
        if tag.rsplit(" ", 1)[-1] == "sheet":
            rid = next((v for k, v in attributes.items() if k.rsplit(" ", 1)[-1] == "id"), "")
            sheets.append((attributes.get("name", ""), rid))

    def on_rels(tag: str, attributes: dict[str, str]) -> None:
        if tag.rsplit(" ", 1)[-1] == "Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    for info, handler in ((workbook, on_workbook), (rels, on_rels)):
        _parse_small(package, info, name, handler)
    for sheet_name, rid in sheets:
        target = targets.get(rid, "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            names[path] = sheet_name
    return names


SMALL_PART = 16 << 20  # the workbook's own list of sheets and its relationships


def _parse_small(package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, handler) -> None:
    if info.file_size > SMALL_PART:
        raise FileRefused(f"“{name}”的 {info.filename} 有 {megabytes(info.file_size)}，不是正常的工作簿结构")
    parser = _parser(name, info.filename)
    parser.StartElementHandler = handler
    try:
        for chunk in member_chunks(package, info, name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise FileRefused(f"“{name}”的 {info.filename} 已损坏（XML 格式错误）") from exc


def _parser(name: str, member: str) -> expat.XMLParserType:
    """An expat parser that refuses any DTD or entity declaration."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args) -> None:
        raise FileRefused(f"“{name}”的 {member} 含有 DTD 或实体声明（Office 文件不会有），拒绝读取")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


# The way Excel, WPS, LibreOffice and openpyxl write a cell: ``<c r="AB12" …``, its place first.
_CELL = b'<c r="'
_CELL_AT = re.compile(rb'<c r="([A-Za-z]{1,4})(\d{1,10})"')
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.\-]*:c[\s/>]")
_SPACED_CELL = re.compile(rb"<c[\t\n\r]")  # a tab or a line break after the name: a cell all the same
_DIMENSION = re.compile(rb'<(?:[\w.\-]+:)?dimension\s[^>]*?\bref\s*=\s*["\']([^"\']*)["\']')
_SHEET_DATA = re.compile(rb"<(?:[\w.\-]+:)?sheetData[\s/>]")


def _scan_cells(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, extent: SheetExtent, name: str, limits: Limits
) -> None:
    """Place the member's cells: by byte patterns a megabyte at a time where every cell is written
    ``<c r="B12"``; else element by element (``_scan_cells_exactly``)."""
    rooted = data = False
    for piece in _pieces(member_chunks(package, info, name), name, info.filename, limits.cell_chars):
        if not rooted:
            rooted = _check_prolog(piece, name, info.filename)
        if not data:  # <dimension> comes before <sheetData>
            declared = _DIMENSION.search(piece)
            if declared and not extent.declared:
                extent.declared = declared[1].decode("ascii", "replace")
                _check_declared(extent, name, limits)
            data = _SHEET_DATA.search(piece) is not None
        if not _place_cells(piece, extent):
            _scan_cells_exactly(package, info, extent, name, limits)
            return
        _check_extent(extent, name, limits)


def _place_cells(piece: bytes, extent: SheetExtent) -> bool:
    """Widen ``extent`` to every cell of ``piece``; False when a cell is written another way.

    The first and last cells are placed, then a search for any cell beyond what is placed (a
    pattern built for the extent: C speed, no object per cell) places each one found and searches
    on: a sheet whose rows come in order costs a few passes over the piece, however many cells."""
    cells = piece.count(b"<c ") + piece.count(b"<c>")
    if (b":c" in piece and _PREFIXED_CELL.search(piece)) or _SPACED_CELL.search(piece):
        return False
    if not cells:
        return True
    if piece.count(_CELL) != cells:
        return False
    for at in (piece.find(_CELL), piece.rfind(_CELL)):
        found = _CELL_AT.match(piece, at)
        if found is None:
            return False
        extent.place(int(found[2]), column_number(found[1]))
    position = 0
    while True:
        beyond = _beyond(extent.first_row, extent.last_row, extent.first_column, extent.last_column)
        found = beyond.search(piece, position)
        if found is None:
            return True
        cell = _CELL_AT.match(piece, found.start())
        if cell is None:
            return False
        extent.place(int(cell[2]), column_number(cell[1]))
        position = found.end()


@lru_cache(maxsize=64)
def _beyond(first_row: int, last_row: int, first_column: int, last_column: int) -> re.Pattern[bytes]:
    """A pattern for a cell placed outside rows ``first_row``–``last_row`` or columns
    ``first_column``–``last_column`` (leading zeros may match too: the caller parses what it finds).
    It starts with the literal ``<c r="``, so the regex engine skips to each cell at C speed."""
    letters = rb"[A-Za-z]{1,3}"
    ways = [
        letters + _above(str(last_row), _DIGITS) + b'"',
        _above(column_letters(last_column), _LETTERS) + rb"\d",
    ]
    if first_row > 1:
        ways.append(letters + _below(str(first_row), _DIGITS) + b'"')
    if first_column > 1:
        ways.append(_below(column_letters(first_column), _LETTERS) + rb"\d")
    return re.compile(_CELL + b"(?:" + b"|".join(ways) + b")")


_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _class(chars: str) -> bytes:
    """A character class of ``chars`` (letters in either case, as calamine reads them)."""
    if not chars:
        return b"(?!)"
    both = chars + chars.lower() if chars.isalpha() else chars
    return b"[" + "".join(sorted(set(both))).encode() + b"]"


def _above(text: str, alphabet: str) -> bytes:
    """A pattern for a string over ``alphabet`` that sorts after ``text`` as numbers and column
    letters do: longer, or as long and greater at the first place the two differ."""
    any_ = _class(alphabet)
    ways = [any_ + b"{%d,}" % (len(text) + 1)]
    for i, ch in enumerate(text.upper()):
        higher = alphabet[alphabet.index(ch) + 1 :]
        if higher:
            ways.append(_same(text[:i]) + _class(higher) + any_ + b"{%d}" % (len(text) - i - 1))
    return b"(?:" + b"|".join(ways) + b")"


def _below(text: str, alphabet: str) -> bytes:
    """A pattern for a string that sorts before ``text``: shorter, or as long and smaller (never
    starting with the alphabet's zero, which no row or column number does)."""
    any_ = _class(alphabet)
    first = alphabet[1:] if alphabet == _DIGITS else alphabet
    ways = [_class(first) + any_ + b"{0,%d}" % (len(text) - 2)] if len(text) > 1 else []
    for i, ch in enumerate(text.upper()):
        lower = (first if i == 0 else alphabet)[: (first if i == 0 else alphabet).index(ch)]
        if lower:
            ways.append(_same(text[:i]) + _class(lower) + any_ + b"{%d}" % (len(text) - i - 1))
    zeros = b"0*" if alphabet == _DIGITS else b""  # calamine reads row 007 as 7
    return zeros + b"(?:" + b"|".join(ways) + b")" if ways else b"(?!)"


def _same(prefix: str) -> bytes:
    return b"".join(_class(ch) for ch in prefix)


def _check_declared(extent: SheetExtent, name: str, limits: Limits) -> None:
    parts = [_parse_ref(p) for p in extent.declared.split(":")]
    if not parts or any(p is None for p in parts):
        return  # calamine reads such a sheet by its cells; its extent is checked from them
    rows = max(p[0] for p in parts) - min(p[0] for p in parts) + 1
    columns = max(p[1] for p in parts) - min(p[1] for p in parts) + 1
    if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
        raise FileRefused(
            f"“{name}”的工作表“{extent.name}”声明的范围为 {extent.declared}（{number(rows)} 行 × "
            f"{number(columns)} 列），超过上限（{_sheet_limits(limits)}）；请在 Excel 中删除多余的行和列后另存"
        )


def _check_extent(extent: SheetExtent, name: str, limits: Limits) -> None:
    rows, columns = extent.rows, extent.columns
    if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
        far = f"{column_letters(extent.last_column)}{extent.last_row}"
        raise FileRefused(
            f"“{name}”的工作表“{extent.name}”有内容直到 {far}，共 {number(rows)} 行 × {number(columns)} 列，"
            f"超过上限（{_sheet_limits(limits)}）；请删除多余的行和列后另存"
        )


def _sheet_limits(limits: Limits) -> str:
    return f"{number(limits.rows)} 行、{number(limits.columns)} 列、共 {number(limits.cells)} 个单元格"


def _scan_cells_exactly(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, extent: SheetExtent, name: str, limits: Limits
) -> None:
    """Place every cell element by element, as calamine does: a ``row``'s ``r`` sets the row and its
    end moves to the next; a cell's ``r`` sets its own place and the column of the next, and a cell
    without one takes the row's row and the next column."""
    parser = _parser(name, info.filename)
    state = {"row": 1, "column": 1, "checked": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rsplit(" ", 1)[-1]
        if local == "row":
            r = attributes.get("r")
            if r is not None:
                state["row"] = int(r) if r.isdigit() and len(r) <= 10 else limits.rows + 1
        elif local == "c":
            r = attributes.get("r")
            place = _parse_ref(r) if r is not None else (state["row"], state["column"])
            if place is None:
                raise FileRefused(f"“{name}”的工作表“{extent.name}”中有无效的单元格地址“{r[:20]}”")
            extent.place(*place)
            state["column"] = place[1] + 1  # a cell's r moves the column, never the row
            state["checked"] += 1
            if state["checked"] % 4096 == 0:
                _check_extent(extent, name, limits)
        elif local == "dimension" and not extent.declared:
            extent.declared = attributes.get("ref", "")
            _check_declared(extent, name, limits)

    def end(tag: str) -> None:
        if tag.rsplit(" ", 1)[-1] == "row":
            state["row"] += 1
            state["column"] = 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        for chunk in member_chunks(package, info, name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise FileRefused(f"“{name}”的 {info.filename} 已损坏（XML 格式错误）") from exc
    _check_extent(extent, name, limits)


# -- documents -----------------------------------------------------------------------------------

_WORD = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)


def scan_docx(handle: IO[bytes], name: str, limits: Limits) -> None:
    """Refuse a .docx whose XML holds more than a document may: paragraphs, characters, the longest
    paragraph, elements, nesting; every member is unpacked and checked on the way."""
    package = open_package(handle, name, limits, kind="Word 文档（.docx）")
    with package:
        state = {"paragraphs": 0, "chars": 0, "elements": 0, "depth": 0, "paragraph": 0}
        for info in package.infolist():
            if info.filename.lower().endswith((".xml", ".rels")):  # what python-docx parses
                chunks = _pieces(member_chunks(package, info, name), name, info.filename, limits.line_chars)
                _scan_document_part(chunks, info.filename, name, limits, state)


def _scan_document_part(chunks, member: str, name: str, limits: Limits, state: dict) -> None:
    parser = _parser(name, member)
    parser.buffer_text = True

    def start(tag: str, _attributes) -> None:
        state["elements"] += 1
        state["depth"] += 1
        if state["depth"] > limits.depth:
            raise FileRefused(f"“{name}”的 {member} 嵌套超过 {limits.depth} 层，不是正常的 Word 文档")
        if state["elements"] > limits.xml_elements:
            raise FileRefused(
                f"“{name}”的内容超过 {number(limits.xml_elements)} 个元素，超过上限（{number(limits.paragraphs)} 段）"
            )
        uri, _, local = tag.rpartition(" ")
        if local == "p" and uri in _WORD:
            state["paragraphs"] += 1
            state["paragraph"] = 0
            if state["paragraphs"] > limits.paragraphs:
                raise FileRefused(f"“{name}”有超过 {number(limits.paragraphs)} 个段落，超过上限")

    def end(_tag: str) -> None:
        state["depth"] -= 1

    def text(data: str) -> None:
        state["chars"] += len(data)
        state["paragraph"] += len(data)
        if state["chars"] > limits.chars:
            raise FileRefused(f"“{name}”有超过 {number(limits.chars)} 个字符，超过上限")
        if state["paragraph"] > limits.line_chars:
            raise FileRefused(
                f"“{name}”第 {number(state['paragraphs'])} 段有超过 {number(limits.line_chars)} 个字符，超过上限"
            )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise FileRefused(f"“{name}”已损坏：其中的 {member} 不是有效的 XML") from exc
    except RecursionError as exc:  # pragma: no cover (depth is checked first)
        raise FileRefused(f"“{name}”的 {member} 嵌套过深") from exc


def check_text(text: str, name: str, limits: Limits, *, what: str = "行") -> None:
    """A document's text: its characters and its longest line (or paragraph)."""
    if len(text) > limits.chars:
        raise FileRefused(f"“{name}”有 {number(len(text))} 个字符，超过 {number(limits.chars)} 个字符的上限")
    if len(text) > limits.line_chars:
        lengths = [len(line) for line in text.split("\n")]
        longest = max(lengths)
        if longest > limits.line_chars:
            line = lengths.index(longest) + 1
            raise FileRefused(
                f"“{name}”第 {number(line)} {what}有 {number(longest)} 个字符，超过 {number(limits.line_chars)} 个字符的上限"
            )
