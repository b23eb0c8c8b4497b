"""Reading a clerk's file into tables, whatever it is: the sheets of an .xlsx (calamine, or openpyxl),
or the one table of a .csv (UTF-8 or GBK), every cell and row checked against the upload limits.

Both imports read through here (``ledger.imports`` for activity sheets, ``ledger.record_imports``
for the other record types); a file that cannot be read at all is an ``ImportFileError``, one line
for the clerk.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from taizhang.core import uploads
from taizhang.core.cells import csv_unescaped
from taizhang.core.limits import FileRefused, Limits, check_size, sniff
from taizhang.core.workbook_limits import scan_workbook


class ImportFileError(FileRefused):
    """The file cannot be read as a sheet at all, or breaks a limit (one line for the clerk)."""


@dataclass
class Table:
    name: str
    rows: Iterator[tuple[int, Sequence]]  # (row number, cell values: a tuple or a list), numbered from 1
    size: int  # rows, as far as the file says (for a progress bar)


def read_tables(path: Path, *, display_name: str = "", limits: Limits | None = None) -> list[Table]:
    """The sheets of an .xlsx, or the one table of a .csv; ImportFileError when it is neither, or
    when it breaks a limit.

    The file is read in a child process under ``limits`` (a command's unless the caller says: the
    import page passes an upload's), which checks what the file declares before calamine or the
    CSV reader sees it (``core.workbook_limits.scan_workbook``) and sends the rows back as it reads them;
    messages name the file as ``display_name`` (the name the user gave it, not a temporary file's).
    """
    path = Path(path)
    name = display_name or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        hint = gettext("（.xls 请先在 Excel 中另存为 .xlsx）") if suffix == ".xls" else ""
        raise ImportFileError(
            gettext("只能导入 .xlsx 或 .csv 文件，而不是“%(path_name)s”%(hint)s")
            % {"path_name": name, "hint": hint}
        )
    within = limits or uploads.limits(uploads.COMMAND)
    try:
        check_size(path.stat().st_size, name, within)
    except FileRefused as exc:
        raise ImportFileError(str(exc)) from None
    reader = _xlsx_items if suffix == ".xlsx" else _csv_items
    return _tables(_refused_as_import_error(uploads.stream(name, within, reader, str(path), name, within)))


def _refused_as_import_error(items: Iterator) -> Iterator:
    try:
        yield from items
    except ImportFileError:
        raise
    except FileRefused as exc:  # a limit, found while reading: the import's own kind of refusal
        raise ImportFileError(str(exc)) from None


def _tables(items: Iterator) -> list[Table]:
    """Tables whose rows come from ``items``: first ``("tables", [(name, size), …])``, then
    ``(table, number, values)`` table after table. Each table's rows are read in turn; rows of a
    table its reader left unread are skipped when the next table is read."""
    first = next(items, None)
    if first is None:
        return []
    listed = first[1]
    state = {"held": None}

    def rows(index: int) -> Iterator[tuple[int, Sequence]]:
        while True:
            item = state["held"] or next(items, None)
            state["held"] = None
            if item is None:
                return
            table, number, values = item
            if table < index:
                continue  # the rest of a table nobody read to its end
            if table > index:
                state["held"] = item
                return
            yield number, values

    return [Table(table_name, rows(index), size) for index, (table_name, size) in enumerate(listed)]


def _xlsx_items(path: str, name: str, limits: Limits) -> Iterator:
    """(In the child) the workbook checked sheet by sheet from its XML, then read by calamine."""
    sizes = {extent.name: extent.last_row for extent in scan_workbook(path, name, limits)}
    yield from _calamine_items(path, name, limits=limits, sizes=sizes)


def _calamine_items(
    path: str, name: str, *, limits: Limits | None = None, sizes: dict | None = None
) -> Iterator:
    """The workbook's sheets, read by python-calamine (Rust): a thirteenth of the CPU openpyxl's
    read-only mode takes on the benchmark's million-row workbook (bench/import.py measures both).
    Dates come as ``date``/``datetime`` and numbers as floats; ``parse_date`` and ``_text`` take both.
    Calamine allocates a sheet's whole rectangle: only a workbook ``scan_workbook`` passed may reach it."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
        names = list(workbook.sheet_names)
    except Exception as exc:  # calamine's zip, XML and format errors on a damaged package
        raise ImportFileError(
            gettext("“%(path_name)s”不是有效的 Excel (.xlsx) 文件") % {"path_name": name}
        ) from exc
    yield ("tables", [(sheet_name, (sizes or {}).get(sheet_name, 0)) for sheet_name in names])
    longest = limits.cell_chars if limits else None
    for index, sheet_name in enumerate(names):
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)  # parsed whole
            # rows are numbered from the sheet's first row, but columns from its first used column
            pad = [""] * (sheet.start[1] if sheet.start else 0)
            for number, values in enumerate(sheet.iter_rows(), start=1):
                if longest is not None:
                    _check_cells(values, longest, name, sheet_name, number, len(pad))
                yield index, number, pad + values if pad else values
        except (ImportFileError, FileRefused):
            raise
        except Exception as exc:  # a damaged sheet part inside a readable package
            raise ImportFileError(
                gettext("“%(path_name)s”的工作表“%(sheet_title)s”已损坏，无法读取")
                % {"path_name": name, "sheet_title": sheet_name}
            ) from exc


def _check_cells(values: list, longest: int, name: str, sheet: str, number: int, pad: int) -> None:
    for column, value in enumerate(values):
        if value.__class__ is str and len(value) > longest:
            raise ImportFileError(
                gettext(
                    "“%(name)s”的工作表“%(sheet)s”%(cell)s 有 %(length)s 个字符，超过 %(limit)s 个字符的上限"
                )
                % {
                    "name": name,
                    "sheet": sheet,
                    "cell": f"{get_column_letter(column + pad + 1)}{number}",
                    "length": f"{len(value):,}",
                    "limit": f"{longest:,}",
                }
            )


def _xlsx_tables(path: Path) -> list[Table]:
    """calamine's reading in this process, nothing checked (the benchmark's comparison of readers)."""
    return _tables(_calamine_items(str(path), Path(path).name))


def _openpyxl_tables(path: Path) -> list[Table]:
    """The same with openpyxl's read-only mode (kept for the benchmark's comparison)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile's, openpyxl's and the XML parser's errors on a damaged package
        raise ImportFileError(
            gettext("“%(path_name)s”不是有效的 Excel (.xlsx) 文件") % {"path_name": path.name}
        ) from exc

    def rows(sheet) -> Iterator[tuple[int, tuple]]:
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except Exception as exc:  # a damaged sheet part inside a readable package
            raise ImportFileError(
                gettext("“%(path_name)s”的工作表“%(sheet_title)s”已损坏，无法读取")
                % {"path_name": path.name, "sheet_title": sheet.title}
            ) from exc

    return [Table(sheet.title, rows(sheet), sheet.max_row or 0) for sheet in workbook.worksheets]


XLSX_READERS = {"calamine": _xlsx_tables, "openpyxl": _openpyxl_tables}


def _csv_items(path: str, name: str, limits: Limits) -> Iterator:
    """(In the child) a CSV in UTF-8, or GBK as Excel in China saves it, read row by row from the
    file (never held whole as text) within the limits on rows, columns and cells."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(
            gettext(
                "“%(path_name)s”是 UTF-16 编码的文本（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”后导入"
            )
            % {"path_name": name}
        )
    if b"\0" in head:
        what = sniff(head)
        raise ImportFileError(
            gettext("“%(path_name)s”不是 CSV 文本文件%(what)s")
            % {"path_name": name, "what": gettext("（它实际上是%(what)s）") % {"what": what} if what else ""}
        )
    encoding, lines, quoted = _csv_encoding(path, name)
    too_many = gettext("“%(path_name)s”有超过 %(limit)s 行，超过上限，请拆分后再导入") % {
        "path_name": name,
        "limit": f"{limits.rows:,}",
    }
    # More lines than rows allowed: too many rows, unless quoted cells span lines (then count them).
    if lines > limits.rows and (
        not quoted or sum(1 for _ in _csv_rows(path, encoding, name, limits)) > limits.rows
    ):
        raise ImportFileError(too_many)
    yield ("tables", [(Path(name).stem, lines)])
    for number, row in _csv_rows(path, encoding, name, limits):
        if number > limits.rows:
            raise ImportFileError(too_many)
        yield 0, number, row  # rows as lists


