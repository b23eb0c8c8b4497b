"""Reading .txt, .md and .docx files; a file that is not what its name says is one clear message."""

from __future__ import annotations

import io

import docx
import pytest

from taizhang.core.uploads import FileRefused, limits
from taizhang.extract.reader import ReadError, read_bytes, read_document

LIMITS = limits()  # a page's upload limits


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、开展中心组学习4次")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "专题研讨"
    table.cell(0, 1).text = "2次"
    document.add_paragraph("捐款1.8万元")
    path = tmp_path / "draft.docx"
    document.save(path)
    assert read_document(path, limits=LIMITS) == "一、开展中心组学习4次\n专题研讨\n2次\n捐款1.8万元"


def test_gb18030_text_is_read(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes("开展中心组学习4次".encode("gb18030"))
    assert read_document(path, limits=LIMITS) == "开展中心组学习4次"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("draft.docx", b"this is text, not a Word file", "不是有效的 Word 文档"),
        ("draft.txt", io.BytesIO().getvalue() + b"PK\x03\x04" + bytes(100), "不是文本文件"),
        ("draft.txt", bytes(range(256)), "不是文本文件"),
        ("draft.doc", b"\xd0\xcf\x11\xe0", "请先另存为 .docx"),
    ],
)
def test_bad_files(name, data, message):
    with pytest.raises(ReadError, match=message):
        read_bytes(data, name=name, limits=LIMITS)


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(FileRefused, match="有 2 KB，超过 1 KB 的上限"):
        read_document(path, limits=limits(max_bytes=1024))
