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

Here: the limits, the size, what a file is, zip packages and text; a workbook's sheets are scanned in
``core.workbook_limits``, a document's parts in ``core.document_limits``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
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