def _csv_encoding(path: str, name: str) -> tuple[str, int, bool]:
    """The file's encoding (UTF-8 with or without BOM, else GB18030), its lines, and whether it
    quotes anything: read a megabyte at a time, decoded and dropped."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines, quoted = 1, False
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                    quoted = quoted or b'"' in chunk
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines, quoted
    raise ImportFileError(gettext("“%(path_name)s”不是 UTF-8 或 GBK 编码的 CSV 文件") % {"path_name": name})


def _csv_rows(path: str, encoding: str, name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(limits.cell_chars)  # (in the child: the parent's csv module is untouched)
    number = 0
    try:
        with open(path, encoding=encoding, newline="") as text:
            for number, row in enumerate(csv.reader(text), start=1):
                if len(row) > limits.columns:
                    raise ImportFileError(
                        gettext("“%(path_name)s”第 %(number)s 行有 %(count)s 列，超过 %(limit)s 列的上限")
                        % {
                            "path_name": name,
                            "number": number,
                            "count": f"{len(row):,}",
                            "limit": f"{limits.columns:,}",
                        }
                    )
                # each cell without the apostrophe our export (core.cells) put before a formula sign
                yield number, [csv_unescaped(cell) for cell in row]
    except csv.Error as exc:  # a field past field_size_limit, a NUL after the first 8 KB …
        raise ImportFileError(
            gettext(
                "“%(path_name)s”第 %(number)s 行无法读取：有单元格超过 %(limit)s 个字符，或含有不能出现在文本中的字符"
            )
            % {"path_name": name, "number": number + 1, "limit": f"{limits.cell_chars:,}"}
        ) from exc
