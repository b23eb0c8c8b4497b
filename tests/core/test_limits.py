"""A workbook's extent is found from its XML as calamine will place its cells, before calamine sees it;
what a package or a document declares beyond the limits is refused in one line naming the file."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from taizhang.core.document_limits import scan_docx
from taizhang.core.limits import FileRefused
from taizhang.core.uploads import limits
from taizhang.core.workbook_limits import column_letters, scan_workbook
from tests.hostile.files import HEADER, document, paragraph, row, sheet_xml, text_cell, workbook

LIMITS = limits("command")


def random_sheet(rng: random.Random) -> bytes:
    """Cells with values, written every way calamine reads them: with and without ``r``, lower-case
    and zero-padded references, rows with and without ``r``, in and out of order."""
    rows = []
    for number in rng.sample(range(1, 3000), rng.randrange(1, 12)):
        cells = []
        for _ in range(rng.randrange(1, 6)):
            column = rng.choice([rng.randrange(1, 30), rng.randrange(1, 300)])
            style = rng.random()
            if style < 0.2:
                ref = ""  # placed after the cell before it
            elif style < 0.3:
                ref = f' r="{column_letters(column).lower()}{number}"'
            elif style < 0.4:
                ref = f' r="{column_letters(column)}00{number}"'
            elif style < 0.5:
                ref = f' t="n" r="{column_letters(column)}{number}"'
            else:
                ref = f' r="{column_letters(column)}{number}"'
            cells.append(f"<c{ref}><v>{rng.randrange(100)}</v></c>".encode())
        attribute = f' r="{number}"' if rng.random() < 0.9 else ""
        rows.append(f"<row{attribute}>".encode() + b"".join(cells) + b"</row>")
    return b"".join(sheet_xml(rows))


@pytest.mark.parametrize("seed", range(40))
def test_the_extent_found_is_the_one_calamine_reads(seed, tmp_path):
    path = tmp_path / "random.xlsx"
    workbook(path, random_sheet(random.Random(seed)))
    (extent,) = scan_workbook(str(path), path.name, LIMITS)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet1")
    assert (extent.first_row - 1, extent.first_column - 1) == sheet.start
    assert (extent.last_row - 1, extent.last_column - 1) == sheet.end


def test_a_far_cell_is_refused_before_calamine_allocates_it(tmp_path):
    path = tmp_path / "远端.xlsx"
    workbook(path, b"".join(sheet_xml([HEADER, row(3, text_cell("XFD1048576", "x"))])))
    with pytest.raises(FileRefused, match=r"“远端\.xlsx”的工作表“Sheet1”有内容直到 XFD1048576"):
        scan_workbook(str(path), path.name, LIMITS)


@pytest.mark.parametrize(
    "cell",
    [
        b'<x:row r="9" xmlns:x="urn:x"><x:c r="XFD9"><x:v>1</x:v></x:c></x:row>',  # a namespace prefix
        b'<row r="9"><c\tr="XFD9"><v>1</v></c></row>',  # a tab for a space
        b'<row r="9"><c t="n" r="XFD9"><v>1</v></c></row>',  # its place not first
        b"<row r=\"9\"><c r='XFD9'><v>1</v></c></row>",  # single quotes
    ],
)
def test_a_cell_written_another_way_is_placed_too(cell, tmp_path):
    path = tmp_path / "另一种写法.xlsx"
    workbook(path, b"".join(sheet_xml([HEADER, cell])))
    with pytest.raises(FileRefused, match="有内容直到 XFD9"):
        scan_workbook(str(path), path.name, LIMITS)


def test_a_docx_within_the_limits_passes_and_one_past_them_is_refused():
    small, big = io.BytesIO(), io.BytesIO()
    document(small, paragraph("开展中心组学习4次") * 10)
    scan_docx(io.BytesIO(small.getvalue()), "总结.docx", LIMITS)
    document(big, paragraph("学") * 20)
    with pytest.raises(FileRefused, match=r"“总结\.docx”有超过 10 个段落"):
        scan_docx(io.BytesIO(big.getvalue()), "总结.docx", limits("command", paragraphs=10))


def test_a_member_that_unpacks_past_the_ratio_is_refused_from_what_it_declares():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b" " * (8 << 20))
    with pytest.raises(FileRefused, match=r"压缩比为 .*:1，超过 100:1 的上限"):
        scan_docx(io.BytesIO(data.getvalue()), "炸弹.docx", LIMITS)
