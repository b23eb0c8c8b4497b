"""Hostile files, made by the tests rather than committed: each is a few lines of Python that writes
the bytes an attacker (or an unlucky clerk) would send.

``HOSTILE`` lists them with where they go (``"sheet"``: the import page and ``taizhang import``;
``"document"``: the fact-check page, ``extract``, ``factcheck``, ``fill`` and ``import-summary``;
``"framework"``: ``taizhang framework load``; ``"backup"``: ``taizhang restore``), whether the
attachment page gets them too (a package a reader of the attachment would choke on), and words of
the refusal each must come back as (any one of them, where two limits may be hit first depending on
the channel's limits).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MB = 1 << 20


@dataclass(frozen=True)
class Hostile:
    name: str
    kind: str  # sheet, document, framework, backup
    make: Callable[[Path], None]
    says: tuple[str, ...]  # the refusal has one of these
    attachment: bool = False  # also refused by the attachment page (a damaged or bombed package)
    problems: bool = False  # refused as a list of problems by cell (the file reads, its rows do not)


# -- packages --------------------------------------------------------------------------------------


def _write_members(path: Path, members: Iterable[tuple[str, bytes | Iterable[bytes]]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in members:
            if isinstance(data, bytes):
                package.writestr(name, data)
            else:
                with package.open(name, "w", force_zip64=True) as member:
                    for chunk in data:
                        member.write(chunk)


def workbook(path: Path, sheet: bytes | Iterable[bytes], *, extra: Iterable[tuple[str, bytes]] = ()) -> None:
    """A minimal .xlsx of one sheet named Sheet1 whose XML is ``sheet``."""
    _write_members(
        path,
        [
            (
                "[Content_Types].xml",
                XML + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                b'<Default Extension="xml" ContentType="application/xml"/>'
                b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                b"</Types>",
            ),
            (
                "_rels/.rels",
                XML + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                b"</Relationships>",
            ),
            (
                "xl/workbook.xml",
                XML
                + f'<workbook xmlns="{SHEET_NS}" '.encode()
                + b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
            ),
            (
                "xl/_rels/workbook.xml.rels",
                XML + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                b"</Relationships>",
            ),
            ("xl/worksheets/sheet1.xml", sheet),
            *extra,
        ],
    )


def sheet_xml(rows: Iterable[bytes], *, dimension: str | None = None, before: bytes = b"") -> Iterable[bytes]:
    yield before or XML
    yield f'<worksheet xmlns="{SHEET_NS}">'.encode()
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def text_cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def row(number: int, *cells: bytes) -> bytes:
    return f'<row r="{number}">'.encode() + b"".join(cells) + b"</row>"


HEADER = row(
    1, text_cell("A1", "日期"), text_cell("B1", "主题"), text_cell("C1", "类型"), text_cell("D1", "参加人员")
)


def document(path: Path, body: bytes | Iterable[bytes], *, before: bytes = b"") -> None:
    """A minimal .docx whose body is ``body``."""

    def xml() -> Iterable[bytes]:
        yield before or XML
        yield f'<w:document xmlns:w="{WORD_NS}"><w:body>'.encode()
        if isinstance(body, bytes):
            yield body
        else:
            yield from body
        yield b"</w:body></w:document>"

    _write_members(
        path,
        [
            (
                "[Content_Types].xml",
                XML + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                b'<Default Extension="xml" ContentType="application/xml"/>'
                b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                b"</Types>",
            ),
            (
                "_rels/.rels",
                XML + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                b"</Relationships>",
            ),
            ("word/document.xml", xml()),
        ],
    )


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def spaces(total: int) -> Iterable[bytes]:
    chunk = b" " * MB
    for _ in range(total // MB):
        yield chunk


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>\n"
)


_CJK = [chr(c) for c in range(0x4E00, 0x9FA5)]


def cjk(count: int, seed: int) -> str:
    """Chinese characters in no order: text that does not compress to nothing (runs of a shuffled
    alphabet, each from a random place: fast to make, and deflate finds few repeats in its window)."""
    rng = random.Random(seed)
    pool = _CJK[:]
    rng.shuffle(pool)
    alphabet = "".join(pool)
    runs = [
        alphabet[start : start + 500]
        for start in (rng.randrange(len(alphabet) - 500) for _ in range(count // 500 + 1))
    ]
    return "".join(runs)[:count]


# -- the files -------------------------------------------------------------------------------------


def far_cell(path: Path) -> None:
    workbook(
        path,
        b"".join(sheet_xml([row(1, text_cell("A1", "日期")), row(1048576, text_cell("XFD1048576", "x"))])),
    )


def declared_far(path: Path) -> None:
    workbook(path, b"".join(sheet_xml([HEADER], dimension="A1:XFD1048576")))


def far_cell_3000(path: Path) -> None:
    workbook(
        path, b"".join(sheet_xml([row(1, text_cell("A1", "日期")), row(3000, text_cell("XFD3000", "x"))]))
    )


def sheet_bomb(path: Path) -> None:
    workbook(path, sheet_xml([HEADER, *spaces(64 * MB)]))


def lying_sizes(path: Path) -> None:
    """A member that says it unpacks to 1 KB and unpacks to 50 MB (its size patched in both headers)."""
    workbook(path, b"".join(sheet_xml([HEADER, *spaces(50 * MB)])))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    name = info.filename.encode()
    struct.pack_into("<I", data, info.header_offset + 22, 1024)  # the local header's uncompressed size
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1024)  # and the central directory's
    path.write_bytes(bytes(data))


def many_members(path: Path) -> None:
    workbook(
        path, b"".join(sheet_xml([HEADER])), extra=[(f"xl/media/x{i}.xml", b"<a/>") for i in range(12_000)]
    )


def deep_sheet(path: Path) -> None:
    workbook(path, b"".join(sheet_xml([HEADER, b"<x>" * 100_000, b"</x>" * 100_000])))


def laughs_sheet(path: Path) -> None:
    workbook(path, b"".join(sheet_xml([HEADER, row(2, text_cell("A2", "&lol9;"))], before=LAUGHS)))


def million_rows_xlsx(path: Path) -> None:
    """1.2 million rows of an impossible date: past a command's 1,048,576 rows."""

    def rows() -> Iterable[bytes]:
        yield HEADER
        for start in range(2, 1_200_002, 10_000):
            yield b"".join(
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2020-02-30</t></is></c>'
                f'<c r="B{n}" t="inlineStr"><is><t>第{n}次学习</t></is></c></row>'.encode()
                for n in range(start, start + 10_000)
            )

    workbook(path, sheet_xml(rows()))


