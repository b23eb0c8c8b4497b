"""Reading a summary, a draft or a template into the text figures are found in (pure: no Django).

.txt and .md are read as they are (UTF-8, or GB18030 as Chinese Windows saves them); a .docx is
read paragraph by paragraph in reading order — body paragraphs and the paragraphs of table cells
where the tables stand — joined by line breaks. The fill command walks the same paragraphs
(``docx_paragraphs``), so a position found in one is a position in the other.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

SUFFIXES = (".txt", ".md", ".docx")
MAX_BYTES = 20 * 1024 * 1024


class ReadError(ValueError):
    """A file that cannot be read as a document; the message (Chinese, one line) names it."""


def read_document(path: Path | str, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of a .txt, .md or .docx file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(f"“{path.name}”：只能读取 .txt、.md 或 .docx 文件（.doc、.wps 请先另存为 .docx）")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"“{path.name}”过大（{size / 1024 / 1024:.0f} MB），上限为 {max_bytes // 1024 // 1024} MB"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    return read_bytes(data, name=path.name, max_bytes=max_bytes)


def read_bytes(data: bytes, *, name: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of an uploaded file's bytes, by its name's suffix."""
    if len(data) > max_bytes:
        raise ReadError(
            f"“{name}”过大（{len(data) / 1024 / 1024:.0f} MB），上限为 {max_bytes // 1024 // 1024} MB"
        )
    suffix = Path(name).suffix.lower()
    if suffix == ".docx":
        return "\n".join(p.text for p in docx_paragraphs(open_docx(data, name=name)))
    if suffix in (".txt", ".md"):
        return decode_text(data, name=name)
    raise ReadError(f"“{name}”：只能读取 .txt、.md 或 .docx 文件（.doc、.wps 请先另存为 .docx）")


def decode_text(data: bytes, *, name: str) -> str:
    if b"\x00" in data[:65536] or data[:4] == b"PK\x03\x04":
        raise ReadError(f"“{name}”不是文本文件（扩展名与内容不符）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise ReadError(f"“{name}”不是 UTF-8 或 GB18030 编码的文本文件")


def open_docx(data: bytes, *, name: str):
    """A python-docx Document, or ReadError for a file that is not one."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(f"“{name}”不是有效的 Word 文档（.docx）：文件已损坏或扩展名与内容不符")
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError(f"“{name}”不是有效的 Word 文档（.docx）：{exc}") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged document part
        raise ReadError(f"“{name}”不是有效的 Word 文档（.docx）：文档内容已损坏") from exc


def docx_paragraphs(document) -> Iterator:
    """Every paragraph in reading order: the body's, and each table cell's where its table stands
    (a merged cell once)."""
    from docx.table import Table

    def walk(container) -> Iterator:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                seen: list = []  # the cells' XML elements, kept alive so identity holds
                for row in block.rows:
                    for cell in row.cells:
                        if any(cell._tc is other for other in seen):
                            continue
                        seen.append(cell._tc)
                        yield from walk(cell)
            else:
                yield block

    yield from walk(document)
