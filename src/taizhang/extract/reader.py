"""Reading a summary, a draft or a template into the text figures are found in (pure: no Django).

.txt and .md are read as they are (UTF-8, or GB18030 as Chinese Windows saves them); a .docx is
checked as a package first (``core.document_limits.scan_docx``: sizes, paragraphs, characters, nesting, no
DTD) and then read paragraph by paragraph in reading order — body paragraphs and the paragraphs of
table cells where the tables stand — joined by line breaks. The fill command walks the same paragraphs
(``docx_paragraphs``), so a position found in one is a position in the other.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from taizhang.core.document_limits import scan_docx
from taizhang.core.limits import FileRefused, Limits, check_size, check_text, sniff

SUFFIXES = (".txt", ".md", ".docx")


class ReadError(FileRefused):
    """A file that cannot be read as a document; the message (Chinese, one line) names it."""


def read_document(path: Path | str, *, limits: Limits) -> str:
    """The text of a .txt, .md or .docx file, within ``limits`` (``core.uploads.read_document``
    runs this in a child process; called directly, it checks the same but guards nothing)."""
    path = Path(path)
    check_suffix(path.name)
    try:
        check_size(path.stat().st_size, path.name, limits)
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取“{path.name}”：{exc.strerror or exc}") from exc
    return read_bytes(data, name=path.name, limits=limits)


def read_bytes(data: bytes, *, name: str, limits: Limits) -> str:
    """The text of a file's bytes, by its name's suffix: the package checked first (a .docx), then
    the text (characters, the longest paragraph or line)."""
    if Path(name).suffix.lower() == ".docx":
        check_bytes(data, name=name, limits=limits)
        text = "\n".join(p.text for p in docx_paragraphs(open_docx(data, name=name)))
        check_text(text, name, limits, what="段")
        return text
    # What check_bytes does for a text file, decoding it once (its check is the decoding).
    check_suffix(name)
    check_size(len(data), name, limits)
    return decode_text(data, name=name, limits=limits)


def check_bytes(data: bytes, *, name: str, limits: Limits) -> None:
    """Refuse what cannot be a document within ``limits``, before anything parses it (``fill`` then
    opens the .docx itself)."""
    check_suffix(name)
    check_size(len(data), name, limits)
    if Path(name).suffix.lower() == ".docx":
        if not data.startswith(b"PK"):
            what = sniff(data[:16])
            raise ReadError(
                f"“{name}”不是有效的 Word 文档（.docx）："
                + (f"它实际上是{what}" if what else "文件已损坏或扩展名与内容不符")
            )
        scan_docx(io.BytesIO(data), name, limits)
    else:
        decode_text(data, name=name, limits=limits)


def check_suffix(name: str) -> None:
    if Path(name).suffix.lower() not in SUFFIXES:
        raise ReadError(f"“{name}”：只能读取 .txt、.md 或 .docx 文件（.doc、.wps 请先另存为 .docx）")


def decode_text(data: bytes, *, name: str, limits: Limits | None = None) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ReadError(f"“{name}”是 UTF-16 编码的文本，请另存为 UTF-8 编码后再试")
    if b"\x00" in data[:65536] or data[:4] == b"PK\x03\x04":
        what = sniff(data[:16])
        raise ReadError(
            f"“{name}”不是文本文件（扩展名与内容不符" + (f"，它实际上是{what}）" if what else "）")
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding).replace("\r\n", "\n")
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError(f"“{name}”不是 UTF-8 或 GB18030 编码的文本文件")
    if limits is not None:
        check_text(text, name, limits)
    return text


def open_docx(data: bytes, *, name: str):
    """A python-docx Document, or ReadError for a file that is not one (check it first: ``check_bytes``)."""
    import zipfile

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