def formulas(path: Path) -> None:
    """Formula cells: cached values that are themselves formulas (a DDE payload, a HYPERLINK), and
    formulas without a value where the date and kind belong. Read as values, never evaluated."""
    cells = [
        row(
            2,
            b'<c r="A2"><f>DATE(2020,2,30)</f></c>',
            '<c r="B2" t="str"><f>HYPERLINK("http://example.org","x")</f><v>=HYPERLINK("http://example.org","点此")</v></c>'.encode(),
            b'<c r="C2" t="str"><f>A1</f><v>+1+cmd|\' /C calc\'!A0</v></c>',
        ),
        row(
            3,
            b'<c r="A3"><f>NOW()</f></c>',
            b'<c r="B3" t="str"><f>B2</f><v>@SUM(1+1)*cmd|\' /C calc\'!A0</v></c>',
        ),
    ]
    workbook(path, b"".join(sheet_xml([HEADER, *cells])))


def long_cell_xlsx(path: Path) -> None:
    workbook(
        path,
        b"".join(sheet_xml([HEADER, row(2, text_cell("A2", "2020-03-05"), text_cell("B2", cjk(40_000, 1)))])),
    )


def truncated(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def cut(path: Path) -> None:
        make(path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    return cut


def valid_workbook(path: Path) -> None:
    workbook(
        path, b"".join(sheet_xml([HEADER, row(2, text_cell("A2", "2020-03-05"), text_cell("B2", "学习"))]))
    )


def pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def long_cell_csv(path: Path) -> None:
    path.write_text(f"日期,主题\n2020-03-05,{cjk(40_000, 2)}\n", encoding="utf-8")


def binary(path: Path) -> None:
    path.write_bytes(random.Random(3).randbytes(64 * 1024))


def utf16(path: Path) -> None:
    path.write_bytes("日期,主题,类型\n2020-03-05,学习,中心组学习\n".encode("utf-16"))


def undecodable(path: Path) -> None:
    """Neither UTF-8 nor GB18030 (0x81 must be followed by 0x30–0x39 or 0x40–0xFE there)."""
    path.write_bytes("日期,主题\n".encode() + b"\x81\x20" * 2048)


def million_rows_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("日期,主题,类型,参加人员\n")
        block = "".join(f"2020-02-30,第{n}次,中心组学习,无名氏\n" for n in range(10_000))
        for _ in range(200):
            out.write(block)


def bad_rows_csv(path: Path) -> None:
    """100,000 rows with two mistakes each: 200,000 problems, listed 200 and counted."""
    with path.open("w", encoding="utf-8") as out:
        out.write("日期,主题,类型,参加人员\n")
        out.writelines(f"2020-02-30,第{n}次学习,中心组学习,无名氏{n % 50}\n" for n in range(100_000))


def wide_csv(path: Path) -> None:
    path.write_text("日期,主题," + ",".join(f"列{i}" for i in range(5_000)) + "\n", encoding="utf-8")


def paragraphs_bomb(path: Path) -> None:
    """3 million paragraphs in under a megabyte: the issue's .docx."""
    block = paragraph("开展学习") * 10_000
    document(path, (block for _ in range(300)))


def many_paragraphs(path: Path) -> None:
    """150,000 paragraphs of varied text: not a bomb by its ratio, past the paragraphs limit."""
    text = cjk(150_000 * 4, 4)
    document(path, (paragraph(text[i * 4 : i * 4 + 4]) for i in range(150_000)))


def long_paragraph(path: Path) -> None:
    document(path, paragraph(cjk(3_000_000, 5)))


def document_bomb(path: Path) -> None:
    document(path, (chunk for chunk in [paragraph("开展学习"), *spaces(64 * MB)]))


def deep_document(path: Path) -> None:
    document(path, b"<w:tbl><w:tr><w:tc>" * 200 + paragraph("x") + b"</w:tc></w:tr></w:tbl>" * 200)


def laughs_document(path: Path) -> None:
    document(path, paragraph("&lol9;"), before=LAUGHS)


def long_text(path: Path) -> None:
    path.write_text(cjk(3_000_000, 6), encoding="utf-8")


def laughs_yaml(path: Path) -> None:
    lines = ["version: 1", "name: x", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines += ["requirements:", "  - code: a", "    title: *l9"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def deep_yaml(path: Path) -> None:
    path.write_text("version: 1\nrequirements: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")


def big_yaml(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("version: 1\nname: x\ncomment: |\n")
        line = "  " + "学" * 60 + "\n"
        out.writelines(line for _ in range(11 * MB // len(line.encode())))


def binary_yaml(path: Path) -> None:
    path.write_bytes(b"version: 1\n" + bytes(range(1, 32)) * 100)


def manifest_bomb(path: Path) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package,
        package.open("manifest.json", "w", force_zip64=True) as member,
    ):
        member.write(b'{"format": "taizhang-backup", "x": "')
        for chunk in spaces(70 * MB):
            member.write(chunk)
        member.write(b'"}')


def manifest_deep(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", b"[" * 200_000 + b"]" * 200_000)


HOSTILE: tuple[Hostile, ...] = (
    Hostile("远端单元格.xlsx", "sheet", far_cell, ("有内容直到 XFD1048576",)),
    Hostile("声明的范围.xlsx", "sheet", declared_far, ("声明的范围为 A1:XFD1048576",)),
    Hostile("远端单元格3000.xlsx", "sheet", far_cell_3000, ("有内容直到 XFD3000",)),
    Hostile("压缩炸弹.xlsx", "sheet", sheet_bomb, ("压缩比为",), attachment=True),
    Hostile("谎报大小.xlsx", "sheet", lying_sizes, ("无法解压",), attachment=True),
    Hostile("部件过多.xlsx", "sheet", many_members, ("个部件",), attachment=True),
    Hostile("深层嵌套.xlsx", "sheet", deep_sheet, ("没有数据行", "已损坏")),
    Hostile("实体膨胀.xlsx", "sheet", laughs_sheet, ("DTD",)),
    Hostile("一百二十万行.xlsx", "sheet", million_rows_xlsx, ("行 × 4 列，超过上限", "压缩比为")),
    Hostile("公式.xlsx", "sheet", formulas, ("处问题",), problems=True),
    Hostile("超长单元格.xlsx", "sheet", long_cell_xlsx, ("超过 32,767 个字符",)),
    Hostile("截断.xlsx", "sheet", truncated(valid_workbook), ("已损坏",), attachment=True),
    Hostile("其实是PDF.xlsx", "sheet", pdf, ("PDF",), attachment=True),
    Hostile("超长单元格.csv", "sheet", long_cell_csv, ("32,767 个字符",)),
    Hostile("二进制.csv", "sheet", binary, ("不是 CSV 文本文件",)),
    Hostile("UTF-16.csv", "sheet", utf16, ("UTF-16",)),
    Hostile("乱码.csv", "sheet", undecodable, ("不是 UTF-8 或 GBK 编码",)),
    Hostile("两百万行.csv", "sheet", million_rows_csv, ("行，超过上限", "超过 20 MB")),
    Hostile("十万行错误.csv", "sheet", bad_rows_csv, ("处问题未列出",), problems=True),
    Hostile("五千列.csv", "sheet", wide_csv, ("列的上限",)),
    Hostile("三百万段.docx", "document", paragraphs_bomb, ("压缩比为", "个段落"), attachment=True),
    Hostile("十五万段.docx", "document", many_paragraphs, ("个段落",)),
    Hostile("一段三百万字.docx", "document", long_paragraph, ("个字符",)),
    Hostile("压缩炸弹.docx", "document", document_bomb, ("压缩比为",), attachment=True),
    Hostile("深层嵌套.docx", "document", deep_document, ("嵌套超过",)),
    Hostile("实体膨胀.docx", "document", laughs_document, ("DTD",)),
    Hostile(
        "截断.docx", "document", truncated(many_paragraphs), ("已损坏", "不是有效的 Word"), attachment=True
    ),
    Hostile("其实是PDF.docx", "document", pdf, ("PDF",), attachment=True),
    Hostile("三百万字.txt", "document", long_text, ("个字符",)),
    Hostile("UTF-16.txt", "document", utf16, ("UTF-16",)),
    Hostile("二进制.md", "document", binary, ("不是文本文件",)),
    Hostile("实体膨胀.yaml", "framework", laughs_yaml, ("展开别名",)),
    Hostile("深层嵌套.yaml", "framework", deep_yaml, ("嵌套超过",)),
    Hostile("过大.yaml", "framework", big_yaml, ("超过 10 MB",)),
    Hostile("二进制.yaml", "framework", binary_yaml, ("控制字符",)),
    Hostile("清单炸弹.zip", "backup", manifest_bomb, ("字节的上限",)),
    Hostile("清单嵌套.zip", "backup", manifest_deep, ("嵌套过深",)),
    Hostile("其实是PDF.zip", "backup", pdf, ("不是台账备份文件",)),
)


def make_all(directory: Path) -> dict[str, Path]:
    """Every hostile file written into ``directory``: name → path."""
    made = {}
    for hostile in HOSTILE:
        path = directory / hostile.name
        hostile.make(path)
        made[hostile.name] = path
    return made
