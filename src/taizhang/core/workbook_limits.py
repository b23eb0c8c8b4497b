"""A workbook's sheets checked before a reader allocates them (``core.limits``): every sheet's extent
as its cells place them and the ``<dimension>`` it declares, scanned by byte patterns over the
unpacked XML as it streams, or with expat, element by element, when a sheet is written another way.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from xml.parsers import expat

from taizhang.core.limits import (
    FileRefused,
    Limits,
    _check_prolog,
    _parser,
    _pieces,
    megabytes,
    member_chunks,
    number,
    open_package,
)

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
    _feed(parser, package, info, name)


def _feed(parser: expat.XMLParserType, package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """The member streamed through ``parser``; broken XML is refused."""
    try:
        for chunk in member_chunks(package, info, name):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise FileRefused(f"“{name}”的 {info.filename} 已损坏（XML 格式错误）") from exc


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
    _feed(parser, package, info, name)
    _check_extent(extent, name, limits)
